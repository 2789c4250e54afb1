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

# No autovacuum in a test database (nor in the scratch copies the real-process tests
# make of it). Each test class fills tables in a transaction it rolls back at its end
# (a company and its French chart: hundreds of accounts). An autovacuum that comes in
# the middle of a class sets reltuples to the committed rows (account_account: 50)
# over all the pages the open transaction filled (100-150): the planner then expects
# one row where there are hundreds and nests the account_first_company join behind
# placeholder_code, 30 s to 2 min per query. Whether it came depended on timing:
# runs of 3 or 8+ minutes. An ANALYZE before the run is no cure either: the committed
# data knows only company 1, so every query on a new company becomes a one-row guess.
freeze_planner_stats() {
  psql -q -X -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<'SQL'
DO $$
DECLARE t regclass;
BEGIN
  FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public' LOOP
    EXECUTE format('ALTER TABLE %s SET (autovacuum_enabled = off)', t);
  END LOOP;
END $$;
SQL
}
