"""Time l10n_fr_debt_recovery on a dataset database where the module is installed.

    --what engine   one full run of the engine as the daily scheduled action does
                    (env['account.move']._cron_debt_recovery()), committed at the end:
                    selection, grouping, events, queued e-mails, to-dos, chatter notes,
                    stages; no SMTP delivery (the mail queue job is off, nothing is sent).
                    The invoices' PDFs are not attached (attach_invoices switched off).
    --mode cron     the same run through the cron worker's path instead of one direct
                    call: ir.cron's _process_job (method_direct_trigger), a progress
                    record and a commit per batch, the job run again while it reports
                    remaining work, as the worker does.
    --pdf           the run with the firm step's invoice PDFs attached, on a database
                    where every invoice already has its PDF (``--what attach-pdfs`` first).
    --what attach-pdfs  give every invoice what an invoice sent from Odoo has: its PDF
                    (invoice_pdf_report_file, read as invoice_pdf_report_id), its main
                    attachment, is_move_sent. One small real PDF made once, linked in SQL.
    --what nextday  on the database of the first run: "today" moved one day forward
                    (freezegun in this process; PostgreSQL's clock is not read by the
                    engine) and the daily run again: what is due that day next to
                    the time.
    --what list     the recovery list view's read of 80 invoices (web_search_read with
                    the fields of view_move_list_debt_recovery, the domain of
                    action_debt_recovery_invoices and its default filter), as the admin.
    --what dashboard  the dashboard's figures, overdue analysis and debtors' ranking,
                    when the module has a dashboard.
    --profile FILE  cProfile the engine run into FILE (+ FILE.txt, top functions).
    --trace         time each batch of debtors (selection, execution, cache size).
    --limit S       abandon a run after S seconds (default BENCH_ENGINE_LIMIT or 1800),
                    reported as not finished with how far it got.

Each run reports its wall time, SQL queries, peak memory, what was due (invoices
scheduled that day and their debtors, next to the open invoices) and what it
created (e-mails, to-dos, events, cases, chatter messages by type, tracking values,
followers, attachments): ``engine<sfx>_*`` in bench/out/results.jsonl.

Only public entry points of the module are called: the cron's method
``account.move._cron_debt_recovery`` and the scheduled action
``l10n_fr_debt_recovery.ir_cron_debt_recovery`` (``--trace`` alone patches the
engine's batch methods, when they exist).
"""
import os
import statistics

import psycopg2

from benchlib import (Measure, Watchdog, boot, clock, die, frozen_day, open_invoices, output_counts, output_marks, parse_args,
                      peak_rss_mb, profiled, report, rss_mb, say)

MODULE = 'l10n_fr_debt_recovery'
CRON_XMLID = f'{MODULE}.ir_cron_debt_recovery'


class Monitor(Watchdog):
    """Events created so far and memory, every minute; past ``limit`` seconds the run
    is abandoned and reported as not finished."""
    sequences = ('debt_recovery_event_id_seq',)

    def __init__(self, db, n, due, limit, sfx=''):
        super().__init__(db, limit)
        self.n, self.due, self.sfx = n, due, sfx

    def progress(self, elapsed, deltas):
        say(f"engine{self.sfx} progress N={self.n}: {elapsed:.0f} s, ~{deltas[0]} events of ~{self.due}, "
            f"RSS {rss_mb():.0f} MB")

    def abandon(self, elapsed, deltas):
        report(f'engine{self.sfx}_seconds', self.n, 'not finished', note=(
            f"abandoned after {elapsed:.0f} s (BENCH_ENGINE_LIMIT={self.limit}): ~{deltas[0]} of ~{self.due} "
            f"invoices done; RSS {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB"))
        report(f'peak_rss_mb{self.sfx}', self.n, round(peak_rss_mb(), 1), 'MB', "at abandon time")


def trace_batches(env):
    """Log the time of each batch (selection, execution) and the size of the record
    cache: shows what grows with the number of batches already done. Patches the
    engine's batch methods when they exist (private: skipped when they are gone)."""
    engine_cls = type(env['debt.recovery.engine'])
    if not all(hasattr(engine_cls, name) for name in ('_select_batch', '_execute')):
        say("trace: the engine has no _select_batch/_execute any more, no batch trace")
        return
    select, execute = engine_cls._select_batch, engine_cls._execute
    state = {'batch': 0}

    def _select_batch(self, *args, **kwargs):
        t0 = clock()
        res = select(self, *args, **kwargs)
        state['select'] = clock() - t0
        return res

    def _execute(self, groups, *args, **kwargs):
        t0 = clock()
        res = execute(self, groups, *args, **kwargs)
        state['batch'] += 1
        cache = sum(len(v) for v in self.env.transaction.field_data.values()) \
            if hasattr(self.env.transaction, 'field_data') else -1
        say(f"  batch {state['batch']}: select {state.get('select', 0):.2f} s, execute "
            f"{clock() - t0:.2f} s, {len(groups)} groups, cache {cache} values, RSS {rss_mb():.0f} MB")
        return res

    engine_cls._select_batch = _select_batch
    engine_cls._execute = _execute


