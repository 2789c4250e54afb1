"""Time l10n_fr_debt_recovery on a dataset database where the module is installed.

    --what engine   one full run of the engine as the daily scheduled action does
                    (env['account.move']._cron_debt_recovery()), committed at the end:
                    selection, grouping, events, queued e-mails, to-dos, chatter notes,
                    stages; no SMTP delivery (the mail queue job is off, nothing is sent).
    --what list     the recovery list view's read of 80 invoices (web_search_read with
                    the fields of view_move_list_debt_recovery, the domain of
                    action_debt_recovery_invoices and its default filter), as the admin.
    --what dashboard  the dashboard's figures, overdue analysis and debtors' ranking,
                    when the module has a dashboard.
    --profile FILE  cProfile the engine run into FILE (+ FILE.txt, top functions).
    --mode cron     the same run through the cron worker's path (ir.cron, a commit per
                    batch, rescheduled until nothing is due) instead of one direct call.
    --trace         time each batch of debtors (selection, execution, cache size).
    --limit S       abandon the run after S seconds (default BENCH_ENGINE_LIMIT or 1800),
                    reported as not finished with how far it got.
"""
import os
import statistics

from benchlib import Measure, boot, die, parse_args, peak_rss_mb, profiled, report, rss_mb, say

MODULE = 'l10n_fr_debt_recovery'


class Monitor:
    """Every minute, from another connection: events created so far (sequences are
    not transactional) and memory. Past ``limit`` seconds the run is abandoned and
    reported as not finished (the process exits with status 3)."""

    def __init__(self, db, n, due, limit, sfx=''):
        import threading
        self.db, self.n, self.due, self.limit, self.sfx = db, n, due, limit, sfx
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _events(self):
        from odoo.sql_db import db_connect
        with db_connect(self.db).cursor() as cr:
            cr.execute("SELECT last_value FROM debt_recovery_event_id_seq")
            return cr.fetchone()[0]

    def __enter__(self):
        import time
        self.first, self.t0 = self._events(), time.perf_counter()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()

    def _loop(self):
        import time
        while not self.stop.wait(60):
            elapsed = time.perf_counter() - self.t0
            done = self._events() - self.first
            say(f"engine progress N={self.n}: {elapsed:.0f} s, ~{done} events of ~{self.due}, "
                f"RSS {rss_mb():.0f} MB")
            if self.limit and elapsed > self.limit and not self.stop.is_set():
                report(f'engine{self.sfx}_seconds', self.n, 'not finished', note=(
                    f"abandoned after {elapsed:.0f} s (BENCH_ENGINE_LIMIT={self.limit}): ~{done} of ~{self.due} "
                    f"invoices done; RSS {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB"))
                report(f'peak_rss_mb{self.sfx}', self.n, round(peak_rss_mb(), 1), 'MB', "at abandon time")
                os._exit(3)


def trace_batches(engine_model):
    """Log the time of each batch (selection, execution) and the size of the record
    cache: shows what grows with the number of batches already done."""
    import time
    from odoo.addons.l10n_fr_debt_recovery.models.debt_recovery_engine import DebtRecoveryEngine
    select, execute = DebtRecoveryEngine._select_batch, DebtRecoveryEngine._execute
    state = {'batch': 0}

    def _select_batch(self, *args, **kwargs):
        t0 = time.perf_counter()
        res = select(self, *args, **kwargs)
        state['select'] = time.perf_counter() - t0
        return res

    def _execute(self, groups):
        t0 = time.perf_counter()
        res = execute(self, groups)
        state['batch'] += 1
        cache = sum(len(v) for v in self.env.transaction.field_data.values()) \
            if hasattr(self.env.transaction, 'field_data') else -1
        say(f"  batch {state['batch']}: select {state.get('select', 0):.2f} s, execute "
            f"{time.perf_counter() - t0:.2f} s, {len(groups)} groups, cache {cache} values, RSS {rss_mb():.0f} MB")
        return res

    DebtRecoveryEngine._select_batch = _select_batch
    DebtRecoveryEngine._execute = _execute


