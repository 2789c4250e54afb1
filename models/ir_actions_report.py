import io

from odoo import models
from odoo.tools import pdf

# Reports followed by other documents in one PDF: their report model
# (``report.<report_name>``) gives the parts with ``_recovery_parts(record)``
# (a case; a debtor for the declaration of claim).
MERGED_REPORTS = {
    'l10n_fr_debt_recovery.report_formal_notice',
    'l10n_fr_debt_recovery.report_injunction_request',
    'l10n_fr_debt_recovery.report_claim_declaration',
}


class IrActionsReport(models.Model):
    _inherit = 'ir.actions.report'

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """The formal notice is followed by its invoices; the court file by its
        exhibits. Each document is rendered on its own (wkhtmltopdf fails on several
        records at once here) and the parts merged into one PDF per case."""
        report = self._get_report(report_ref)
        if report.report_name not in MERGED_REPORTS or not res_ids:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        parts_of = self.env['report.%s' % report.report_name]._recovery_parts
        collected = {}
        for case in self.env[report.model].browse(res_ids):
            main = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=case.ids)[case.id]['stream']
            streams = [main] + [stream for __, stream in parts_of(case)]
            collected[case.id] = {'stream': self._recovery_merge(streams), 'attachment': None}
        return collected

    def _recovery_merge(self, streams):
        if len(streams) == 1:
            return streams[0]
        return io.BytesIO(pdf.merge_pdf([stream.getvalue() for stream in streams]))

    def _recovery_render(self, report_ref, records):
        """``(content, extension, mimetype)`` of a report on ``records``, never stored by
        the report itself. Odoo renders HTML instead of PDF in test mode (unless
        ``force_report_rendering``): the extension and mimetype say which it is."""
        content, report_type = self.sudo().with_context(report_pdf_no_attachment=True)._render_qweb_pdf(
            report_ref, records.ids)
        if report_type == 'pdf':
            return content, 'pdf', 'application/pdf'
        return content, 'html', 'text/html'

    def _recovery_attachment(self, report_ref, records, name, pdf_only=False, **vals):
        """The one way the module keeps a document: render ``report_ref`` on ``records``
        into an attachment of the first record named ``name`` + extension.

        :param pdf_only: keep nothing when the rendering is not a PDF (test mode)
        :param vals: other values of the attachment (``recovery_evidence``...)
        """
        content, extension, mimetype = self._recovery_render(report_ref, records)
        if pdf_only and extension != 'pdf':
            return self.env['ir.attachment']
        return self.env['ir.attachment'].sudo().create({
            'name': "%s.%s" % (name.replace('/', '_'), extension), 'raw': content, 'mimetype': mimetype,
            'res_model': records._name, 'res_id': records[:1].id, **vals,
        })

    def _recovery_stream(self, report_ref, records):
        """One record's document as a PDF stream, for a merge."""
        content, __, __ = self._recovery_render(report_ref, records)
        return io.BytesIO(content)
