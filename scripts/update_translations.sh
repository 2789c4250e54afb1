#!/usr/bin/env bash
# Regenerate the translation template and merge it into the French catalogue.
#   scripts/update_translations.sh [--check]
# Installs the module into a scratch copy of the base template database,
# exports i18n/l10n_fr_debt_recovery.pot with `odoo-bin i18n export` (Odoo 19
# has no --i18n-export server option any more), merges it into i18n/fr.po with
# msgmerge (existing translations kept, obsolete entries dropped), drops the
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
I18N="$HERE/i18n"
POT="$I18N/$MODULE.pot"
PO="$I18N/fr.po"

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

# The i18n subcommand must directly follow --addons-path (see odoo/cli/command.py),
# so the `odoo` helper (which adds --http-interface first) cannot be used here.
log "exporting $POT"
mkdir -p "$I18N"
if ! "$PY" "$ODOO_BIN" --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS_DIR" \
     i18n export -d "$DB" -o "$WORK/$MODULE.pot" "$MODULE" >"$WORK/export.log" 2>&1 \
   || grep -E " (ERROR|CRITICAL) " "$WORK/export.log" >/dev/null || [ ! -s "$WORK/$MODULE.pot" ]; then
  cat "$WORK/export.log" >&2; log "export failed"; exit 1
fi
cp "$WORK/$MODULE.pot" "$POT"

if [ -f "$PO" ]; then
  log "merging the template into $PO"
  msgmerge --quiet --previous --width=78 "$PO" "$POT" -o "$WORK/merged.po"
  msgattrib --no-obsolete --width=78 "$WORK/merged.po" -o "$WORK/fr.po"
else
  log "creating $PO from the template"
  cp "$POT" "$WORK/fr.po"
fi
# Header: the language and its plural rule (Odoo leaves them empty in the template).
"$PY" - "$WORK/fr.po" <<'PY'
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
cp "$WORK/fr.po" "$PO"

msgfmt -c --check-format -o /dev/null "$PO"

# Count untranslated entries (empty msgstr or fuzzy), excluding the header.
"$PY" - "$PO" "$CHECK" <<'PY'
import sys, polib
po = polib.pofile(sys.argv[1])
entries = [e for e in po if not e.obsolete and e.msgid]
bad = [e for e in entries if not e.translated()]
fuzzy = sum('fuzzy' in e.flags for e in bad)
print(f"{len(entries)} entries, {len(entries) - len(bad)} translated, "
      f"{len(bad)} untranslated ({fuzzy} fuzzy)")
for e in bad[:20]:
    print("  untranslated:", (e.msgid.splitlines() or [''])[0][:90])
if len(bad) > 20:
    print(f"  ... and {len(bad) - 20} more")
sys.exit(1 if bad and sys.argv[2] == '1' else 0)
PY
