from odoo import fields, models


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