def engine(env, n, profile=None, limit=0, trace=False, mode='direct'):
    from odoo import fields
    from odoo.addons.l10n_fr_debt_recovery.models.debt_recovery_engine import DEFAULT_BATCH_SIZE

    cr = env.cr
    # The firm step attaches the invoices' PDFs (wkhtmltopdf, about 1 s per invoice):
    # rendering PDFs is not engine cost, so it is switched off for the measured run.
    steps = env['debt.recovery.step'].with_context(active_test=False).search([('attach_invoices', '=', True)])
    steps.write({'attach_invoices': False})
    param = env['ir.config_parameter'].get_param(f'{MODULE}.batch_size')
    batch = int(param or DEFAULT_BATCH_SIZE)
    cr.commit()
    say(f"engine N={n}: attach_invoices switched OFF for the run on {len(steps)} step(s) "
        f"({', '.join(steps.mapped('name')) or '-'}): no PDF rendering is measured")
    say(f"engine N={n}: batch_size = {batch} debtors ({'system parameter' if param else 'shipped default'})")

    cr.execute("""SELECT COUNT(*), COUNT(DISTINCT commercial_partner_id) FROM account_move
                   WHERE recovery_state = 'running' AND recovery_next_date <= CURRENT_DATE""")
    due_moves, due_debtors = cr.fetchone()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM debt_recovery_event")
    [last_event] = cr.fetchone()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_mail")
    [last_mail] = cr.fetchone()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_activity")
    [last_activity] = cr.fetchone()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
    [last_message] = cr.fetchone()

    # as the scheduled action runs it: its user, a fresh environment
    cron = env.ref(f'{MODULE}.ir_cron_debt_recovery')
    env.invalidate_all()
    run_env = env(user=cron.user_id.id, context={})
    if trace:
        trace_batches(run_env['debt.recovery.engine'])
    rss_before = rss_mb()
    measure = Measure()
    rounds = 0
    sfx = '' if mode == 'direct' else '_cron'
    with Monitor(cr.dbname, n, due_moves, limit, sfx), measure(), profiled(profile):
        if mode == 'direct':
            run_env['account.move']._cron_debt_recovery()
            run_env.flush_all()
            cr.commit()
        else:
            # as the cron worker runs it: its own transaction, a commit per batch
            # (ir.cron._commit_progress), rescheduled at once while work remains
            while True:
                rounds += 1
                cron.method_direct_trigger()
                cr.commit()
                if not env['debt.recovery.engine']._due_debtors(fields.Date.context_today(env.user)) \
                        or rounds >= 500:
                    break
    peak = peak_rss_mb()

    cr.execute("""SELECT COUNT(*), COUNT(DISTINCT partner_id),
                         COUNT(DISTINCT (partner_id, step_id, channel)),
                         COUNT(DISTINCT mail_id), COUNT(DISTINCT activity_id),
                         COUNT(*) FILTER (WHERE state = 'failed')
                    FROM debt_recovery_event WHERE id > %s AND event_type = 'step'""", [last_event])
    events, debtors, groups, mails_ev, activities_ev, failed = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM mail_mail WHERE id > %s", [last_mail])
    [mails] = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM mail_activity WHERE id > %s", [last_activity])
    [activities] = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM mail_message WHERE id > %s AND model = 'account.move'", [last_message])
    [notes] = cr.fetchone()
    cr.execute("""SELECT COUNT(*) FROM account_move
                   WHERE recovery_state = 'running' AND recovery_next_date <= CURRENT_DATE""")
    [still_due] = cr.fetchone()
    if not events:
        die("the engine created no event: nothing was due?")

    how = ("env['account.move']._cron_debt_recovery(), one transaction" if mode == 'direct' else
           f"ir.cron worker path: method_direct_trigger x{rounds}, a commit per batch")
    report(f'engine{sfx}_seconds', n, measure.seconds, 's', f"{measure.sql_seconds:.1f} s in SQL; {how}")
    report(f'engine{sfx}_queries', n, measure.queries)
    report(f'engine{sfx}_debtor_groups', n, groups,
           note=f"debtors {debtors}; invoices due before the run {due_moves} of {due_debtors} debtors; "
                f"events {events} ({failed} failed); e-mails queued {mails}; to-dos {activities}; "
                f"chatter notes {notes}; still due after the run {still_due}")
    report(f'queries_per_debtor_group{sfx}', n, round(measure.queries / groups, 2))
    report(f'queries_per_debtor{sfx}', n, round(measure.queries / debtors, 2))
    report(f'engine{sfx}_ms_per_invoice', n, round(1000 * measure.seconds / events, 3), 'ms')
    report(f'peak_rss_mb{sfx}', n, round(peak, 1), 'MB', f"process peak; {rss_before:.0f} MB before the run")
    if mails != mails_ev or activities != activities_ev:
        say(f"WARNING: {mails} mails / {activities} to-dos created, events name {mails_ev} / {activities_ev}")


def list_fields(env, view):
    """The specification the web client sends for the list view: its fields,
    many2one as display_name (the fields the user's groups keep)."""
    from lxml import etree

    Move = env['account.move']
    arch = Move.get_views([(view.id, 'list')])['views']['list']['arch']
    spec = {}
    for node in etree.fromstring(arch).iter('field'):
        name = node.get('name')
        field = Move._fields[name]
        spec[name] = {'fields': {'display_name': {}}} if field.type == 'many2one' else {}
    return spec


