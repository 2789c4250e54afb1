"""Customer statement of account (PDF on res.partner), also attached to reminders.

``l10n_fr_debt_recovery.action_report_customer_statement``: the debtor's open
invoices in the current company (due dates, amounts, amount due, days late,
penalties and indemnity to date), the payments received in the period, and the
totals per currency. The period defaults to the three months up to today; pass
``data={'date_from': ..., 'date_to': ...}`` (or the context keys
``statement_date_from`` / ``statement_date_to``) to choose another one.
"""
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

STATEMENT_REPORT = 'l10n_fr_debt_recovery.action_report_customer_statement'


class ReportCustomerStatement(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_customer_statement'
    _description = 'Customer Statement of Account'

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        context = self.env.context
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(data.get('date_to') or context.get('statement_date_to')) or today
        date_from = fields.Date.to_date(data.get('date_from') or context.get('statement_date_from')) \
            or date_to - relativedelta(months=3) + relativedelta(days=1)
        company = self.env.company
        partners = self.env['res.partner'].browse(docids)
        return {
            'doc_ids': docids,
            'doc_model': 'res.partner',
            'docs': partners,
            'company': company,
            'today': today,
            'date_from': date_from,
            'date_to': date_to,
            'statements': {
                partner.id: self._statement(partner.commercial_partner_id, company, date_from, date_to)
                for partner in partners
            },
        }

    @api.model
    def _statement(self, partner, company, date_from, date_to):
        Move = self.env['account.move']
        invoices = Move.search([
            ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('company_id', '=', company.id),
            ('commercial_partner_id', '=', partner.id), ('payment_state', 'in', ('not_paid', 'partial')),
        ], order='invoice_date_due, invoice_date, name, id')
        payment_lines = self.env['account.move.line'].search([
            ('company_id', '=', company.id), ('partner_id', 'child_of', partner.id),
            ('account_id.account_type', '=', 'asset_receivable'), ('parent_state', '=', 'posted'),
            ('move_id.move_type', '=', 'entry'), ('credit', '>', 0),
            ('date', '>=', date_from), ('date', '<=', date_to),
        ], order='date, id')
        # payments and credit notes not yet matched with an invoice lower what is due
        credit_lines = self.env['account.move.line'].search([
            ('company_id', '=', company.id), ('partner_id', 'child_of', partner.id),
            ('account_id.account_type', '=', 'asset_receivable'), ('parent_state', '=', 'posted'),
            ('reconciled', '=', False), ('amount_residual', '<', 0),
        ])
        lines = [{
            'move': move,
            'currency': move.currency_id,
            'invoice_date': move.invoice_date,
            'due_date': move.invoice_date_due,
            'amount': move.amount_total,
            'residual': move.amount_residual,
            'days_late': move.recovery_days_late,
            'penalty': move.recovery_penalty_amount,
            'indemnity': move.recovery_indemnity_amount,
            'billed': move.recovery_penalty_billed + move.recovery_indemnity_billed,
        } for move in invoices]
        payments = [{
            'date': line.date,
            'reference': " - ".join(filter(None, [line.move_id.name, line.move_id.ref or line.name])),
            'amount': -line.amount_currency,
            'currency': line.currency_id,
        } for line in payment_lines]
        totals = self._totals(lines, payments, credit_lines)
        return {
            'partner': partner,
            'lines': lines,
            'payments': payments,
            'totals': totals,
            'warnings': sorted(set(filter(None, invoices.mapped('recovery_penalty_warning')))),
        }

    @api.model
    def _totals(self, lines, payments, credit_lines):
        """Totals per currency: amounts, overdue, claims, payments, and the balance."""
        totals = {}

        def total(currency):
            return totals.setdefault(currency, dict.fromkeys(
                ('amount', 'residual', 'overdue', 'penalty', 'indemnity', 'billed', 'credits', 'payments'), 0.0))

        for line in lines:
            values = total(line['currency'])
            for key in ('amount', 'residual', 'penalty', 'indemnity', 'billed'):
                values[key] += line[key]
            if line['days_late'] > 0:
                values['overdue'] += line['residual']
        for payment in payments:
            total(payment['currency'])['payments'] += payment['amount']
        for line in credit_lines:
            total(line.currency_id)['credits'] += -line.amount_residual_currency
        for currency, values in totals.items():
            # penalties already invoiced are in the amount due (open) or paid: count them once
            claims = max(values['penalty'] + values['indemnity'] - values['billed'], 0.0)
            values['balance'] = currency.round(values['residual'] - values['credits'])
            values['total'] = currency.round(values['balance'] + claims)
        return [dict(values, currency=currency) for currency, values in totals.items()]