def scheduled(cr, day):
    """Invoices with a step scheduled on or before ``day`` and their debtors, as the
    module's stage columns say (before the run; the debtor filters of the engine,
    blocked debtor or minimum amount, may leave some out). (None, None) when the
    columns are gone."""
    try:
        with cr.savepoint(flush=False):
            cr.execute("""SELECT COUNT(*), COUNT(DISTINCT commercial_partner_id) FROM account_move
                           WHERE recovery_state = 'running' AND recovery_next_date <= %s""", [day])
            return cr.fetchone()
    except psycopg2.Error:
        return None, None


def batch_size(env):
    param = env['ir.config_parameter'].get_param(f'{MODULE}.batch_size')
    if param:
        return f"{param} debtors (system parameter)"
    try:
        from odoo.addons.l10n_fr_debt_recovery.models.debt_recovery_engine import DEFAULT_BATCH_SIZE
        return f"{DEFAULT_BATCH_SIZE} debtors (shipped default)"
    except ImportError:
        return "the shipped default"


def set_attach_invoices(env, n, pdf):
    """The firm step attaches the invoices' PDFs. Without ``pdf`` it is switched off
    (rendering PDFs, wkhtmltopdf ~1 s per invoice, is not engine cost); with ``pdf``
    the steps keep it as shipped (on for the firm step; turned on there if not)."""
    Step = env['debt.recovery.step'].with_context(active_test=False)
    if 'attach_invoices' not in Step._fields:
        say(f"engine N={n}: the steps have no attach_invoices field")
        return Step
    steps = Step.search([('attach_invoices', '=', True)])
    if not pdf:
        steps.write({'attach_invoices': False})
        say(f"engine N={n}: attach_invoices switched OFF for the run on {len(steps)} step(s) "
            f"({', '.join(steps.mapped('name')) or '-'}): no PDF rendering is measured")
        return steps
    if not steps:
        steps = env.ref(f'{MODULE}.debt_recovery_step_firm', raise_if_not_found=False) or Step
        steps.write({'attach_invoices': True})
    say(f"engine N={n}: attach_invoices ON for {', '.join(steps.mapped('name')) or '-'}")
    return steps


def run_measured(env, n, sfx, day, run, how, limit=0, profile=None, expect_work=True):
    """Measure ``run()`` (one daily run on ``day``) and report its figures under
    ``engine<sfx>_*``: time, queries, memory, what was due, what it created."""
    cr = env.cr
    due_moves, due_debtors = scheduled(cr, day)
    open_moves, open_debtors = open_invoices(cr)
    marks = output_marks(cr)
    cr.commit()
    env.invalidate_all()
    rss_before = rss_mb()
    measure = Measure()
    with Monitor(cr.dbname, n, due_moves, limit, sfx), measure(), profiled(profile):
        detail = run()
    peak = peak_rss_mb()
    outputs = output_counts(cr, marks)

    cr.execute("""SELECT COUNT(*), COUNT(DISTINCT partner_id),
                         COUNT(DISTINCT (partner_id, step_id, channel)),
                         COUNT(DISTINCT mail_id), COUNT(DISTINCT activity_id),
                         COUNT(*) FILTER (WHERE state = 'failed')
                    FROM debt_recovery_event WHERE id > %s AND event_type = 'step'""",
               [marks['debt_recovery_event']])
    events, debtors, groups, mails_ev, activities_ev, failed = cr.fetchone()
    still_due, __ = scheduled(cr, day)
    if expect_work and not events:
        die(f"engine{sfx}: the run created no event: nothing was due?")

    report(f'engine{sfx}_seconds', n, measure.seconds, 's',
           f"{measure.sql_seconds:.1f} s in SQL; {how}" + (f"; {detail}" if detail else ''))
    report(f'engine{sfx}_queries', n, measure.queries)
    report(f'engine{sfx}_due', n, {
        'day': str(day), 'scheduled_invoices': due_moves, 'scheduled_debtors': due_debtors,
        'reminded_invoices': events, 'reminded_debtors': debtors, 'messages': groups,
        'open_invoices': open_moves, 'open_debtors': open_debtors, 'still_due_after': still_due,
        'failed_events': failed,
    })
    report(f'engine{sfx}_outputs', n, outputs)
    if groups:
        report(f'engine{sfx}_debtor_groups', n, groups, note=f"debtors {debtors}; events {events} ({failed} failed)")
        report(f'queries_per_debtor_group{sfx}', n, round(measure.queries / groups, 2))
        report(f'queries_per_debtor{sfx}', n, round(measure.queries / debtors, 2))
        report(f'engine{sfx}_ms_per_invoice', n, round(1000 * measure.seconds / events, 3), 'ms',
               "per invoice reminded")
    report(f'peak_rss_mb{sfx}', n, round(peak, 1), 'MB', f"process peak; {rss_before:.0f} MB before the run")
    if outputs.get('mail_mail') != mails_ev or outputs.get('mail_activity') != activities_ev:
        say(f"NOTE: {outputs.get('mail_mail')} mails / {outputs.get('mail_activity')} to-dos created, "
            f"the events name {mails_ev} / {activities_ev}")
    return events


