#!/usr/bin/env bash
# Benchmark of l10n_fr_debt_recovery against OCA account_credit_control.
#
#   bash bench/run.sh [N ...]          default: 10000 100000
#
# For each N:
#   1. dataset: N posted unpaid customer invoices of N/10 customers, due dates over the
#      last 120 days, built fast (ORM prototypes copied in SQL, bench/build_dataset.py)
#      WITHOUT the module, kept as the template database ldr_bench_data_N: later runs
#      start from `createdb -T` in seconds (dates are moved to today when it is older);
#   2. install: `-i l10n_fr_debt_recovery` on a copy, timed (the hooks fill the columns in SQL);
#   3. engine: one full run of the daily engine (direct call of the cron's method, one
#      transaction), timed, queries counted, peak memory, what was due and what it
#      created (attach_invoices off: no PDF rendering);
#   4. cron path: the same first run on a copy, through ir.cron's worker path (a commit
#      per batch, progress, job run again while work remains);
#   5. PDF run: the same first run on a copy where every invoice already has its PDF
#      (as sent invoices do), the firm step attaching them;
#   6. list: the recovery list view's read of 80 invoices; dashboard if there is one;
#   7. next day: on the database of step 3, "today" one day later (freezegun in the
#      child process), the daily run again, then the same day once more (nothing due);
#   8. upgrade: `-u l10n_fr_debt_recovery`, timed, events counted before and after;
#   9. OCA: account_credit_control 19.0 installed on another copy of the same dataset
#      (template ldr_bench_oca_N), run -> lines -> ready -> e-mail channel, timed, same
#      counts; then its next day the same way. A run longer than OCA_LIMIT is abandoned
#      and reported as "not finished after X s" (a measured lower bound).
# Then a table of every run and the ratios and targets (bench/summary.py).
# Output: stdout and bench/out/.
#
# Environment: BENCH_REF=<git ref> benchmarks a commit instead of the working tree;
# OCA_MAX_N (no maximum) skips OCA above that size; OCA_LIMIT (1800 s) bounds each OCA run;
# BENCH_ENGINE_LIMIT (1800 s) bounds each engine run; BENCH_CRON=0, BENCH_PDF=0,
# BENCH_NEXTDAY=0 skip those runs; BENCH_PROFILE=1 writes a cProfile of the first engine
# run to bench/out/; BENCH_TRACE=1 times each batch; REBUILD=1 rebuilds the dataset
# templates; KEEP_DBS=1 keeps the run databases.
# Every child process is bounded: past its limit it reports "not finished" itself, and
# `timeout` kills it 10 minutes later if it could not.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
BENCH="$HERE/bench"
OUT="$BENCH/out"
OCA_DIR="${OCA_DIR:-/opt/l10n_fr_debt_recovery/oca-addons}"
OCA_MAX_N="${OCA_MAX_N:-}"
OCA_LIMIT="${OCA_LIMIT:-1800}"
ENGINE_LIMIT="${BENCH_ENGINE_LIMIT:-1800}"
export OCA_LIMIT BENCH_ENGINE_LIMIT="$ENGINE_LIMIT"
BENCH_CRON="${BENCH_CRON:-1}"; BENCH_PDF="${BENCH_PDF:-1}"; BENCH_NEXTDAY="${BENCH_NEXTDAY:-1}"
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(10000 100000); fi
export BENCH_RUN_ID="${BENCH_RUN_ID:-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run-$BENCH_RUN_ID.log") 2>&1
log "run $BENCH_RUN_ID, sizes ${SIZES[*]}, machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, load:$(uptime | sed 's/.*load average://')"

bash "$HERE/scripts/setup.sh"
ensure_base_template
export PGOPTIONS="-c client_min_messages=warning"

# The module as benchmarked: a copy, so that edits during a long run change nothing.
WORK="$(mktemp -d /tmp/ldr-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/addons/l10n_fr_debt_recovery"
if [ -n "${BENCH_REF:-}" ]; then
  git -C "$HERE" archive "$BENCH_REF" | tar -x -C "$WORK/addons/l10n_fr_debt_recovery"
  VERSION="$(git -C "$HERE" rev-parse --short "$BENCH_REF")"
else
  tar -C "$HERE" --exclude=.git --exclude=bench/out -cf - . | tar -C "$WORK/addons/l10n_fr_debt_recovery" -xf -
  VERSION="$(git -C "$HERE" rev-parse --short HEAD)"
  [ -z "$(git -C "$HERE" status --porcelain -- . ':!bench')" ] || VERSION="$VERSION + uncommitted changes"
