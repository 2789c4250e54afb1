"""What every French document of the module shares: the language it is written
in, the French way of writing dates and amounts, and how a document followed by
other documents (invoices, exhibits) is put together into one PDF."""
import dataclasses

from odoo import api, fields, models
from odoo.tools import pdf

from ..tools.fr_format import format_fr_amount, format_fr_date, format_fr_rate
from ..tools.pdf_stamp import PageMarks, page_count, stamp_pdf


class DebtRecoveryFrenchDocument(models.AbstractModel):
    """Values common to the module's legal documents (letters, court file,
    mediation proposal): they are French documents whatever the user's language."""
    _name = 'debt.recovery.french.document'
    _description = 'French Recovery Document'

    @api.model
    def _doc_lang(self):
        """French when the language is installed (the texts are written in French anyway)."""
        return 'fr_FR' if self.env['res.lang']._lang_get('fr_FR') else (self.env.lang or 'en_US')

    @api.model
    def _document_values(self, docids, model):
        return {
            'doc_ids': docids,
            'doc_model': model,
            'docs': self.env[model].browse(docids),
            'doc_lang': self._doc_lang(),
            'today': fields.Date.context_today(self),
            'fr_date': format_fr_date,
            'fr_rate': format_fr_rate,
            'fr_amount': lambda amount, currency: format_fr_amount(amount, currency.name),
        }

    # --- one PDF of several documents ----------------------------------------------
    @api.model
    def _invoice_pdf(self, move):
        """An invoice as the module attaches it: rendered anew, its legal mentions in
        French, in a font the PDF embeds (the posted invoice cannot have changed)."""
        content, extension, __ = self.env['ir.actions.report'].sudo().with_context(
            lang=self._doc_lang())._recovery_render('account.account_invoices', move)
        return content if extension == 'pdf' else None

    @api.model
    def _recovery_compose(self, record, parts, draft=False, label='page_label'):
        """Merge ``parts`` into one PDF and draw on every page what it needs.

        :param parts: dicts with ``content`` (PDF bytes), ``letterhead`` (draw the
            issuer's letterhead on its pages) and ``exhibit`` (the stamp of its pages,
            ``Pièce n° 3``, or '')
        :param draft: the *PROJET* mark on the document's own pages (not on its exhibits)
        :param label: where the page numbers go: ``page_label`` (a document's own),
            ``file_label`` (a file of documents that have their own), None for none (a
            document rendered to be part of another, context ``recovery_part``)
        :return: the PDF bytes
        """
        parts = [part for part in parts if part.get('content')]
        Report = self.env['ir.actions.report']
        company = ('company_id' in record._fields and record.company_id) or self.env.company
        head = company._recovery_letterhead() if Report._recovery_draws_letterhead() else None
        marks = []
        for part in parts:
            count = page_count(part['content'])
            for index in range(count):
                exhibit = part.get('exhibit') or ''
                if exhibit and count > 1:
                    exhibit = "%s – p. %d/%d" % (exhibit, index + 1, count)
                marks.append(PageMarks(letterhead=head if part.get('letterhead') else None, exhibit=exhibit,
                                       draft=draft and not part.get('exhibit')))
        total = len(marks)
        if label and not self.env.context.get('recovery_part'):
            marks = [dataclasses.replace(mark, **{label: "Page %d / %d" % (index + 1, total)})
                     for index, mark in enumerate(marks)]
        contents = [part['content'] for part in parts]
        merged = contents[0] if len(contents) == 1 else pdf.merge_pdf(contents)
        return stamp_pdf(merged, marks)

    @api.model
    def _recovery_assemble(self, record, render_main):
        """The document alone, finished (letterhead, page numbers, draft mark)."""
        return self._recovery_compose(record, [{'content': render_main(), 'letterhead': True}])


class ReportMediationProposal(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_mediation_proposal'
    _inherit = 'debt.recovery.french.document'
    _description = 'Mediation Proposal'

    @api.model
    def _get_report_values(self, docids, data=None):
        return self._document_values(docids, 'account.move')