def direct_run(env):
    """The scheduled action's method, called once as the cron's user, then committed."""
    cron = env.ref(CRON_XMLID)
    run_env = env(user=cron.user_id.id, context={})

    def run():
        run_env['account.move']._cron_debt_recovery()
        run_env.flush_all()
        env.cr.commit()
        return ''
    return run


def cron_run(env):
    """The scheduled action run as the cron worker runs it: ``method_direct_trigger``
    takes the job and calls ``ir.cron._process_job`` (its own transaction, a progress
    record per call of the action, a commit per batch through ``_commit_progress``,
    at least 10 calls or 10 s per job); a job left partially done is triggered again
    at once, as the worker picks it up again, until the job is fully done."""
    cr = env.cr
    cron = env.ref(CRON_XMLID)

    def run():
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM ir_cron_progress")
        [mark] = cr.fetchone()
        jobs = 0
        while True:
            jobs += 1
            res = cron.method_direct_trigger()
            cr.commit()
            if isinstance(res, dict):
                die(f"the scheduled action failed: {res.get('params', {}).get('data', {}).get('message')}")
            cr.execute("SELECT COUNT(*) FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= now()", [cron.id])
            if not cr.fetchone()[0] or jobs >= 500:
                break
        cr.execute("""SELECT COUNT(*), COALESCE(SUM(done), 0) FROM ir_cron_progress
                       WHERE cron_id = %s AND id > %s""", [cron.id, mark])
        calls, done = cr.fetchone()
        cr.execute("SELECT nextcall, active FROM ir_cron WHERE id = %s", [cron.id])
        nextcall, active = cr.fetchone()
        return (f"{jobs} job run(s), {calls} call(s) of the action, {done} debtors reported done; "
                f"next call {nextcall:%Y-%m-%d %H:%M}{'' if active else ', cron DEACTIVATED'}")
    return run


def engine(env, n, profile=None, limit=0, trace=False, mode='direct', pdf=False):
    from odoo import fields

    cr = env.cr
    set_attach_invoices(env, n, pdf)
    say(f"engine N={n}: batch_size = {batch_size(env)}")
    cron = env.ref(CRON_XMLID)
    day = fields.Date.context_today(env(user=cron.user_id.id, context={}).user)
    env['ir.config_parameter'].set_param('bench.engine_day', str(day))
    cr.commit()
    if trace:
        trace_batches(env)
    if pdf:
        cr.execute("""SELECT COUNT(*) FROM account_move m WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                        AND NOT EXISTS (SELECT 1 FROM ir_attachment a WHERE a.res_model = 'account.move'
                                           AND a.res_id = m.id AND a.res_field = 'invoice_pdf_report_file')""")
        [without] = cr.fetchone()
        if without:
            die(f"{without} invoices have no PDF: run --what attach-pdfs first")
    sfx = {'direct': '', 'cron': '_cron'}[mode] + ('_pdf' if pdf else '')
    if mode == 'direct':
        how = "env['account.move']._cron_debt_recovery() as the cron's user, one transaction"
        run = direct_run(env)
    else:
        how = "ir.cron worker path (_process_job), a commit per batch"
        run = cron_run(env)
    if pdf:
        how += "; firm step with attach_invoices, every invoice with its PDF already"
    run_measured(env, n, sfx, day, run, how, limit, profile)


