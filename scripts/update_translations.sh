#!/usr/bin/env bash
# Regenerate the translation template and merge it into the French catalogue.
#   scripts/update_translations.sh [--check]
# Installs the module into a scratch copy of the base template database,
# exports i18n/l10n_fr_debt_recovery.pot with `odoo-bin i18n export` (Odoo 19
# has no --i18n-export server option any more), merges it into i18n/fr.po with
# msgmerge (existing translations kept, obsolete entries dropped), does the same
# for the Sales bridge in bridges/l10n_fr_debt_recovery_sale/i18n/, drops the
# scratch database and prints how many entries are untranslated (empty msgstr
# or fuzzy). With --check, exits 1 when any entry is untranslated.
# Assumes scripts/setup.sh has been run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CHECK=0
case "${1:-}" in
  --check) CHECK=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

MODULE=l10n_fr_debt_recovery
PO="$HERE/i18n/fr.po"

# gettext (msgmerge, msgattrib, msgfmt), installed once.
if ! command -v msgmerge >/dev/null || ! command -v msgattrib >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "installing gettext"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gettext >/dev/null
fi

ensure_base_template
DB="ldr_i18n_$$"
WORK="$(mktemp -d /tmp/$MODULE-i18n.XXXXXX)"
cleanup() { dropdb --if-exists "$DB" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

log "installing $MODULE into the scratch database $DB"
fresh_db_with_module "$DB" "$ADDONS_DIR"

# update_catalogue MODULE FOLDER: export FOLDER/i18n/MODULE.pot and merge it into FOLDER/i18n/fr.po.
update_catalogue() {
  local module="$1" i18n="$2/i18n"
  local pot="$i18n/$module.pot" po="$i18n/fr.po" tmp="$WORK/$module"
  mkdir -p "$i18n" "$tmp"
  # The i18n subcommand must directly follow --addons-path (see odoo/cli/command.py),
  # so the `odoo` helper (which adds --http-interface first) cannot be used here.
  log "exporting $pot"
  if ! "$PY" "$ODOO_BIN" --addons-path="$(addons_path "$ADDONS_DIR")" \
       i18n export -d "$DB" -o "$tmp/$module.pot" "$module" >"$tmp/export.log" 2>&1 \
     || grep -E " (ERROR|CRITICAL) " "$tmp/export.log" >/dev/null || [ ! -s "$tmp/$module.pot" ]; then
    cat "$tmp/export.log" >&2; log "export failed"; exit 1
  fi
  cp "$tmp/$module.pot" "$pot"

  if [ -f "$po" ]; then
    log "merging the template into $po"
    msgmerge --quiet --previous --width=78 "$po" "$pot" -o "$tmp/merged.po"
    msgattrib --no-obsolete --width=78 "$tmp/merged.po" -o "$tmp/fr.po"
  else
    log "creating $po from the template"
    cp "$pot" "$tmp/fr.po"
  fi
  # Header: the language and its plural rule (Odoo leaves them empty in the template).
  "$PY" - "$tmp/fr.po" <<'PY'
import sys, polib
path = sys.argv[1]
po = polib.pofile(path, wrapwidth=78)
po.metadata.update({
    'Language': 'fr',
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Transfer-Encoding': '8bit',
    'Plural-Forms': 'nplurals=2; plural=(n > 1);',
})
po.save(path)
PY
  cp "$tmp/fr.po" "$po"
  msgfmt -c --check-format -o /dev/null "$po"
}

# The module, and its bridges (auto-installed with it: Sales is in the template, and
# Snailmail comes with sms through iap_mail, online payment with account_payment), each with its own catalogue: Odoo reads a
# module's translations from its own i18n/.
BRIDGES=(sale snailmail portal)
update_catalogue "$MODULE" "$HERE"
PO_FILES=("$PO")
for bridge in "${BRIDGES[@]}"; do
  update_catalogue "${MODULE}_$bridge" "$HERE/bridges/${MODULE}_$bridge"
  PO_FILES+=("$HERE/bridges/${MODULE}_$bridge/i18n/fr.po")
done

# Count untranslated entries (empty msgstr or fuzzy), excluding the header.
"$PY" - "$CHECK" "${PO_FILES[@]}" <<'PY'
import sys, polib
check, paths = sys.argv[1], sys.argv[2:]
failed = False
for path in paths:
    po = polib.pofile(path)
    entries = [e for e in po if not e.obsolete and e.msgid]
    bad = [e for e in entries if not e.translated()]
    fuzzy = sum('fuzzy' in e.flags for e in bad)
    print(f"{path}: {len(entries)} entries, {len(entries) - len(bad)} translated, "
          f"{len(bad)} untranslated ({fuzzy} fuzzy)")
    for e in bad[:20]:
        print("  untranslated:", (e.msgid.splitlines() or [''])[0][:90])
    if len(bad) > 20:
        print(f"  ... and {len(bad) - 20} more")
    failed = failed or bool(bad)
sys.exit(1 if failed and check == '1' else 0)
PY
