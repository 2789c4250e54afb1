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
"""
from benchlib import Measure, boot, die, parse_args, peak_rss_mb, report, say

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


def run(env, n):
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
    credit_run = user_env['credit.control.run'].create({'date': today, 'policy_ids': [(6, 0, policy.ids)]})
    cr.commit()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_mail")
    [last_mail] = cr.fetchone()

    steps = {}
    for name, method in [('generate_lines', 'generate_credit_lines'), ('set_ready', 'set_to_ready_lines'),
                         ('email_channel', 'run_channel_action')]:
        user_env.invalidate_all()
        measure = Measure()
        with measure():
            getattr(credit_run, method)()
            user_env.flush_all()
            cr.commit()     # like a request: tracking values are written at commit
        steps[name] = measure
        say(f"oca N={n}: {name}: {measure.seconds:.1f} s, {measure.queries} queries "
            f"({measure.sql_seconds:.1f} s SQL), peak RSS so far {peak_rss_mb():.0f} MB")

    cr.execute("SELECT COUNT(*), COUNT(DISTINCT partner_id) FROM credit_control_line WHERE run_id = %s",
               [credit_run.id])
    lines, partners = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM credit_control_communication c WHERE EXISTS ("
               "SELECT 1 FROM credit_control_line l WHERE l.communication_id = c.id AND l.run_id = %s)",
               [credit_run.id])
    [comms] = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM mail_mail WHERE id > %s", [last_mail])
    [mails] = cr.fetchone()
    total = sum(m.seconds for m in steps.values())
    queries = sum(m.queries for m in steps.values())
    detail = ", ".join(f"{k} {m.seconds:.1f} s / {m.queries} q" for k, m in steps.items())
    report('oca_seconds', n, total, 's', detail)
    report('oca_queries', n, queries, note=f"{lines} credit lines of {partners} partners, "
                                           f"{comms} communications, {mails} e-mails queued")
    report('oca_peak_rss_mb', n, round(peak_rss_mb(), 1), 'MB')
    if not lines or not mails:
        die("OCA produced no line or no e-mail: the comparison would mean nothing")


def main():
    args = parse_args([(('--what',), {'choices': ['setup', 'run'], 'required': True})])
    registry = boot(args)
    from odoo import SUPERUSER_ID, api
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.what == 'setup':
            setup(env)
        else:
            run(env, args.n)


if __name__ == '__main__':
    main()