def attach_pdfs(env, n):
    """What an invoice sent from Odoo carries: its PDF stored as
    ``invoice_pdf_report_file`` (the attachment ``invoice_pdf_report_id`` reads), that
    attachment as the main one, ``is_move_sent``. A one-page PDF is made once
    (reportlab), its attachment created by the ORM on the first invoice (the file goes
    to this database's filestore), then copied in SQL for every other invoice, each
    row named after its invoice and pointing to the same stored file (as the
    filestore does for identical contents)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    cr = env.cr
    t0 = clock()
    first = env['account.move'].search([('move_type', '=', 'out_invoice'), ('state', '=', 'posted')],
                                       order='id', limit=1)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setFont('Helvetica-Bold', 14)
    pdf.drawString(56, 780, first.company_id.name)
    pdf.setFont('Helvetica', 11)
    for i, text in enumerate([f"Facture {first.name}", f"Client : {first.partner_id.name}",
                              f"Date : {first.invoice_date}   Échéance : {first.invoice_date_due}",
                              f"Total TTC : {first.amount_total:.2f} EUR"]):
        pdf.drawString(56, 740 - 18 * i, text)
    pdf.showPage()
    pdf.save()
    content = buf.getvalue()
    proto = env['ir.attachment'].create({
        'name': f"{first.name.replace('/', '_')}.pdf", 'raw': content, 'mimetype': 'application/pdf',
        'res_model': 'account.move', 'res_id': first.id, 'res_field': 'invoice_pdf_report_file',
    })
    env.flush_all()
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'ir_attachment' "
               "AND table_schema = current_schema() ORDER BY ordinal_position")
    cols = [c for [c] in cr.fetchall()]
    now = "(now() AT TIME ZONE 'UTC')"
    overrides = {'id': "nextval('ir_attachment_id_seq')", 'name': "replace(m.name, '/', '_') || '.pdf'",
                 'res_id': 'm.id', 'create_date': now, 'write_date': now}
    cr.execute(f"""
        INSERT INTO ir_attachment ({', '.join(f'"{c}"' for c in cols)})
        SELECT {', '.join(overrides.get(c, f'a."{c}"') for c in cols)}
          FROM account_move m, ir_attachment a
         WHERE a.id = %s AND m.move_type = 'out_invoice' AND m.state = 'posted' AND m.id != %s
    """, [proto.id, first.id])
    copies = cr.rowcount
    cr.execute("""
        UPDATE account_move m SET message_main_attachment_id = a.id, is_move_sent = TRUE
          FROM ir_attachment a
         WHERE a.res_model = 'account.move' AND a.res_field = 'invoice_pdf_report_file' AND a.res_id = m.id
    """)
    linked = cr.rowcount
    cr.commit()
    env.invalidate_all()
    last = env['account.move'].search([('move_type', '=', 'out_invoice'), ('state', '=', 'posted')],
                                      order='id desc', limit=1)
    if not last.invoice_pdf_report_id or last.invoice_pdf_report_id.raw != content:
        die(f"{last.name}: invoice_pdf_report_id does not read the PDF linked in SQL")
    say(f"attach-pdfs N={n}: one {len(content)}-byte PDF, {copies + 1} invoice PDF attachments, "
        f"{linked} invoices marked sent with it as main attachment ({clock() - t0:.1f} s)")


def nextday(env, n, limit=0):
    """The next day's run on the database of the first run."""
    from datetime import timedelta

    from odoo import fields

    cr = env.cr
    param = env['ir.config_parameter'].get_param('bench.engine_day')
    if not param:
        die("no bench.engine_day: run --what engine first")
    day = fields.Date.to_date(param) + timedelta(days=1)
    set_attach_invoices(env, n, pdf=False)
    cr.commit()
    cron = env.ref(CRON_XMLID)
    with frozen_day(day):
        seen = fields.Date.context_today(env(user=cron.user_id.id, context={}).user)
        if seen != day:
            die(f"frozen clock: the cron's user sees {seen}, expected {day}")
        how = (f"env['account.move']._cron_debt_recovery() on {day} (the day after the first run; "
               f"Python's clock moved by freezegun)")
        run_measured(env, n, '_nextday', day, direct_run(env), how, limit, expect_work=False)


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
        (('--what',), {'choices': ['engine', 'attach-pdfs', 'nextday', 'list', 'dashboard'], 'required': True}),
        (('--profile',), {'default': None}),
        (('--limit',), {'type': int, 'default': int(os.environ.get('BENCH_ENGINE_LIMIT') or 1800),
                        'help': "abandon the engine run after this many seconds (0: never)"}),
        (('--trace',), {'action': 'store_true', 'help': "time each batch"}),
        (('--mode',), {'choices': ['direct', 'cron'], 'default': 'direct'}),
        (('--pdf',), {'action': 'store_true', 'help': "the firm step attaches the invoices' PDFs"}),
    ])
    registry = boot(args)
    from odoo import SUPERUSER_ID, api
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.what == 'engine':
            engine(env, args.n, args.profile, args.limit, args.trace, args.mode, args.pdf)
        elif args.what == 'attach-pdfs':
            attach_pdfs(env, args.n)
        elif args.what == 'nextday':
            nextday(env, args.n, args.limit)
        elif args.what == 'list':
            list_read(env, args.n)
        else:
            dashboard(env, args.n)


if __name__ == '__main__':
    main()
