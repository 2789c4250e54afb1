import io

from odoo import models
from odoo.tools import pdf

MERGED_REPORTS = {
    'l10n_fr_debt_recovery.report_formal_notice',
    'l10n_fr_debt_recovery.report_injunction_request',
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
        collected = {}
        for case in self.env['debt.recovery.case'].browse(res_ids):
            main = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=case.ids)[case.id]['stream']
            parts = [main] + [stream for __, stream in case._pdf_parts(report.report_name)]
            collected[case.id] = {'stream': self._recovery_merge(parts), 'attachment': None}
        return collected

    def _recovery_merge(self, streams):
        if len(streams) == 1:
            return streams[0]
        merged = pdf.merge_pdf([stream.getvalue() for stream in streams])
        return io.BytesIO(merged)

    def _recovery_render_one(self, report_ref, res_ids):
        """One record's PDF as a stream (the account invoice report renders one at a time)."""
        content, __ = self.with_context(report_pdf_no_attachment=True)._render_qweb_pdf(report_ref, res_ids)
        return io.BytesIO(content)
