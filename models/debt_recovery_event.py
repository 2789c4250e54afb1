from odoo import _, api, fields, models

from .debt_recovery_step import STEP_ACTIONS

EVENT_CHANNELS = STEP_ACTIONS + [('system', "System")]
EVENT_TYPES = [
    ('step', "Reminder step"),
    ('payment', "Paid"),
    ('reopen', "Reopened"),
    ('state', "Status change"),
    ('case', "Case"),
    ('promise', "Promise to pay"),
    ('dispute', "Dispute"),
    ('call', "Call outcome"),
    ('suspension', "Suspension of work"),
    ('agency', "Collection agency"),
    ('declaration', "Claim declared"),
]

# Where the message or to-do of an event stands now (see ``_compute_delivery_state``).
DELIVERY_STATES = [
    ('queued', "Queued"),
    ('sent', "Sent"),
    ('todo', "To do"),
    ('done', "Done"),
    ('failed', "Failed"),
    ('cancelled', "Cancelled"),
]


class DebtRecoveryEvent(models.Model):
    """The evidence of one recovery action on one invoice.

    One event per invoice and step: a single e-mail sent to a debtor for three
    invoices leaves three events sharing the same ``mail_id``. The partial unique
    index makes an automatic step happen at most once per invoice, whatever the
    number of workers or clicks (only a user's explicit re-send is ``forced``).
    """
    _name = 'debt.recovery.event'
    _description = 'Debt Recovery Event'
    _order = 'date desc, id desc'
    _rec_name = 'summary'

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    event_type = fields.Selection(EVENT_TYPES, required=True, default='step', readonly=True)
    move_id = fields.Many2one('account.move', string="Invoice", index=True, ondelete='cascade', readonly=True)
    partner_id = fields.Many2one('res.partner', string="Debtor", index=True, readonly=True, required=True)
    company_id = fields.Many2one('res.company', required=True, index=True, readonly=True,
                                 default=lambda self: self.env.company)
    step_id = fields.Many2one('debt.recovery.step', index=True, ondelete='restrict', readonly=True)
    case_id = fields.Many2one('debt.recovery.case', string="Case", index='btree_not_null', ondelete='set null',
                              readonly=True)
    channel = fields.Selection(EVENT_CHANNELS, required=True, readonly=True)
    user_id = fields.Many2one('res.users', string="Done by", default=lambda self: self.env.user, readonly=True)
    origin = fields.Selection([('cron', "Scheduled run"), ('manual', "Remind button")], default='cron', readonly=True)
    forced = fields.Boolean(readonly=True, help="Step sent again on purpose by a user.")
    state = fields.Selection(
        [('done', "Done"), ('failed', "Failed"), ('cancelled', "Cancelled")],
        required=True, default='done', index=True)
    amount_residual = fields.Monetary("Amount Due", currency_field='currency_id', readonly=True,
                                      help="Amount due on the invoice when the event happened.")
    currency_id = fields.Many2one('res.currency', readonly=True)
    mail_id = fields.Many2one('mail.mail', string="E-mail", index='btree_not_null', ondelete='set null', readonly=True)
    mail_message_id = fields.Many2one('mail.message', string="Message", ondelete='set null', readonly=True)
    sms_id = fields.Many2one('sms.sms', string="SMS", ondelete='set null', readonly=True)
    activity_id = fields.Many2one('mail.activity', string="To-do", index='btree_not_null',
                                  ondelete='set null', readonly=True)
    call_outcome = fields.Selection([
        ('will_pay', "Reached: will pay"),
        ('promise', "Promise to pay"),
        ('dispute', "Dispute"),
        ('wrong_number', "Wrong number"),
        ('no_answer', "No answer"),
    ], readonly=True)
    note = fields.Text(readonly=True)
    failure_reason = fields.Text(readonly=True)
    summary = fields.Char(compute='_compute_summary')
    delivery_state = fields.Selection(
        DELIVERY_STATES, string="Delivery", compute='_compute_delivery_state',
        help="Where the reminder stands now: an e-mail or SMS is queued until the outgoing queue sends it, then "
             "sent; a to-do is to do, then done; failed or cancelled as the event says.")

    _step_once = models.UniqueIndex(
        "(move_id, step_id) WHERE state = 'done' AND NOT forced AND step_id IS NOT NULL",
        "This reminder step was already done for this invoice.",
    )
    _move_state_idx = models.Index("(move_id, state)")

    @api.depends('event_type', 'step_id', 'channel', 'move_id')
    def _compute_summary(self):
        channels = dict(self._fields['channel']._description_selection(self.env))
        types = dict(self._fields['event_type']._description_selection(self.env))
        for event in self:
            what = event.step_id.name if event.step_id else types.get(event.event_type)
            event.summary = f"{event.move_id.name or ''} · {what} ({channels.get(event.channel)})"

    @api.depends('state', 'mail_id.state', 'sms_id.state', 'activity_id.active', 'channel', 'event_type')
    def _compute_delivery_state(self):
        """An event is *done* when its message or to-do is created; whether the debtor
        got the message is the mail's (or SMS's) own state: ``outgoing`` waits in the
        queue, then sent (a mail deleted after sending keeps its message)."""
        # the queues (mail.mail, sms.sms) are for administrators: read their state as such
        for event, event_sudo in zip(self, self.sudo()):
            if event.state in ('failed', 'cancelled'):
                event.delivery_state = event.state
            elif event_sudo.mail_id:
                event.delivery_state = {'outgoing': 'queued', 'sent': 'sent', 'received': 'sent'}.get(
                    event_sudo.mail_id.state, 'failed')
            elif event_sudo.sms_id:
                event.delivery_state = {'outgoing': 'queued', 'process': 'queued', 'pending': 'sent',
                                        'sent': 'sent'}.get(event_sudo.sms_id.state, 'failed')
            elif event.channel in ('email', 'sms') and event.event_type == 'step':
                # the mail or SMS was deleted once sent
                event.delivery_state = 'sent'
            elif event_sudo.activity_id:
                event.delivery_state = 'todo' if event_sudo.activity_id.active else 'done'
            else:
                event.delivery_state = 'done'

    def _recovery_mark_failed(self, reason):
        """Record a delivery failure and step the invoices back so the step is retried."""
        self.write({'state': 'failed', 'failure_reason': reason})
        self.env['account.move']._recovery_step_back(self.move_id, _("Reminder not delivered: %s", reason))
