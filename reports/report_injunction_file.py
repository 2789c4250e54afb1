"""The court file of an injunction to pay (CPC 1405-1425): the request, the list
of exhibits, then the exhibits merged in that order; and the reminder history,
one of the exhibits."""
from odoo import api, models
from odoo.tools import pdf

from ..tools.fr_format import format_fr_date


class ReportInjunctionRequest(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_injunction_request'
    _inherit = 'debt.recovery.french.document'
    _description = 'Injunction to Pay: Court File'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'debt.recovery.case')
        notice = self.env['report.l10n_fr_debt_recovery.report_formal_notice']
        values['letters'] = {
            case.id: {'lines': notice._claim_lines(case), 'exhibits': self._exhibits(case)}
            for case in values['docs']}
        return values

    @api.model
    def _exhibits(self, case):
        """The numbered exhibits of the court file, in order. Each is a dict with a
        number, a French title and where its pages come from: an attachment, or a
        report rendered on some records."""
        Attachment = self.env['ir.attachment'].sudo()
        exhibits = []

        def add(title, **source):
            exhibits.append({'number': len(exhibits) + 1, 'title': title, **source})

        evidence = Attachment.search([
            '|', '&', ('res_model', '=', 'account.move'), ('res_id', 'in', case.move_ids.ids),
            '&', ('res_model', '=', 'res.partner'), ('res_id', '=', case.partner_id.id),
            ('recovery_evidence', '!=', False)], order='id')
        for attachment in evidence.filtered(lambda a: a.recovery_evidence == 'contract'):
            add("Devis signé / contrat : %s" % attachment.name, attachment=attachment)
        for move in case.move_ids.sorted(lambda m: (m.invoice_date, m.name)):
            add("Facture %s du %s" % (move.name, format_fr_date(move.invoice_date)),
                report='account.account_invoices', records=move, attachment=move.invoice_pdf_report_id)
        add("Historique des relances", report='l10n_fr_debt_recovery.action_report_recovery_history',
            records=case)
        add("Mise en demeure du %s (LRAR %s)" % (format_fr_date(case.notice_letter_date), case.lrar_number or ''),
            attachment=case.notice_attachment_id,
            report='l10n_fr_debt_recovery.action_report_formal_notice', records=case)
        if case.receipt_attachment_id:
            title = {
                'signed': "Avis de réception signé le %s",
                'unclaimed': "Pli présenté le %s et retourné non réclamé",
                'refused': "Pli présenté le %s et refusé par son destinataire",
            }.get(case.receipt_status, "Avis de réception du %s")
            add(title % format_fr_date(case.received_date), attachment=case.receipt_attachment_id)
        for attachment in evidence.filtered(lambda a: a.recovery_evidence == 'correspondence'):
            add("Correspondance : %s" % attachment.name, attachment=attachment)
        return exhibits

    @api.model
    def _recovery_parts(self, case):
        """The exhibits follow the request, as ``(title, stream)``."""
        return self._streams(case, self._exhibits(case))

    @api.model
    def _streams(self, case, documents):
        """``(title, PDF stream)`` of each document: its attachment when it is a PDF,
        else its report rendered on its records."""
        Report = self.env['ir.actions.report'].sudo()
        parts = []
        for document in documents:
            stream = document.get('attachment') and pdf.to_pdf_stream(document['attachment'])
            if not stream and document.get('report'):
                stream = Report._recovery_stream(document['report'], document['records'])
            if stream:
                parts.append((document['title'], stream))
        return parts


class ReportRecoveryHistory(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_recovery_history'
    _inherit = 'debt.recovery.french.document'
    _description = 'Reminder History'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'debt.recovery.case')
        values['history'] = {case.id: self._events(case) for case in values['docs']}
        return values

    @api.model
    def _events(self, case):
        """Every recovery event of the case's invoices, oldest first."""
        return self.env['debt.recovery.event'].sudo().search(
            ['|', ('move_id', 'in', case.move_ids.ids), ('case_id', '=', case.id)], order='date, id')
