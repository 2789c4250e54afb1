"""The formal notice (mise en demeure, C. civ. 1344): the letter's values and the
invoices that follow it in the PDF."""
from odoo import api, models
from odoo.exceptions import UserError

from ..tools.fr_format import format_fr_date, format_fr_rate
from ..tools.pdf_stamp import page_count

RATE_REASONS = {
    'default': "taux BCE majoré de 10 points",
    'contractual': "taux contractuel",
    'floor': "trois fois le taux d'intérêt légal, plancher légal",
    'legal': "taux d'intérêt légal",
}


class ReportFormalNotice(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_formal_notice'
    _inherit = 'debt.recovery.french.document'
    _description = 'Formal Notice'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'debt.recovery.case')
        for case in values['docs']:
            if case.address_warning:
                raise UserError(case.address_warning)
        values['letters'] = {case.id: self._letter(case) for case in values['docs']}
        return values

    @api.model
    def _letter(self, case):
        lines = self._claim_lines(case)
        return {
            'lines': lines,
            'rate_text': self._rate_text(lines),
            'body': self._notice_body(case),
            # a draft has no date: the letter is dated when it is validated
            'date': format_fr_date(case.notice_letter_date) if not case._recovery_is_draft_document() else '',
        }

    @api.model
    def _claim_lines(self, case):
        """The rows of the letter and of the request: one per invoice, with its penalties."""
        table = self.env['debt.recovery.rate']._get_table()
        return [
            {'move': move,
             'result': move.with_context(recovery_case_receipt_date=case.received_date)._recovery_penalty(table=table)}
            for move in case.move_ids.sorted(lambda m: (m.invoice_date_due, m.name))
        ]

    @api.model
    def _rate_text(self, lines):
        """The rate that applies and why, in French."""
        segments = [seg for line in lines for seg in line['result']['segments']]
        if not segments:
            return ''
        seg = segments[-1]
        return "%s (%s)" % (format_fr_rate(seg['rate']), RATE_REASONS.get(seg['rate_reason'], ''))

    @api.model
    def _notice_body(self, case):
        """The company's wording of the demand (editable mail template), rendered in French."""
        template = case.company_id.recovery_notice_template_id or self.env.ref(
            'l10n_fr_debt_recovery.mail_template_formal_notice_body')
        return template.with_context(lang=self._doc_lang())._render_field('body_html', case.ids)[case.id]

    @api.model
    def _recovery_assemble(self, case, render_main):
        """The letter, then a copy of each invoice it claims (with the issuer's
        letterhead). When the letter is being frozen at its validation, the number of
        its own pages is kept: the court file produces the letter alone as an exhibit,
        each invoice being an exhibit of its own."""
        letter = render_main()
        if self.env.context.get('recovery_freeze_notice'):
            case.sudo().notice_letter_pages = page_count(letter)
        parts = [{'content': letter, 'letterhead': True}]
        if not self.env.context.get('recovery_letter_only'):
            parts += [{'content': self._invoice_pdf(move), 'letterhead': True}
                      for move in case.move_ids.sorted(lambda m: (m.invoice_date_due, m.name))]
        return self._recovery_compose(case, parts, draft=case._recovery_is_draft_document())
