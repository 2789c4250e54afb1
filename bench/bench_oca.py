"""The same invoices through OCA's account_credit_control (19.0), for comparison.

    --what setup  (on the dataset database where account_credit_control is installed)
                  a policy of 3 levels like ours: e-mail at due date + 5, e-mail at
                  + 15, letter at + 30, on the receivable accounts, as the company's
                  policy; the e-mail template's PDF summary removed (no PDF on either
                  side); the administrator made credit control manager.
    --what run    what a user clicks, as the administrator: a run at today ->
                  Generate lines -> set lines ready -> run channel action (e-mail),
                  each step committed like an HTTP request (tracking included).
                  E-mails are queued (mail_notify_force_send off): no SMTP delivery,
                  as on our side.
    --what nextday  the same on the database of the first run, "today" moved one day
                  forward (freezegun in this process, as on our side).
    --limit S     abandon a run after S seconds (default OCA_LIMIT or 1800): reported
                  as "not finished after S s", a measured lower bound, with the step
                  it was in and what it had created.

Each run reports time, queries, peak memory, what was due (credit lines generated:
the invoices reaching a level that day) and what it created, counted like ours
(e-mails, to-dos, credit lines, communications, chatter messages by type, tracking
values, followers, attachments): ``oca<sfx>_*`` in bench/out/results.jsonl.
Whether OCA can attach the invoices' existing PDFs to its e-mails is checked on
its models and reported (``oca_pdf_seconds``).
"""
import os

from benchlib import (Measure, Watchdog, boot, die, frozen_day, open_invoices, output_counts, output_marks, parse_args,
                      peak_rss_mb, report, rss_mb, say)

LEVELS = [  # level, delay from the due date, channel
    (1, 5, 'email'), (2, 15, 'email'), (3, 30, 'letter'),
]


def setup(env):
    template = env.ref('account_credit_control.email_template_credit_control_base')
    if template.report_template_ids:
        template.report_template_ids = [(5,)]
    accounts = env['account.account'].search([('account_type', '=', 'asset_receivable')])
    policy = env['credit.control.policy'].create({
        'name': "Bench: e-mail +5, e-mail +15, letter +30",
        'account_ids': [(6, 0, accounts.ids)],
        'level_ids': [(0, 0, {
            'name': f"Level {level}: {channel} at due date + {delay}",
            'level': level,
            'computation_mode': 'net_days',
            'delay_days': delay,
            'channel': channel,
            'email_template_id': template.id,
            'mail_show_invoice_detail': True,
            'custom_text': "Our records show these invoices are unpaid.",
            'custom_mail_text': "<p>Our records show that the invoices below are still unpaid. "
                                "Please pay them at your earliest convenience.</p>",
        }) for level, delay, channel in LEVELS],
    })
    env.company.credit_policy_id = policy
    env.ref('base.user_admin').write({'group_ids': [(4, env.ref(
        'account_credit_control.group_account_credit_control_manager').id)]})
    env['ir.config_parameter'].set_param('bench.oca_policy_id', str(policy.id))
    env.cr.commit()
    say(f"OCA policy {policy.id} ({policy.name}) set on {env.company.name}; "
        f"PDF summary removed from the e-mail template")


class Monitor(Watchdog):
    """Credit lines and e-mails created so far, the step running and memory, every
    minute; past ``limit`` seconds the run is abandoned and reported as not finished
    after that time."""
    sequences = ('credit_control_line_id_seq', 'mail_mail_id_seq')

    def __init__(self, db, n, limit, sfx):
        super().__init__(db, limit)
        self.n, self.sfx = n, sfx
        self.step, self.done = '', []

    def progress(self, elapsed, deltas):
        lines, mails = deltas
        say(f"oca{self.sfx} progress N={self.n}: {elapsed:.0f} s, step {self.step}, ~{lines} credit lines, "
            f"~{mails} e-mails, RSS {rss_mb():.0f} MB")

    def abandon(self, elapsed, deltas):
        lines, mails = deltas
        report(f'oca{self.sfx}_seconds', self.n, 'not finished', note=(
            f"not finished after {elapsed:.0f} s (OCA_LIMIT={self.limit}): in step {self.step}; "
            f"done: {', '.join(self.done) or 'nothing'}; ~{lines} credit lines, ~{mails} e-mails created "
            f"so far; RSS {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB"))
        report(f'oca{self.sfx}_seconds_lower_bound', self.n, round(elapsed, 1), 's',
               "measured: the run had not finished after this time")
        report(f'oca_peak_rss_mb{self.sfx}', self.n, round(peak_rss_mb(), 1), 'MB', "at abandon time")


