from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import formatLang
from odoo.tools.translate import _lt

from ..models.account_move import DISPUTE_REASONS
from ..models.debt_recovery_event import SelectionValue

class DebtRecoveryCallOutcome(models.TransientModel):
    """Complete the call to-do of the plan with what the customer said."""
    _name = 'debt.recovery.call.outcome'
    _inherit = 'debt.recovery.invoice.wizard'
    _description = 'Call Outcome'

    partner_id = fields.Many2one('res.partner', string="Customer", required=True)
    move_ids = fields.Many2many('account.move', string="Invoices", required=True,
                                domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'),"
                                       " ('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]")
    activity_id = fields.Many2one('mail.activity', string="Call To-do")
    outcome = fields.Selection(selection='_selection_outcome', required=True, default='will_pay')
    promise_date = fields.Date("Promised Date")
    promise_amount = fields.Monetary("Promised Amount", currency_field='currency_id')
    dispute_reason = fields.Selection(DISPUTE_REASONS)
    note = fields.Text()

    @api.model
    def _selection_outcome(self):
        """The events' call outcomes, their labels translated: one list, translated once."""
        return self.env['debt.recovery.event']._fields['call_outcome']._description_selection(self.env)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        partner = self.env['res.partner']
        if ctx.get('active_model') == 'res.partner' and ctx.get('active_id'):
            partner = self.env['res.partner'].browse(ctx['active_id']).commercial_partner_id
        elif ctx.get('active_model') == 'account.move' and ctx.get('active_ids'):
            partner = self.env['account.move'].browse(ctx['active_ids']).commercial_partner_id[:1]
        if partner:
            res['partner_id'] = partner.id
            call_type = self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_call')
            activity = self.env['mail.activity'].search([
                ('res_model', '=', 'res.partner'), ('res_id', '=', partner.id),
                ('activity_type_id', '=', call_type.id)], limit=1, order='id desc')
            res['activity_id'] = activity.id
            events = self.env['debt.recovery.event'].search([('activity_id', '=', activity.id)]) if activity else []
            moves = events and events.move_id.filtered(lambda m: m.payment_state in ('not_paid', 'partial'))
            if not moves:
                moves = self.env['account.move'].search([
                    ('commercial_partner_id', '=', partner.id), ('move_type', '=', 'out_invoice'),
                    ('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial')),
                    ('recovery_state', '!=', 'none')])
            res['move_ids'] = [fields.Command.set(moves.ids)]
        return res

    @api.constrains('outcome', 'promise_date', 'promise_amount', 'move_ids')
    def _check_promise(self):
        """The promise as typed: for a date to come, of part or all of what is due (the
        amount is then spread over the invoices: an excess would be dropped silently)."""
        today = fields.Date.context_today(self)
        for wizard in self.filtered(lambda w: w.outcome == 'promise'):
            if wizard.promise_date and wizard.promise_date < today:
                raise ValidationError(_("A promise to pay is for a date to come."))
            due = sum(wizard.move_ids.mapped('amount_residual'))
            if wizard.currency_id.compare_amounts(wizard.promise_amount, 0.0) < 0:
                raise ValidationError(_("The promised amount cannot be negative: leave it empty when the customer "
                                        "promised all that is due."))
            if wizard.currency_id.compare_amounts(wizard.promise_amount, due) > 0:
                raise ValidationError(_(
                    "The promised amount (%(amount)s) is more than what is due on these invoices (%(due)s).",
                    amount=formatLang(self.env, wizard.promise_amount, currency_obj=wizard.currency_id),
                    due=formatLang(self.env, due, currency_obj=wizard.currency_id)))

    def action_confirm(self):
        self.ensure_one()
        moves = self.move_ids
        if not moves:
            raise UserError(_("Select the invoices the call was about."))
        moves.check_access('write')
        todos = self._call_todos(moves)
        note = _lt("Call outcome: %(outcome)s. %(note)s", note=self.note or '',
                   outcome=SelectionValue(self._name, 'outcome', self.outcome))
        if self.outcome == 'promise':
            if not self.promise_date:
                raise UserError(_("Enter the date the customer promised to pay."))
            total = sum(moves.mapped('amount_residual'))
            amount = self.promise_amount or total
            # the promised amount is spread over the invoices, oldest first
            for move in moves.sorted(lambda m: (m.recovery_due_date or m.invoice_date_due, m.id)):
                share = min(amount, move.amount_residual)
                amount -= share
                if share > 0:
                    move.write({'recovery_promise_date': self.promise_date, 'recovery_promise_amount': share})
        elif self.outcome == 'dispute':
            if not self.dispute_reason:
                raise UserError(_("Enter what the customer disputes."))
            self.env['debt.recovery.dispute'].create({
                'move_ids': [fields.Command.set(moves.ids)], 'reason': self.dispute_reason, 'note': self.note,
            }).action_confirm()
        elif self.outcome == 'no_answer':
            self._schedule_retry(moves)
        elif self.outcome == 'wrong_number':
            self.partner_id.sudo().message_post(body=_("Recovery call: wrong number (%s). Check the phone number.",
                                                self.partner_id.phone or _("no number")))
        moves._recovery_change(event_type='call', note=note, chatter=True,
                               event_vals={'channel': 'call', 'call_outcome': self.outcome})
        # the call is made: its to-dos are done with the outcome (not the new attempt just scheduled)
        todos.action_feedback(feedback=self.env['debt.recovery.event']._note_text(note))
        return {'type': 'ir.actions.act_window_close'}

    def _call_todos(self, moves):
        """The open call to-dos this outcome answers: the one chosen, those the plan's call
        steps created for these invoices, and the customer's *Recovery call* to-dos (attempts)."""
        Activity = self.env['mail.activity'].sudo()
        todos = Activity.browse(self.activity_id.ids)
        todos |= self.env['debt.recovery.event'].sudo().search([
            ('move_id', 'in', moves.ids), ('channel', '=', 'call'), ('activity_id', '!=', False)]).activity_id
        todos |= Activity.search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', self.partner_id.id),
            ('activity_type_id', '=', self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_call').id)])
        return todos.exists().filtered('active')

    def _schedule_retry(self, moves):
        """No answer: call again after the company's delay, at most N times, then move on."""
        company = moves[:1].company_id
        attempts = self.env['debt.recovery.event'].sudo().search_count([
            ('move_id', 'in', moves.ids), ('event_type', '=', 'call'), ('call_outcome', '=', 'no_answer')])
        # one event per invoice and attempt
        attempts = attempts // max(len(moves), 1)
        if attempts >= company.recovery_call_max_retries:
            return False
        user = self.activity_id.user_id or company.recovery_call_user_id or self.env.user
        return self.partner_id.sudo().activity_schedule(
            'l10n_fr_debt_recovery.mail_activity_type_recovery_call', user_id=user.id,
            date_deadline=fields.Date.add(fields.Date.context_today(self), days=company.recovery_call_retry_delay),
            summary=_("Call again %(partner)s (attempt %(n)s)", partner=self.partner_id.display_name, n=attempts + 2))
