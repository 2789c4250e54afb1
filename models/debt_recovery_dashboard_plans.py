"""The dashboard's figures of what debtors agreed: promises kept or broken, payment
plans active, completed or broken, requests waiting for an answer."""
from odoo import api, models
from odoo.tools import SQL


class DebtRecoveryDashboard(models.TransientModel):
    _inherit = 'debt.recovery.dashboard'

    @api.model
    def get_figures(self, date_from, date_to, company_ids=None):
        """Adds ``promises_kept`` / ``promises_broken`` (promises ended in the period, per
        invoice), ``plans_active`` and ``plan_requests`` (now), ``plans_completed`` /
        ``plans_broken`` (completed or broken in the period)."""
        figures = super().get_figures(date_from, date_to, company_ids)
        ids = figures['company_ids'] or [0]
        figures.update(self._figures_agreements(ids, figures['date_from'], figures['date_to']))
        return figures

    @api.model
    def _figures_agreements(self, ids, date_from, date_to):
        # the end of a promise is an event whose note source says how it ended
        # (account.move._recovery_end_promises)
        [(kept, broken)] = self.env.execute_query(SQL(
            """
            SELECT COUNT(*) FILTER (WHERE note_source LIKE 'Promise to pay kept%%'),
                   COUNT(*) FILTER (WHERE note_source LIKE 'Promise to pay broken%%')
              FROM debt_recovery_event
             WHERE event_type = 'promise' AND state = 'done' AND company_id = ANY(%(ids)s)
               AND date >= %(date_from)s AND date < %(date_to)s::date + 1
            """, ids=ids, date_from=date_from, date_to=date_to))
        [(active, requests, completed, broken_plans)] = self.env.execute_query(SQL(
            """
            SELECT COUNT(*) FILTER (WHERE state = 'active'),
                   COUNT(*) FILTER (WHERE state = 'draft' AND debtor_request),
                   COUNT(*) FILTER (WHERE state = 'completed'
                                      AND completion_date BETWEEN %(date_from)s AND %(date_to)s),
                   COUNT(*) FILTER (WHERE state = 'broken' AND break_date BETWEEN %(date_from)s AND %(date_to)s)
              FROM debt_recovery_payment_plan
             WHERE company_id = ANY(%(ids)s)
            """, ids=ids, date_from=date_from, date_to=date_to))
        return {
            'promises_kept': kept, 'promises_broken': broken,
            'plans_active': active, 'plan_requests': requests,
            'plans_completed': completed, 'plans_broken': broken_plans,
        }
