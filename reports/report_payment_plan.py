"""The payment plan (échéancier) as a French document the debtor signs: the debts,
the instalments, the acceleration clause, what becomes of the penalties."""
from odoo import api, models


class ReportPaymentPlan(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_payment_plan'
    _inherit = 'debt.recovery.french.document'
    _description = 'Payment Plan Document'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'debt.recovery.payment.plan')
        values['plans'] = {plan.id: self._plan(plan) for plan in values['docs']}
        return values

    @api.model
    def _plan(self, plan):
        """The figures of the document: what is due when it is printed (or was agreed)."""
        consumer = plan.partner_id.commercial_partner_id.with_company(plan.company_id).recovery_debtor_type \
            == 'consumer'
        return {
            'company': plan.company_id,
            'debtor': plan.partner_id.commercial_partner_id,
            'moves': plan.move_ids.sorted(lambda m: (m.invoice_date_due or m.invoice_date, m.id)),
            'instalments': plan.instalment_ids.sorted(lambda i: (i.date, i.id)),
            'total': plan.amount_total if plan.state != 'draft' else plan.amount_due,
            'date': plan.date_start or self._document_values([], plan._name)['today'],
            'grace': plan.company_id.recovery_promise_grace_days,
            'consumer': consumer,
        }
