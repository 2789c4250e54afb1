import datetime
from collections import namedtuple

from odoo import _, api, fields, models
from odoo.tools import format_date, formatLang
from odoo.tools.translate import LazyGettext, get_translation

from ..tools.fr_format import format_fr_amount, format_fr_date
from .debt_recovery_step import STEP_ACTIONS

MODULE = 'l10n_fr_debt_recovery'
# A selection value in an event's note, written in the language the note is read in.
SelectionValue = namedtuple('SelectionValue', 'model field key')
# An amount in an event's note, written the way of the language it is read in.
Amount = namedtuple('Amount', 'value currency')

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
    ('payment_plan', "Payment plan"),
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
    origin = fields.Selection([('cron', "Scheduled run"), ('manual', "Remind button"), ('debtor', "Debtor's page")],
                              default='cron', readonly=True)
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
    note = fields.Text(readonly=True, help="The note as it was written, in the language of the user who acted.")
    note_source = fields.Text(readonly=True, help="The note's text in the code (English), translated when it is read.")
    note_args = fields.Json(readonly=True, help="The values of the note: dates and labels are written in the "
                                                "language the note is read in.")
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

    # --- notes that can be read in French -------------------------------------------
    @api.model
    def _note_vals(self, note):
        """The values of an event's note: ``note`` is a plain text, or a lazy
        translation (``_lt(source, values)``) whose values may be dates, lazy
        translations or ``SelectionValue``: kept as source and values, so that the
        history of a court file is written in French whoever acted."""
        if not isinstance(note, LazyGettext):
            return {'note': note}
        args = note._args
        stored = {k: self._note_arg_vals(v) for k, v in args.items()} if isinstance(args, dict) \
            else [self._note_arg_vals(v) for v in args]
        return {'note': self._note_render(note._source, stored, self.env.lang or 'en_US'),
                'note_source': note._source, 'note_args': stored}

    @api.model
    def _note_text(self, note):
        """A note (text or lazy translation) as a text in the user's language."""
        return self._note_vals(note)['note'] if isinstance(note, LazyGettext) else note

    @api.model
    def _note_arg_vals(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return {'date': value.isoformat()}
        if isinstance(value, LazyGettext):
            return {'term': value._source}
        if isinstance(value, SelectionValue):
            return {'selection': list(value)}
        if isinstance(value, Amount):
            return {'amount': value.value, 'currency': value.currency.id}
        return value

    @api.model
    def _note_render(self, source, args, lang):
        """The note of ``source`` with the stored ``args``, written in ``lang``."""
        env = self.with_context(lang=lang).env

        def value(arg):
            if not isinstance(arg, dict):
                return arg
            if 'date' in arg:
                day = datetime.date.fromisoformat(arg['date'])
                return format_fr_date(day) if lang.startswith('fr') else format_date(env, day)
            if 'term' in arg:
                return get_translation(MODULE, lang, arg['term'], ())
            if 'amount' in arg:
                currency = env['res.currency'].browse(arg['currency'])
                if lang.startswith('fr'):
                    return format_fr_amount(arg['amount'], currency.name)
                return formatLang(env, arg['amount'], currency_obj=currency)
            if 'selection' in arg:
                model, field, key = arg['selection']
                return dict(env[model]._fields[field]._description_selection(env)).get(key, key)
            return arg

        values = {k: value(v) for k, v in args.items()} if isinstance(args, dict) \
            else tuple(value(v) for v in args or ())
        return get_translation(MODULE, lang, source, values)

    def _note_in(self, lang):
        """The event's note written in ``lang`` (the stored text for notes kept as text)."""
        self.ensure_one()
        if not self.note_source:
            return self.note or ''
        return self._note_render(self.note_source, self.note_args, lang)

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
