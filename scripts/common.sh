# Shared settings for the project's scripts (sourced, not run).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ODOO_SRC="${ODOO_SRC:-/opt/odoo19}"
export VENV="${VENV:-/opt/l10n_fr_debt_recovery/venv}"
export ADDONS_DIR="${ADDONS_DIR:-/opt/l10n_fr_debt_recovery/addons}"
PY="$VENV/bin/python"
ODOO_BIN="$ODOO_SRC/odoo-bin"
# Two template databases (nothing of this module in them); keep the names in
# line with tests/process_helpers.py. The suite runs on the one with Sales (so
# the bridge bridges/l10n_fr_debt_recovery_sale is auto-installed there); the
# one without Sales proves the module needs no Sales (tests/test_without_sale.py).
export ACCOUNT_TEMPLATE_DB="${ACCOUNT_TEMPLATE_DB:-ldr_base_account_fr}"
export BASE_TEMPLATE_DB="${BASE_TEMPLATE_DB:-ldr_base_account_fr_sale}"
ACCOUNT_MODULES="account,sms,l10n_fr_account"
BASE_MODULES="sale"   # on top of a copy of $ACCOUNT_TEMPLATE_DB
log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

# The addons path for a folder that holds the module as l10n_fr_debt_recovery/:
# Odoo's addons, that folder, and the module's bridges/ folder (its auto-install
# bridge addons, e.g. l10n_fr_debt_recovery_sale).
addons_path() {
  local path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$1"
  [ ! -d "$1/l10n_fr_debt_recovery/bridges" ] || path="$path,$1/l10n_fr_debt_recovery/bridges"
  printf '%s' "$path"
}

# odoo-bin with the project's addons path; extra arguments follow.
odoo() {
  local addons="$1"; shift
  "$PY" "$ODOO_BIN" --addons-path="$(addons_path "$addons")" --http-interface=127.0.0.1 "$@"
}

db_exists() { [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# make_template NAME MODULES [FROM]: a template database with MODULES installed,
# on a copy of the template FROM when given.
make_template() {
  local name="$1" modules="$2" from="${3:-}"
  db_exists "$name" && return 0
  log "creating the template database $name ($modules${from:+ on a copy of $from})"
  dropdb --if-exists "${name}_tmp"
  if [ -n "$from" ]; then createdb -T "$from" "${name}_tmp" || return 1; fi
  odoo "$ADDONS_DIR" -d "${name}_tmp" -i "$modules" --stop-after-init \
    --log-level=warn >/dev/null 2>&1 || { log "template creation failed"; dropdb --if-exists "${name}_tmp"; return 1; }
  psql -q -d postgres -c "ALTER DATABASE \"${name}_tmp\" RENAME TO \"$name\""
}

# Databases with Odoo's accounting and the French chart, with and without Sales,
# kept as templates so each run starts from a copy in seconds.
ensure_base_template() {
  make_template "$ACCOUNT_TEMPLATE_DB" "$ACCOUNT_MODULES" || return 1
  make_template "$BASE_TEMPLATE_DB" "$BASE_MODULES" "$ACCOUNT_TEMPLATE_DB"
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
