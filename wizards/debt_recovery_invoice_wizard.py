from odoo import api, fields, models


class DebtRecoveryInvoiceWizard(models.AbstractModel):
    """What the recovery wizards on invoices share: the invoices they act on,
    taken from the selection, and the currency of their amounts."""
    _name = 'debt.recovery.invoice.wizard'
    _description = 'Recovery Wizard on Invoices'

    move_ids = fields.Many2many('account.move', string="Invoices", required=True)
    currency_id = fields.Many2one('res.currency', compute='_compute_currency_id')

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if 'move_ids' in fields_list and not res.get('move_ids') and ctx.get('active_model') == 'account.move':
            res['move_ids'] = [fields.Command.set(ctx.get('active_ids') or [])]
        return res

    @api.depends('move_ids')
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.move_ids[:1].currency_id or self.env.company.currency_id
