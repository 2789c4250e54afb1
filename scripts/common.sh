# Shared settings for the project's scripts (sourced, not run).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ODOO_SRC="${ODOO_SRC:-/opt/odoo19}"
export VENV="${VENV:-/opt/l10n_fr_debt_recovery/venv}"
export ADDONS_DIR="${ADDONS_DIR:-/opt/l10n_fr_debt_recovery/addons}"
PY="$VENV/bin/python"
ODOO_BIN="$ODOO_SRC/odoo-bin"
export BASE_TEMPLATE_DB="${BASE_TEMPLATE_DB:-ldr_base_account_fr_sale}"
BASE_MODULES="account,sms,l10n_fr_account,sale"
log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

# odoo-bin with the project's addons path; extra arguments follow.
odoo() {
  local addons="$1"; shift
  "$PY" "$ODOO_BIN" --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$addons" \
    --http-interface=127.0.0.1 "$@"
}

# A database with Odoo's accounting and the French chart, kept as a template
# so each run starts from a copy in seconds (it holds nothing of this module).
ensure_base_template() {
  if ! psql -lqt | cut -d'|' -f1 | grep -qw "$BASE_TEMPLATE_DB"; then
    log "creating the template database $BASE_TEMPLATE_DB ($BASE_MODULES)"
    odoo "$ADDONS_DIR" -d "${BASE_TEMPLATE_DB}_tmp" -i "$BASE_MODULES" --stop-after-init \
      --log-level=warn >/dev/null 2>&1 || { log "template creation failed"; dropdb --if-exists "${BASE_TEMPLATE_DB}_tmp"; return 1; }
    psql -q -d postgres -c "ALTER DATABASE \"${BASE_TEMPLATE_DB}_tmp\" RENAME TO \"$BASE_TEMPLATE_DB\""
  fi
}

# Install the module into a fresh copy of the template; fail on any error.
fresh_db_with_module() {
  local db="$1" addons="$2" extra="${3:-}"
  dropdb --if-exists "$db"
  createdb -T "$BASE_TEMPLATE_DB" "$db"
  local logf; logf="$(mktemp)"
  if ! odoo "$addons" -d "$db" -i "l10n_fr_debt_recovery${extra}" --stop-after-init --log-level=warn >"$logf" 2>&1 \
     || grep -E " (ERROR|CRITICAL) " "$logf" >/dev/null; then
    cat "$logf" >&2; log "installing l10n_fr_debt_recovery into $db failed"; return 1
  fi
  rm -f "$logf"
}