def list_read(env, n):
    from odoo import fields
    from odoo.fields import Domain
    from odoo.tools.safe_eval import safe_eval

    action = env.ref(f'{MODULE}.action_debt_recovery_invoices')
    view = env.ref(f'{MODULE}.view_move_list_debt_recovery')
    admin = env.ref('base.user_admin')
    user_env = env(user=admin.id, su=False, context={'lang': 'en_US', 'tz': 'Europe/Paris'})
    today = fields.Date.context_today(user_env.user)
    # the action's domain and its default filter (search_default_recovery_overdue)
    eval_ctx = {'context_today': lambda: today, 'uid': admin.id}
    domain = Domain(safe_eval(action.domain or '[]', eval_ctx))
    search_view = env.ref('account.view_account_invoice_filter')
    context = safe_eval(action.context or '{}', eval_ctx)
    from lxml import etree
    arch = user_env['account.move'].get_views([(search_view.id, 'search')])['views']['search']['arch']
    for node in etree.fromstring(arch).iter('filter'):
        if context.get(f"search_default_{node.get('name')}") and node.get('domain'):
            domain &= Domain(safe_eval(node.get('domain'), eval_ctx))
    spec = list_fields(user_env, view)
    Move = user_env['account.move'].with_context(**{k: v for k, v in context.items()
                                                     if not k.startswith('search_default')})
    order = 'recovery_due_date ASC'

    timings = []
    for attempt in range(6):
        Move.env.invalidate_all()
        measure = Measure()
        with measure():
            result = Move.web_search_read(list(domain), spec, offset=0, limit=80, order=order, count_limit=10001)
        timings.append((measure.seconds, measure.queries))
    if len(result['records']) != 80:
        die(f"the list read {len(result['records'])} records, expected 80")
    first, warm = timings[0], timings[1:]
    median = statistics.median(t for t, __ in warm)
    say(f"list N={n}: domain {list(domain)}; {len(spec)} fields ({', '.join(spec)}); "
        f"count {result['length']}")
    report('list_read_seconds', n, round(first[0], 3), 's', f"first call in the process, {first[1]} queries")
    report('list_read_seconds_warm', n, round(median, 3), 's',
           f"median of {len(warm)} calls, each with an empty record cache; {warm[-1][1]} queries")


def dashboard(env, n):
    """The dashboard's figures (debt.recovery.dashboard.get_figures, period from
    1 January to today as its form opens), the overdue analysis grouped by age and
    step, and the debtors' ranking (80 rows), as the administrator; first call and
    median of 5 with an empty record cache."""
    from odoo import fields

    if 'debt.recovery.dashboard' not in env:
        report('dashboard_seconds', n, 'not measured', note="the module has no dashboard yet")
        return
    admin = env.ref('base.user_admin')
    user_env = env(user=admin.id, su=False, context={'lang': 'en_US', 'tz': 'Europe/Paris'})
    today = fields.Date.context_today(user_env.user)
    company_ids = user_env.companies.ids
    reads = [
        ('dashboard_seconds', "get_figures(1 January .. today)",
         lambda: user_env['debt.recovery.dashboard'].get_figures(today.replace(month=1, day=1), today, company_ids)),
    ]
    if 'debt.recovery.report' in env:
        reads.append(('dashboard_overdue_analysis_seconds', "debt.recovery.report by age and step",
                      lambda: user_env['debt.recovery.report']._read_group(
                          [], ['age_bucket', 'step_id'], ['amount_residual:sum'])))
    if 'debt.recovery.debtor.report' in env:
        reads.append(('dashboard_debtors_seconds', "debtors' ranking, 80 rows",
                      lambda: user_env['debt.recovery.debtor.report'].search_fetch(
                          [], ['partner_id', 'amount_overdue', 'step_id', 'next_date'], limit=80)))
    for name, what, read in reads:
        timings = []
        for attempt in range(6):
            user_env.invalidate_all()
            measure = Measure()
            with measure():
                read()
            timings.append((measure.seconds, measure.queries))
        median = statistics.median(t for t, __ in timings[1:])
        report(name, n, round(timings[0][0], 3), 's',
               f"{what}: first call, {timings[0][1]} queries; median of 5 more {median:.3f} s")


def main():
    args = parse_args([
        (('--what',), {'choices': ['engine', 'list', 'dashboard'], 'required': True}),
        (('--profile',), {'default': None}),
        (('--limit',), {'type': int, 'default': int(os.environ.get('BENCH_ENGINE_LIMIT') or 1800),
                        'help': "abandon the engine run after this many seconds (0: never)"}),
        (('--trace',), {'action': 'store_true', 'help': "time each batch"}),
        (('--mode',), {'choices': ['direct', 'cron'], 'default': 'direct'}),
    ])
    registry = boot(args)
    from odoo import SUPERUSER_ID, api
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.what == 'engine':
            engine(env, args.n, args.profile, args.limit, args.trace, args.mode)
        elif args.what == 'list':
            list_read(env, args.n)
        else:
            dashboard(env, args.n)


if __name__ == '__main__':
    main()
