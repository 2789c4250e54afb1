"""The dashboard's figure of what was paid online after a reminder."""
from odoo import api, models
from odoo.tools import SQL


class DebtRecoveryDashboard(models.TransientModel):
    _inherit = 'debt.recovery.dashboard'

    @api.model
    def get_figures(self, date_from, date_to, company_ids=None):
        """Adds ``collected_online_after_reminder``: the part of ``recovered_after_reminder``
        paid online (payments made by an Odoo payment transaction, from the debtor's page
        or an invoice's)."""
        figures = super().get_figures(date_from, date_to, company_ids)
        figures['collected_online_after_reminder'] = self._figures_recovered(
            figures['company_ids'] or [0], figures['date_from'], figures['date_to'], payments=SQL(
                "EXISTS (SELECT 1 FROM account_payment pay"
                " WHERE pay.move_id = cm.id AND pay.payment_transaction_id IS NOT NULL)"))
        return figures
