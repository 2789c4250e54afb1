"""The declaration of claim (déclaration de créance) in insolvency proceedings,
sent to the mandataire judiciaire or the liquidator (C. com. L622-24, L622-25,
R622-23): the amount due on the day of the opening judgment, with the interest
up to it (L622-28 stops it), the sums still to fall due and their due dates,
the nature of the claim, the exhibits, and the creditor's certification."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.fr_format import format_fr_date


class ReportClaimDeclaration(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_claim_declaration'
    _inherit = 'debt.recovery.french.document'
    _description = 'Declaration of Claim'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'res.partner')
        values['company'] = self.env.company
        values['declarations'] = {partner.id: self._declaration(partner) for partner in values['docs']}
        return values

    @api.model
    def _moves(self, partner, opening):
        """The debtor's invoices in the company issued on or before the opening judgment
        (the claims ``_recovery_sync_insolvency`` freezes)."""
        return self.env['account.move'].search([
            ('commercial_partner_id', '=', partner.id), ('company_id', '=', self.env.company.id),
            ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('invoice_date', '<=', opening),
        ], order='invoice_date, name, id')

    @api.model
    def _declaration(self, partner):
        """What the declaration says, for the current company as creditor.

        :return: dict with the debtor, the mandataire, the opening and BODACC dates,
            ``lines`` (one per invoice unpaid at the opening: principal due that day,
            interest up to it, indemnity, total; in company currency), ``to_fall_due``
            (the instalments not yet due at the opening, with their due dates), the
            totals, ``secured``, ``exhibits`` and the ``signatory``
        :raise UserError: without an opening date, a mandataire, or anything to declare
        """
        company = self.env.company
        debtor = partner.commercial_partner_id.with_company(company)
        opening = debtor.recovery_insolvency_date
        if not opening:
            raise UserError(_("No insolvency proceedings are recorded for %s: enter the date of the opening "
                              "judgment before declaring the claim.", debtor.display_name))
        mandataire = debtor.recovery_mandataire_id
        if not mandataire:
            raise UserError(_("Enter the mandataire judiciaire or liquidator of %s (name and address, as given "
                              "in the opening judgment): the declaration of claim is addressed to them.",
                              debtor.display_name))
        currency = company.currency_id
        table = self.env['debt.recovery.rate']._get_table()
        lines, to_fall_due = [], []
        for move in self._moves(debtor, opening):
            result = move._recovery_penalty(at_date=opening, table=table)
            principal = sum(instalment['outstanding'] for instalment in result['instalments'])
            if move.currency_id.is_zero(principal):
                continue

            def convert(amount, move=move):
                # L622-25: a claim in a foreign currency is converted at the rate of the opening day
                return move.currency_id._convert(amount, currency, company, opening)

            lines.append({
                'move': move,
                'foreign': move.currency_id != currency,
                'principal_currency': principal,
                'principal': convert(principal),
                'interest': convert(result['penalty']),
                # D441-5: 40 euros per late instalment, whatever the invoice's currency
                'indemnity': result['indemnity'],
                'interest_runs': not move._recovery_interest_stop(opening),
            })
            for instalment in result['instalments']:
                if instalment['due_date'] > opening and not move.currency_id.is_zero(instalment['outstanding']):
                    to_fall_due.append({'move': move, 'due_date': instalment['due_date'],
                                        'amount': convert(instalment['outstanding'])})
        if not lines:
            raise UserError(_("No invoice of %(debtor)s issued before %(opening)s was unpaid on that day: there is "
                              "no claim to declare.", debtor=debtor.display_name,
                              opening=format_fr_date(opening)))
        for line in lines:
            line['total'] = currency.round(line['principal'] + line['interest'] + line['indemnity'])
        totals = {key: currency.round(sum(line[key] for line in lines))
                  for key in ('principal', 'interest', 'indemnity', 'total')}
        falling_due = currency.round(sum(item['amount'] for item in to_fall_due))
        return {
            'debtor': debtor,
            'mandataire': mandataire,
            'opening': opening,
            'bodacc': debtor.recovery_bodacc_date,
            'company': company,
            'currency': currency,
            'lines': lines,
            'to_fall_due': sorted(to_fall_due, key=lambda item: (item['due_date'], item['move'].name)),
            'totals': totals,
            'total': totals['total'],
            'falling_due': falling_due,
            'due_now': currency.round(totals['total'] - falling_due),
            'secured': company.recovery_title_reservation,
            'foreign': any(line['foreign'] for line in lines),
            'running': [line for line in lines if line['interest_runs']],
            'exhibits': [
                {'number': index, 'title': "Copie de la facture %s du %s" % (
                    line['move'].name, format_fr_date(line['move'].invoice_date)), 'move': line['move']}
                for index, line in enumerate(lines, start=1)],
            'signatory': self._signatory(company),
            'date': fields.Date.context_today(self),
        }

    @api.model
    def _signatory(self, company):
        """Who signs the declaration: the creditor, or any employee or agent it chooses
        (C. com. L622-24): the company's legal representative or the person with a
        delegation, with their capacity, as set in the settings (as the letters); never a
        login name."""
        return company._recovery_signatory()

    @api.model
    def _recovery_assemble(self, partner, render_main):
        """The copies of the invoices follow the declaration, in the order of the list of
        exhibits (R622-23), each stamped with its number."""
        parts = [{'content': render_main(), 'letterhead': True}] + [
            {'content': self._invoice_pdf(exhibit['move']), 'letterhead': True,
             'exhibit': "Pièce n° %d" % exhibit['number']}
            for exhibit in self._declaration(partner)['exhibits']]
        return self._recovery_compose(partner, parts)