def run(env, n, sfx='', limit=0):
    from odoo import fields

    cr = env.cr
    policy = env['credit.control.policy'].browse(int(env['ir.config_parameter'].get_param('bench.oca_policy_id')))
    if not policy.exists():
        die("no OCA policy: run --what setup first")
    admin = env.ref('base.user_admin')
    user_env = env(user=admin.id, su=False, context={
        'lang': 'en_US', 'tz': 'Europe/Paris', 'allowed_company_ids': [env.company.id],
        'mail_notify_force_send': False,
    })
    today = fields.Date.context_today(user_env.user)
    open_moves, open_debtors = open_invoices(cr)
    credit_run = user_env['credit.control.run'].create({'date': today, 'policy_ids': [(6, 0, policy.ids)]})
    cr.commit()
    marks = output_marks(cr)

    steps = {}
    monitor = Monitor(cr.dbname, n, limit, sfx)
    with monitor:
        for name, method in [('generate_lines', 'generate_credit_lines'), ('set_ready', 'set_to_ready_lines'),
                             ('email_channel', 'run_channel_action')]:
            monitor.step = name
            user_env.invalidate_all()
            measure = Measure()
            with measure():
                getattr(credit_run, method)()
                user_env.flush_all()
                cr.commit()     # like a request: tracking values are written at commit
            steps[name] = measure
            monitor.done.append(f"{name} {measure.seconds:.0f} s")
            say(f"oca{sfx} N={n}: {name}: {measure.seconds:.1f} s, {measure.queries} queries "
                f"({measure.sql_seconds:.1f} s SQL), peak RSS so far {peak_rss_mb():.0f} MB")
    outputs = output_counts(cr, marks)

    cr.execute("""SELECT COUNT(*), COUNT(DISTINCT partner_id), COUNT(*) FILTER (WHERE channel = 'email'),
                         COUNT(*) FILTER (WHERE channel = 'letter'),
                         string_agg(DISTINCT level::text, ',')
                    FROM credit_control_line WHERE run_id = %s""", [credit_run.id])
    lines, partners, email_lines, letter_lines, levels = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM credit_control_communication c WHERE EXISTS ("
               "SELECT 1 FROM credit_control_line l WHERE l.communication_id = c.id AND l.run_id = %s)",
               [credit_run.id])
    [comms] = cr.fetchone()
    total = sum(m.seconds for m in steps.values())
    queries = sum(m.queries for m in steps.values())
    detail = ", ".join(f"{k} {m.seconds:.1f} s / {m.queries} q" for k, m in steps.items())
    report(f'oca{sfx}_seconds', n, total, 's', f"run of {today}: {detail}")
    report(f'oca{sfx}_queries', n, queries, note=f"{lines} credit lines of {partners} partners "
                                                 f"(levels {levels or '-'}; {email_lines} e-mail, "
                                                 f"{letter_lines} letter), {comms} communications")
    report(f'oca{sfx}_due', n, {'day': str(today), 'credit_lines': lines, 'credit_partners': partners,
                                'open_invoices': open_moves, 'open_debtors': open_debtors})
    report(f'oca{sfx}_outputs', n, outputs)
    report(f'oca_peak_rss_mb{sfx}', n, round(peak_rss_mb(), 1), 'MB')
    if not sfx and (not lines or not outputs.get('mail_mail')):
        die("OCA produced no line or no e-mail: the comparison would mean nothing")


def can_attach_invoice_pdfs(env, n):
    """OCA's counterpart of our firm step with the invoices' PDFs: its e-mail channel
    posts the level's mail template on the communication, which attaches what that
    template renders (its own PDF summary, removed on both sides here); the policy
    levels and communications have no option to attach the invoices' existing PDFs.
    Checked on the installed models, not assumed."""
    names = [f"{model}.{fname}" for model in ('credit.control.policy.level', 'credit.control.policy',
                                              'credit.control.communication')
             for fname in env[model]._fields
             if ('attach' in fname or 'pdf' in fname or 'invoice_report' in fname)
             and fname not in ('message_attachment_count', 'message_main_attachment_id')]
    if names:
        report('oca_pdf_seconds', n, 'not measured', note=f"OCA has {', '.join(names)}: not benchmarked yet")
    else:
        report('oca_pdf_seconds', n, 'cannot', note=(
            "account_credit_control has no option to attach the invoices' PDFs to its e-mails (no such field "
            "on its policy, levels or communications): its e-mail attaches only what the level's mail "
            "template renders (its PDF summary of the communication)"))


def main():
    args = parse_args([
        (('--what',), {'choices': ['setup', 'run', 'nextday'], 'required': True}),
        (('--limit',), {'type': int, 'default': int(os.environ.get('OCA_LIMIT') or 1800),
                        'help': "abandon the OCA run after this many seconds (0: never)"}),
    ])
    registry = boot(args)
    from datetime import timedelta

    from odoo import SUPERUSER_ID, api, fields
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.what == 'setup':
            setup(env)
        elif args.what == 'run':
            can_attach_invoice_pdfs(env, args.n)
            run(env, args.n, limit=args.limit)
        else:
            cr.execute("SELECT MAX(date) FROM credit_control_run")
            [last] = cr.fetchone()
            if not last:
                die("no OCA run yet: run --what run first")
            day = last + timedelta(days=1)
            with frozen_day(day):
                if fields.Date.context_today(env.ref('base.user_admin').with_context(tz='Europe/Paris')) != day:
                    die(f"frozen clock: today is not {day}")
                run(env, args.n, '_nextday', args.limit)


if __name__ == '__main__':
    main()
