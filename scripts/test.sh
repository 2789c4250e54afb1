#!/usr/bin/env bash
# The whole test suite, on a fresh database, with pytest-odoo. Exit non-zero on any failure.
#   scripts/test.sh [pytest arguments...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HERE/scripts/setup.sh"
ensure_base_template

# pytest-odoo names the module after the real folder: test a copy named after it.
WORK="$(mktemp -d /tmp/l10n_fr_debt_recovery-test.XXXXXX)"
# one database per run, so that several runs on one machine never collide
DB="${TEST_DB:-ldr_test_$(basename "$WORK" | cut -d. -f2 | tr 'A-Z' 'a-z')}"
cleanup() { rm -rf "$WORK"; [ -n "${KEEP_TEST_DB:-}" ] || dropdb --if-exists "$DB" 2>/dev/null || true; }
trap cleanup EXIT
mkdir -p "$WORK/addons"
tar -C "$HERE" --exclude=.git -cf - . | tar -C "$WORK/addons" --one-top-level=l10n_fr_debt_recovery -xf -
log "installing the module into a fresh database $DB"
# payment_demo: a payment provider for the debtor's page tests (a small module, installed with ours)
fresh_db_with_module "$DB" "$WORK/addons" ",payment_demo"
# Sales is in the template: the Sales bridge (bridges/) must have come along by auto_install.
bridge_state="$(psql -d "$DB" -tAc "SELECT state FROM ir_module_module WHERE name = 'l10n_fr_debt_recovery_sale'")"
if [ "$bridge_state" != installed ]; then
  log "the bridge l10n_fr_debt_recovery_sale is not installed in $DB (state: ${bridge_state:-unknown})"; exit 1
fi
# account_payment is in the template: the online payment bridge must have come along too.
bridge_state="$(psql -d "$DB" -tAc "SELECT state FROM ir_module_module WHERE name = 'l10n_fr_debt_recovery_portal'")"
if [ "$bridge_state" != installed ]; then
  log "the bridge l10n_fr_debt_recovery_portal is not installed in $DB (state: ${bridge_state:-unknown})"; exit 1
fi
freeze_planner_stats "$DB"
cat > "$WORK/odoo.conf" <<CONF
[options]
addons_path = $(addons_path "$WORK/addons")
db_name = $DB
http_interface = 127.0.0.1
CONF
cd "$WORK/addons/l10n_fr_debt_recovery"
# the whole tests/ folder, unless test files are named on the command line
targets=tests
for arg in "$@"; do case "$arg" in tests/*) targets="" ;; esac; done
set +e
"$PY" -m pytest -p no:cacheprovider --odoo-config="$WORK/odoo.conf" --odoo-database="$DB" \
  --odoo-log-level=warn --odoo-http $targets "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then log "no test was collected"; exit 1; fi
exit "$rc"
