import io

from odoo import models
from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..tools.fr_format import fr_typography

MODULE_PREFIX = 'l10n_fr_debt_recovery.'


class IrActionsReport(models.Model):
    _inherit = 'ir.actions.report'

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """The module's documents are rendered one record at a time (wkhtmltopdf fails on
        several records at once here), followed by their parts where they have some (the
        formal notice by its invoices, the court file by its exhibits), and finished: the
        letterhead and the legal footer drawn into the space the PDF engine leaves blank,
        the page numbers, the *PROJET* mark of a draft. The report model
        (``report.<report_name>``) assembles them with ``_recovery_assemble``."""
        report = self._get_report(report_ref)
        if not report.report_name.startswith(MODULE_PREFIX) or not res_ids:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        self = self.with_context(recovery_document=True)
        records = self.env[report.model].browse(res_ids)
        collected = {}
        for record in records:
            def render_main(record=record, **context):
                streams = super(IrActionsReport, self.with_context(**context))._render_qweb_pdf_prepare_streams(
                    report_ref, data, res_ids=record.ids)
                return streams[record.id]['stream'].getvalue()

            assembler = self.env.get('report.%s' % report.report_name)
            if assembler is None or not hasattr(assembler, '_recovery_assemble'):
                assembler = self.env['debt.recovery.french.document']
            content = assembler._recovery_assemble(record, render_main)
            collected[record.id] = {'stream': io.BytesIO(content), 'attachment': None}
        return collected

    def _render_template(self, template, values=None):
        """The module's documents are typeset the French way (a non-breaking space before
        « : ; ? ! % », none before a comma), whatever wrote their texts."""
        html = super()._render_template(template, values=values)
        if isinstance(template, str) and template.startswith(MODULE_PREFIX):
            html = fr_typography(html.decode()).encode()
        return html

    # --- finishing the pages --------------------------------------------------------
    def _recovery_draws_letterhead(self):
        """Whether the letterhead is drawn here: when the PDF engine drops the report's
        header and footer (wkhtmltopdf without its patched Qt, as Debian ships it)."""
        return not _wkhtml().is_patched_qt

    # --- the module's ways to render and keep a document -----------------------------
    def _recovery_render(self, report_ref, records):
        """``(content, extension, mimetype)`` of a report on ``records``, never stored by
        the report itself. Odoo renders HTML instead of PDF in test mode (unless
        ``force_report_rendering``): the extension and mimetype say which it is."""
        content, report_type = self.sudo().with_context(
            report_pdf_no_attachment=True, recovery_document=True)._render_qweb_pdf(report_ref, records.ids)
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
