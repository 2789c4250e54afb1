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
        [(amount,)] = self.env.execute_query(SQL(
            """
            SELECT COALESCE(SUM(p.amount), 0)
              FROM account_partial_reconcile p
              JOIN account_move_line dl ON dl.id = p.debit_move_id
              JOIN account_move dm ON dm.id = dl.move_id
              JOIN account_move_line cl ON cl.id = p.credit_move_id
              JOIN account_payment pay ON pay.move_id = cl.move_id
             WHERE dm.move_type = 'out_invoice'
               AND dm.company_id = ANY(%(ids)s)
               AND pay.payment_transaction_id IS NOT NULL
               AND p.max_date BETWEEN %(date_from)s AND %(date_to)s
               AND EXISTS (
                   SELECT 1 FROM debt_recovery_event e
                    WHERE e.move_id = dm.id AND e.state = 'done' AND e.event_type = 'step'
                      AND e.date < p.max_date + 1)
            """, ids=figures['company_ids'] or [0], date_from=figures['date_from'], date_to=figures['date_to']))
        figures['collected_online_after_reminder'] = amount
        return figures
