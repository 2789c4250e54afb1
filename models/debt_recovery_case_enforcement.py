from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class DebtRecoveryCaseEnforcement(models.Model):
    _name = 'debt.recovery.case.enforcement'
    _description = 'Enforcement Step of a Case'
    _order = 'date, id'

    case_id = fields.Many2one('debt.recovery.case', required=True, ondelete='cascade', index=True)
    currency_id = fields.Many2one(related='case_id.currency_id')
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection([
        ('request', "Request for enforcement"),
        ('attachment', "Attachment of a bank account (saisie-attribution)"),
        ('recovered', "Amount recovered"),
        ('fee', "Fees"),
        ('other', "Other"),
    ], required=True, default='request')
    amount = fields.Monetary()
    note = fields.Char()

    @api.constrains('date', 'amount')
    def _check_date_amount(self):
        """An enforcement step records what was done: dated today or before, with an
        amount (recovered, or paid in fees) that is not negative."""
        today = fields.Date.context_today(self)
        for step in self:
            if step.date > today:
                raise ValidationError(_("%(case)s: an enforcement step cannot be dated in the future (%(date)s).",
                                        case=step.case_id.name, date=format_date(self.env, step.date)))
            if step.amount < 0:
                raise ValidationError(_("%(case)s: the amount of an enforcement step cannot be negative.",
                                        case=step.case_id.name))
