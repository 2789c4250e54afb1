from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import formatLang

from ..models.account_move import DISPUTE_REASONS


class DebtRecoveryDispute(models.TransientModel):
    """Contester: record a dispute on invoices; reminders stop at once."""
    _name = 'debt.recovery.dispute'
    _inherit = 'debt.recovery.invoice.wizard'
    _description = 'Record a Dispute'

    reason = fields.Selection(DISPUTE_REASONS, required=True, default='quality')
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text(help="What the customer says, in its words.")

    def action_confirm(self):
        self.ensure_one()
        moves = self.move_ids
        bad = moves.filtered(lambda m: m.move_type != 'out_invoice' or m.state != 'posted')
        if bad:
            raise UserError(_("Only posted customer invoices can be disputed: %s.", ", ".join(bad.mapped('display_name'))))
        moves.check_access('write')
        moves._recovery_dispute(self.reason, self.date, self.note)
        return {'type': 'ir.actions.act_window_close'}


class DebtRecoveryDisputeResolve(models.TransientModel):
    """Resolve a dispute: resume the plan where it stood, or settle it."""
    _name = 'debt.recovery.dispute.resolve'
    _inherit = 'debt.recovery.invoice.wizard'
    _description = 'Resolve a Dispute'

    resolution = fields.Selection([
        ('resume', "The customer owes the amount: resume the reminders"),
        ('credit_note', "We were wrong: issue a credit note"),
        ('write_off', "Write the amount off"),
    ], required=True, default='resume')
    amount = fields.Monetary("Amount", currency_field='currency_id',
                             help="Credit note or write-off amount; empty: all that is due.")
    write_off_account_id = fields.Many2one(
        'account.account', string="Loss Account",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
        help="E.g. 654 Pertes sur créances irrécouvrables.")
    note = fields.Text()

    @api.constrains('resolution', 'amount', 'move_ids')
    def _check_amount(self):
        """A credit note or a write-off settles part or all of what is due: a negative
        amount or one above the amount due would leave the customer in credit."""
        for wizard in self.filtered(lambda w: w.resolution != 'resume'):
            due = sum(wizard.move_ids.mapped('amount_residual'))
            if wizard.currency_id.compare_amounts(wizard.amount, 0.0) < 0:
                raise ValidationError(_("The amount of a credit note or a write-off cannot be negative: leave it "
                                        "empty to settle all that is due."))
            if wizard.currency_id.compare_amounts(wizard.amount, due) > 0:
                raise ValidationError(_(
                    "The amount (%(amount)s) is more than what is due on the invoice (%(due)s): a credit note or a "
                    "write-off settles what the customer owes, not more.",
                    amount=formatLang(self.env, wizard.amount, currency_obj=wizard.currency_id),
                    due=formatLang(self.env, due, currency_obj=wizard.currency_id)))

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if 'write_off_account_id' in fields_list:
            account = self.env['account.account'].search([
                ('code', '=like', '654%'), ('company_ids', 'in', self.env.company.id)], limit=1)
            res['write_off_account_id'] = account.id
        return res

    def action_confirm(self):
        self.ensure_one()
        moves = self.move_ids.filtered('recovery_dispute_reason')
        if not moves:
            raise UserError(_("None of these invoices is disputed."))
        moves.check_access('write')
        if self.resolution == 'resume':
            # the plan resumes where it stood: what was sent is not sent again, no step is skipped
            moves._recovery_end_dispute(
                _("Dispute resolved: the amount is owed; reminders resume. %s", self.note or ''), resume=True)
            return {'type': 'ir.actions.act_window_close'}
        if len(moves) > 1 and self.amount:
            raise UserError(_("Settle one invoice at a time when you give an amount."))
        if self.resolution == 'credit_note':
            return self._settle_by_credit_note(moves)
        return self._settle_by_write_off(moves)

    def _settle_by_credit_note(self, moves):
        reversal = self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=moves.ids).create({
                'journal_id': moves[:1].journal_id.id, 'date': fields.Date.context_today(self),
                'reason': _("Dispute settled: %s", self.note or dict(
                    self.env['account.move']._fields['recovery_dispute_reason']._description_selection(self.env)
                ).get(moves[:1].recovery_dispute_reason))})
        action = reversal.refund_moves()
        credit_notes = self.env['account.move'].browse(action.get('res_id') or []) or \
            self.env['account.move'].search(action.get('domain') or [('id', '=', 0)])
        if self.amount and len(credit_notes) == 1:
            credit_notes.invoice_line_ids[1:].unlink()
            credit_notes.invoice_line_ids.write({'quantity': 1, 'price_unit': self.amount, 'tax_ids': [fields.Command.clear()]})
        moves._recovery_end_dispute(
            _("Dispute settled by a credit note (%s).", ", ".join(credit_notes.mapped('display_name'))))
        return action

    def _settle_by_write_off(self, moves):
        if not self.write_off_account_id:
            raise UserError(_("Choose the loss account of the write-off."))
        journal = self.env['account.journal'].search([
            ('type', '=', 'general'), ('company_id', '=', moves[:1].company_id.id)], limit=1)
        for move in moves:
            amount = self.amount or move.amount_residual
            receivable = move.line_ids.filtered(lambda l: l.account_type == 'asset_receivable' and not l.reconciled)
            entry = self.env['account.move'].create({
                'move_type': 'entry', 'journal_id': journal.id, 'date': fields.Date.context_today(self),
                'ref': _("Write-off of %s", move.name),
                'line_ids': [
                    fields.Command.create({'account_id': self.write_off_account_id.id, 'debit': amount,
                                           'partner_id': move.commercial_partner_id.id, 'name': _("Write-off of %s", move.name)}),
                    fields.Command.create({'account_id': receivable[:1].account_id.id, 'credit': amount,
                                           'partner_id': move.commercial_partner_id.id, 'name': _("Write-off of %s", move.name)}),
                ],
            })
            entry.action_post()
            move._recovery_end_dispute(_("Dispute settled by a write-off of %s.", entry.name))
            (receivable | entry.line_ids.filtered(lambda l: l.account_id == receivable[:1].account_id)).reconcile()
        return {'type': 'ir.actions.act_window_close'}
