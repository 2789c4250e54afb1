from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = 'account.partial.reconcile'

    def _recovery_invoices(self):
        return (self.debit_move_id.move_id | self.credit_move_id.move_id).filtered(
            lambda m: m.move_type == 'out_invoice' and m.recovery_state != 'none')

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A payment or a credit note that settles an invoice ends its recovery at once.
        partials._recovery_invoices()._recovery_sync_payment_state()
        return partials

    def unlink(self):
        invoices = self._recovery_invoices()
        res = super().unlink()
        invoices.exists()._recovery_sync_payment_state()
        return res
