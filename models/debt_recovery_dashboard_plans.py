"""The dashboard's figures of what debtors agreed: promises kept or broken, payment
plans active, completed or broken, requests waiting for an answer."""
from odoo import _, api, fields, models
from odoo.tools import SQL


class DebtRecoveryDashboard(models.TransientModel):
    _inherit = 'debt.recovery.dashboard'

    promises_kept = fields.Integer("Promises Kept", readonly=True,
                                   help="Promises to pay whose date came in the period and that were kept.")
    promises_broken = fields.Integer("Promises Broken", readonly=True,
                                     help="Promises to pay whose date came in the period and that were broken.")
    plans_active = fields.Integer("Payment Plans Active", readonly=True, help="Payment plans running today.")
    plans_completed = fields.Integer("Payment Plans Completed", readonly=True,
                                     help="Payment plans fully paid in the period.")
    plans_broken = fields.Integer("Payment Plans Broken", readonly=True,
                                  help="Payment plans broken by a missed instalment in the period.")
    plan_requests = fields.Integer("Plans Asked For", readonly=True,
                                   help="Payment plans asked for on the debtor's page, waiting for an answer.")
    collected_online_after_reminder = fields.Monetary(
        "Collected Online after a Reminder", readonly=True, currency_field='currency_id',
        help="The part of what was recovered after a reminder that the debtors paid online.")

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
    def _dashboard_more_sections(self, figures, money, row):
        """What debtors agreed: promises and payment plans (and what they paid online)."""
        rows = [row(fname, str(figures[fname])) for fname in (
            'promises_kept', 'promises_broken', 'plans_active', 'plans_completed', 'plans_broken', 'plan_requests')]
        if 'collected_online_after_reminder' in figures:
            rows.append(row('collected_online_after_reminder', money(figures['collected_online_after_reminder'])))
        return super()._dashboard_more_sections(figures, money, row) + [
            {'name': 'agreements', 'title': _("Agreements with debtors"), 'rows': rows}]

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