fi
log "module under test: $VERSION"
BASE_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons"
# the bridges (Sales, Snailmail...) are addons of their own, beside the module
MOD_PATH="$BASE_PATH,$WORK/addons,$WORK/addons/l10n_fr_debt_recovery/bridges"
OCA_PATH="$BASE_PATH,$OCA_DIR/odoo/addons"
record() { "$PY" "$BENCH/benchlib.py" "$@"; }
db_exists() { psql -lqt | cut -d'|' -f1 | grep -qw "$1"; }
sql() { psql -d "$1" -v ON_ERROR_STOP=1 -qAtc "$2"; }

# OCA's wheel, installed outside the repository (never copied into it).
ensure_oca() {
  [ -d "$OCA_DIR/odoo/addons/account_credit_control" ] && return
  log "installing OCA account_credit_control 19.0 into $OCA_DIR"
  local dl; dl="$(mktemp -d)"
  "$VENV/bin/pip" download -q --no-deps "odoo-addon-account-credit-control>=19.0,<19.1" -d "$dl"
  "$VENV/bin/pip" install -q --no-deps --target "$OCA_DIR" "$dl"/*.whl
  rm -rf "$dl"
}

# A kept template built on another day: its dates move to today (same days late).
refresh_dates() {
  local db="$1" built days
  built="$(sql "$db" "SELECT value FROM ir_config_parameter WHERE key = 'bench.dataset_date'")"
  days=$(( ($(date -u -d "$(date -u +%F)" +%s) - $(date -u -d "$built" +%s)) / 86400 ))
  [ "$days" != 0 ] || return 0
  log "$db was built on $built: moving its dates by $days days"
  sql "$db" "
    UPDATE account_move SET date = date + $days, invoice_date = invoice_date + $days,
                            invoice_date_due = invoice_date_due + $days;
    UPDATE account_move_line SET date = date + $days, invoice_date = invoice_date + $days,
                                 date_maturity = date_maturity + $days;
    UPDATE ir_config_parameter SET value = '$(date -u +%F)' WHERE key = 'bench.dataset_date';"
  vacuumdb -q -z -d "$db"
}

ensure_dataset() {
  local n="$1" db="ldr_bench_data_$1"
  if [ "${REBUILD:-0}" = 1 ]; then dropdb --if-exists "$db"; dropdb --if-exists "ldr_bench_oca_$n"; fi
  if ! db_exists "$db"; then
    log "building the dataset N=$n (template $db)"
    dropdb --if-exists "${db}_tmp"
    createdb -T "$BASE_TEMPLATE_DB" "${db}_tmp"
    local t0=$SECONDS
    "$PY" "$BENCH/build_dataset.py" --db "${db}_tmp" --addons-path "$BASE_PATH" --n "$n"
    vacuumdb -q -z -d "${db}_tmp"
    psql -q -d postgres -c "ALTER DATABASE \"${db}_tmp\" RENAME TO \"$db\""
    record dataset_build_seconds "$n" "$((SECONDS - t0)).0" s "ORM prototypes copied in SQL; kept as template $db"
  else
    log "dataset N=$n: template $db kept from an earlier run"
    refresh_dates "$db"
  fi
  ensure_history "$db" "$n"
}

# What the ORM leaves on each invoice of a real database and the SQL copy does not:
# its creator as follower (Discussions) and the "validated" note of its posting.
# Without them mail_followers starts empty and PostgreSQL plans its foreign-key
# checks for an empty table, which no production database is.
ensure_history() {
  local db="$1" n="$2"
  [ -z "$(sql "$db" "SELECT value FROM ir_config_parameter WHERE key = 'bench.dataset_history'")" ] || return 0
  log "$db: adding one follower and one note per invoice"
  sql "$db" "
    INSERT INTO mail_followers (res_model, res_id, partner_id)
         SELECT 'account.move', m.id, u.partner_id FROM account_move m JOIN res_users u ON u.id = m.create_uid
          WHERE m.move_type = 'out_invoice'
    ON CONFLICT DO NOTHING;
    INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
         SELECT f.id, s.id FROM mail_followers f JOIN mail_message_subtype s ON s.\"default\" AND s.res_model IS NULL
          WHERE f.res_model = 'account.move'
    ON CONFLICT DO NOTHING;
    INSERT INTO mail_message (model, res_id, message_type, subtype_id, body, author_id, date, is_internal,
                              create_uid, create_date, write_uid, write_date)
         SELECT 'account.move', m.id, 'notification',
                (SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mt_note'),
                '<p>Invoice validated</p>', u.partner_id, m.create_date, TRUE,
                m.create_uid, m.create_date, m.create_uid, m.create_date
           FROM account_move m JOIN res_users u ON u.id = m.create_uid
          WHERE m.move_type = 'out_invoice';
    INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid, write_date)
         VALUES ('bench.dataset_history', '1', 1, now(), 1, now());"
  vacuumdb -q -z -d "$db"
  # the OCA copy was taken from the template as it was: it is taken again
  dropdb --if-exists "ldr_bench_oca_$n"
}

# odoo-bin timed; fails on any ERROR/CRITICAL line.
timed_odoo() {
  local logf="$1"; shift
  timeout --kill-after=30 3600 /usr/bin/time -f "%e %M" -o "$logf.time" "$PY" "$ODOO_BIN" --http-interface=127.0.0.1 "$@" \
    --stop-after-init --log-level=warn >"$logf" 2>&1 || { cat "$logf"; log "odoo failed: $*"; return 1; }
  if grep -E " (ERROR|CRITICAL) " "$logf" >/dev/null; then cat "$logf"; log "errors in odoo's log: $*"; return 1; fi
}

# A child process bounded by its own limit (it reports "not finished" and exits 3)
# and, as a backstop, killed by `timeout` 10 minutes later: reported too. Any other
# failure stops the benchmark. CHILD_RC keeps the status (0, 3 or 124).
CHILD_RC=0
child() {  # FIGURE N LIMIT command...
  local figure="$1" n="$2" limit="$3"; shift 3
  CHILD_RC=0
  timeout --kill-after=30 "$((limit + 600))" "$@" || CHILD_RC=$?
  case "$CHILD_RC" in
    0|3) ;;
    124|137) CHILD_RC=124
      record "$figure" "$n" "not finished" "" "killed after $((limit + 600)) s (its own limit: $limit s)";;
    *) log "failed ($CHILD_RC): $*"; return "$CHILD_RC";;
  esac
}
engine() { child "$1" "$2" "$ENGINE_LIMIT" "$PY" "$BENCH/bench_engine.py" --db "$3" --addons-path "$MOD_PATH" --n "$2" "${@:4}"; }

bench_ours() {
  local n="$1" db="ldr_bench_run_$1"
  dropdb --if-exists --force "$db"
  createdb -T "ldr_bench_data_$n" "$db"
  # install on a database of N invoices that never had the module
  timed_odoo "$OUT/install-$n.log" --addons-path="$MOD_PATH" -d "$db" -i l10n_fr_debt_recovery
  read -r secs kb < "$OUT/install-$n.log.time"
  local scheduled
  scheduled="$(sql "$db" "SELECT COUNT(*) FROM account_move WHERE recovery_state = 'running' AND recovery_next_step_id IS NOT NULL AND recovery_next_date IS NOT NULL")"
  record install_seconds "$n" "$secs" s "-i l10n_fr_debt_recovery, peak RSS $((kb / 1024)) MB; $scheduled invoices scheduled by the hooks"
  [ "$scheduled" = "$n" ] || log "WARNING: the install scheduled $scheduled invoices of $n"

  # the cron path and the PDF run start from copies taken before the engine runs
  [ "$BENCH_CRON" = 0 ] || { dropdb --if-exists --force "${db}_cron"; createdb -T "$db" "${db}_cron"; }
  [ "$BENCH_PDF" = 0 ] || { dropdb --if-exists --force "${db}_pdf"; createdb -T "$db" "${db}_pdf"; }
  local opts=()
  [ -z "${BENCH_PROFILE:-}" ] || opts+=(--profile "$OUT/engine-$n.prof")
  [ -z "${BENCH_TRACE:-}" ] || opts+=(--trace)
  engine engine_seconds "$n" "$db" --what engine "${opts[@]}"
  local first_rc=$CHILD_RC
  if [ "$BENCH_CRON" != 0 ]; then
    engine engine_cron_seconds "$n" "${db}_cron" --what engine --mode cron
    [ -n "${KEEP_DBS:-}" ] || dropdb --if-exists --force "${db}_cron"
  fi
  if [ "$BENCH_PDF" != 0 ]; then
    "$PY" "$BENCH/bench_engine.py" --db "${db}_pdf" --addons-path "$MOD_PATH" --n "$n" --what attach-pdfs
    vacuumdb -q -z -d "${db}_pdf"
    engine engine_pdf_seconds "$n" "${db}_pdf" --what engine --pdf
    [ -n "${KEEP_DBS:-}" ] || dropdb --if-exists --force "${db}_pdf"
  fi
  child list_read_seconds "$n" 600 "$PY" "$BENCH/bench_engine.py" --db "$db" --addons-path "$MOD_PATH" --n "$n" --what list
  child dashboard_seconds "$n" 600 "$PY" "$BENCH/bench_engine.py" --db "$db" --addons-path "$MOD_PATH" --n "$n" --what dashboard
  if [ "$BENCH_NEXTDAY" != 0 ]; then
    if [ "$first_rc" = 0 ]; then
      engine engine_nextday_seconds "$n" "$db" --what nextday
    else
      record engine_nextday_seconds "$n" "not measured" "" "the first run did not finish"
    fi
  fi

  local before after
  before="$(sql "$db" "SELECT COUNT(*) || '/' || COALESCE(MAX(id), 0) FROM debt_recovery_event")"
  timed_odoo "$OUT/upgrade-$n.log" --addons-path="$MOD_PATH" -d "$db" -u l10n_fr_debt_recovery
  after="$(sql "$db" "SELECT COUNT(*) || '/' || COALESCE(MAX(id), 0) FROM debt_recovery_event")"
  read -r secs kb < "$OUT/upgrade-$n.log.time"
  record upgrade_seconds "$n" "$secs" s "-u l10n_fr_debt_recovery"
  record upgrade_events_kept "$n" "$([ "$before" = "$after" ] && echo yes || echo NO)" "" \
    "events (count/max id) before $before, after $after"
  [ -n "${KEEP_DBS:-}" ] || dropdb --if-exists --force "$db"
}

bench_oca() {
  local n="$1" tpl="ldr_bench_oca_$1" db="ldr_bench_ocarun_$1"
  if [ -n "$OCA_MAX_N" ] && [ "$n" -gt "$OCA_MAX_N" ]; then
    record oca_seconds "$n" "not measured" "" "above OCA_MAX_N=$OCA_MAX_N: not run; nothing extrapolated"
    return
  fi
  ensure_oca
  if db_exists "$tpl"; then
    refresh_dates "$tpl"
  else
    log "OCA template $tpl: dataset N=$n + account_credit_control + a 3-level policy"
    dropdb --if-exists "${tpl}_tmp"
    createdb -T "ldr_bench_data_$n" "${tpl}_tmp"
    timed_odoo "$OUT/oca-install-$n.log" --addons-path="$OCA_PATH" -d "${tpl}_tmp" -i account_credit_control
    "$PY" "$BENCH/bench_oca.py" --db "${tpl}_tmp" --addons-path "$OCA_PATH" --n "$n" --what setup
    psql -q -d postgres -c "ALTER DATABASE \"${tpl}_tmp\" RENAME TO \"$tpl\""
  fi
  dropdb --if-exists --force "$db"
  createdb -T "$tpl" "$db"
  child oca_seconds "$n" "$OCA_LIMIT" "$PY" "$BENCH/bench_oca.py" --db "$db" --addons-path "$OCA_PATH" --n "$n" --what run
  if [ "$BENCH_NEXTDAY" != 0 ]; then
    if [ "$CHILD_RC" = 0 ]; then
      child oca_nextday_seconds "$n" "$OCA_LIMIT" \
        "$PY" "$BENCH/bench_oca.py" --db "$db" --addons-path "$OCA_PATH" --n "$n" --what nextday
    else
      record oca_nextday_seconds "$n" "not measured" "" "OCA's first run did not finish"
    fi
  fi
  [ -n "${KEEP_DBS:-}" ] || dropdb --if-exists --force "$db"
}

for n in "${SIZES[@]}"; do
  log "===== N=$n ====="
  ensure_dataset "$n"
  bench_ours "$n"
  bench_oca "$n"
done
"$PY" "$BENCH/summary.py" "$BENCH_RUN_ID"
log "load at the end:$(uptime | sed 's/.*load average://')"
log "figures in $OUT/results.jsonl (run $BENCH_RUN_ID), log in $OUT/run-$BENCH_RUN_ID.log"
