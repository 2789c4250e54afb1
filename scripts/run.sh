#!/usr/bin/env bash
# The project's main job: a demo database with the module and French demo data,
# served on http://localhost:8069 (login admin / password admin).
#   bash scripts/run.sh                 set up, rebuild the demo database, serve in the foreground
#   NO_SERVE=1 bash scripts/run.sh      stop once the demo data is loaded (checks, CI)
#   KEEP_DB=1 bash scripts/run.sh       keep an existing demo database as it is (no reload)
#   DEMO_DB=name  HTTP_PORT=8069  MAX_CRON_THREADS=0   (defaults shown)
# No e-mail leaves the machine: no SMTP server is configured, the mail and SMS
# queue jobs are disabled in the demo database and the server runs no cron
# worker unless MAX_CRON_THREADS says otherwise. Reminders stay queued in
# Settings > Technical > Emails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DEMO_DB="${DEMO_DB:-ldr_demo}"
HTTP_PORT="${HTTP_PORT:-8069}"
MAX_CRON_THREADS="${MAX_CRON_THREADS:-0}"

# 1. Machine: PostgreSQL, venv, Odoo, addons folder pointing at this repository.
bash "$HERE/scripts/setup.sh"
ensure_base_template

# 2. Demo database: a copy of the template with the module installed.
if [ "${KEEP_DB:-0}" = 1 ] && db_exists "$DEMO_DB"; then
  log "KEEP_DB=1: keeping the database $DEMO_DB as it is"
else
  log "creating the demo database $DEMO_DB"
  # --force: a server left running on the previous demo database must not block the run.
  PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$DEMO_DB"
  PGOPTIONS="-c client_min_messages=warning" fresh_db_with_module "$DEMO_DB" "$ADDONS_DIR"

  # 3. Demo data, through the ORM, inside Odoo (fails on any error, commits at the end).
  log "loading the demo data into $DEMO_DB"
  # exec(compile(...)) rather than a plain redirect: tracebacks name the script's lines.
  DEMO_PY="$HERE/scripts/demo_data.py"
  printf 'exec(compile(open(%s).read(), %s, "exec"))\n' "'$DEMO_PY'" "'$DEMO_PY'" \
    | "$PY" "$ODOO_BIN" shell --addons-path="$(addons_path "$ADDONS_DIR")" \
        -d "$DEMO_DB" --no-http --log-level=warn
fi

if [ "${NO_SERVE:-0}" = 1 ]; then
  log "NO_SERVE=1: demo database $DEMO_DB ready, not serving"
  exit 0
fi

# 4. Serve, in the foreground, on every interface.
cat >&2 <<EOF

  Odoo 19 with l10n_fr_debt_recovery, database $DEMO_DB
  URL:      http://localhost:$HTTP_PORT  (Invoicing > Customers > Invoices, Recovery menus)
  Login:    admin
  Password: admin
  Stop with Ctrl-C.

EOF
exec "$PY" "$ODOO_BIN" --addons-path="$(addons_path "$ADDONS_DIR")" \
  -d "$DEMO_DB" --db-filter="^${DEMO_DB}\$" --http-interface=0.0.0.0 --http-port="$HTTP_PORT" \
  --max-cron-threads="$MAX_CRON_THREADS" --log-level=info
