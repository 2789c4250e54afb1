"""The court file of an injunction to pay (CPC 1405-1425): the request, the list
of exhibits, then the exhibits merged in that order; and the reminder history,
one of the exhibits."""
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import pdf

from ..tools.fr_format import format_fr_date
from ..tools.pdf_stamp import first_pages, image_to_pdf, page_count


class ReportInjunctionRequest(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_injunction_request'
    _inherit = 'debt.recovery.french.document'
    _description = 'Injunction to Pay: Court File'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'debt.recovery.case')
        for case in values['docs']:
            if case.address_warning:
                raise UserError(case.address_warning)
        notice = self.env['report.l10n_fr_debt_recovery.report_formal_notice']
        ranges = self.env.context.get('recovery_exhibit_ranges') or {}
        values['letters'] = {
            case.id: {'lines': notice._claim_lines(case),
                      'exhibits': [{**exhibit, 'pages': ranges.get(exhibit['number'])}
                                   for exhibit in self._exhibits(case)]}
            for case in values['docs']}
        return values

    @api.model
    def _exhibits(self, case):
        """The numbered exhibits of the court file, in order, each invoice once. Each is
        a dict with a number, a French title and where its pages come from: an
        attachment (``attachment``, optionally only its first ``pages``), the invoice
        (``move``), or a report rendered on the case (``report``). A missing exhibit is
        left out of the list and said on the case (``court_file_warning``)."""
        Attachment = self.env['ir.attachment'].sudo()
        exhibits = []

        def add(title, **source):
            attachment = source.get('attachment')
            if attachment and not (attachment.mimetype == 'application/pdf'
                                   or (attachment.mimetype or '').startswith('image/')):
                attachment = source['attachment'] = None  # a file a court file cannot show: said on the case
            if attachment or source.get('move') or source.get('report'):
                exhibits.append({'number': len(exhibits) + 1, 'title': title, **source})

        evidence = Attachment.search([
            '|', '&', ('res_model', '=', 'account.move'), ('res_id', 'in', case.move_ids.ids),
            '&', ('res_model', '=', 'res.partner'), ('res_id', '=', case.partner_id.id),
            ('recovery_evidence', '!=', False)], order='id')
        for attachment in evidence.filtered(lambda a: a.recovery_evidence == 'contract'):
            add("Devis signé / contrat : %s" % attachment.name, attachment=attachment)
        for move in case.move_ids.sorted(lambda m: (m.invoice_date, m.name)):
            add("Facture %s du %s" % (move.name, format_fr_date(move.invoice_date)), move=move)
        add("Historique des relances", report='l10n_fr_debt_recovery.action_report_recovery_history')
        if case.notice_attachment_id or case.notice_letter_date:
            add("Mise en demeure du %s (lettre recommandée avec avis de réception%s)" % (
                format_fr_date(case.notice_letter_date), " n° %s" % case.lrar_number if case.lrar_number else ''),
                attachment=case.notice_attachment_id, pages=case.notice_letter_pages,
                report='l10n_fr_debt_recovery.action_report_formal_notice')
        if case.deposit_proof_attachment_id:
            add("Preuve de dépôt de la lettre recommandée du %s" % format_fr_date(case.notice_date),
                attachment=case.deposit_proof_attachment_id)
        if case.receipt_attachment_id:
            title = {
                'signed': "Avis de réception signé le %s",
                'unclaimed': "Pli présenté le %s et retourné avec la mention « pli avisé et non réclamé »",
                'refused': "Pli présenté le %s et refusé par son destinataire",
            }.get(case.receipt_status, "Avis de réception du %s")
            add(title % format_fr_date(case.received_date), attachment=case.receipt_attachment_id)
        if case.return_proof_attachment_id and case.return_proof_attachment_id != case.receipt_attachment_id:
            add("Preuve du retour de la lettre recommandée", attachment=case.return_proof_attachment_id)
        for attachment in evidence.filtered(lambda a: a.recovery_evidence == 'correspondence'):
            add("Correspondance : %s" % attachment.name, attachment=attachment)
        return exhibits

    @api.model
    def _exhibit_pdf(self, case, exhibit):
        """The PDF bytes of one exhibit, or None when it cannot be produced."""
        if exhibit.get('move'):
            return self._invoice_pdf(exhibit['move'])
        attachment = exhibit.get('attachment')
        if attachment and (attachment.mimetype or '').startswith('image/'):
            return image_to_pdf(attachment.raw)
        if attachment:
            stream = pdf.to_pdf_stream(attachment)
            if stream and exhibit.get('pages'):
                return first_pages(stream.getvalue(), exhibit['pages'])
            if stream:
                return stream.getvalue()
        if exhibit.get('report'):
            context = {'recovery_part': True, 'recovery_letter_only': True}
            content, extension, __ = self.env['ir.actions.report'].sudo().with_context(**context)._recovery_render(
                exhibit['report'], case)
            return content if extension == 'pdf' else None
        return None

    @api.model
    def _recovery_assemble(self, case, render_main):
        """Request and list of exhibits, then every exhibit stamped « Pièce n° N » on each
        of its pages; the list gives the pages of each exhibit in the whole file, whose
        pages are numbered « Page N / total »."""
        exhibits = [dict(exhibit, content=self._exhibit_pdf(case, exhibit)) for exhibit in self._exhibits(case)]
        exhibits = [exhibit for exhibit in exhibits if exhibit['content']]
        counts = [page_count(exhibit['content']) for exhibit in exhibits]
        request_pages, request = 2, None
        for __ in range(3):  # the list's page numbers depend on the request's length
            ranges, first = {}, request_pages + 1
            for exhibit, count in zip(exhibits, counts):
                ranges[exhibit['number']] = (first, first + count - 1)
                first += count
            request = render_main(recovery_exhibit_ranges=ranges)
            if page_count(request) == request_pages:
                break
            request_pages = page_count(request)
        parts = [{'content': request, 'letterhead': True}] + [
            {'content': exhibit['content'], 'letterhead': bool(exhibit.get('move')),
             'exhibit': "Pièce n° %d" % exhibit['number']} for exhibit in exhibits]
        return self._recovery_compose(case, parts, draft=case._recovery_is_draft_court_file(), label='file_label')

    @api.model
    def _missing_exhibits(self, case):
        """What the court file should produce and cannot (said on the case's screen)."""
        missing = []
        if case.state in ('notice_sent', 'deadline_passed', 'court_file_ready', 'filed') or case.receipt_status:
            if not case.notice_attachment_id:
                missing.append(_("the formal notice as sent (PDF)"))
            if case.receipt_status == 'signed' and not case.receipt_attachment_id:
                missing.append(_("the scan of the signed acknowledgement of receipt"))
            elif case.receipt_status in ('unclaimed', 'refused') and not case.receipt_attachment_id:
                missing.append(_("the proof of the returned letter (the envelope)"))
        if not self.env['ir.attachment'].sudo().search_count([
                ('res_model', '=', 'res.partner'), ('res_id', '=', case.partner_id.id),
                ('recovery_evidence', '=', 'contract')]) and not self.env['ir.attachment'].sudo().search_count([
                ('res_model', '=', 'account.move'), ('res_id', 'in', case.move_ids.ids),
                ('recovery_evidence', '=', 'contract')]):
            missing.append(_("the signed quote, purchase order or contract (evidence « Contract » on the customer)"))
        return missing


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
