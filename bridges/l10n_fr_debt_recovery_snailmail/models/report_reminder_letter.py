"""The reminder letter by post (res.partner): the reminder's French text (the step's
e-mail), or a standard text, and the invoices reminded."""
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html_sanitize


class ReportReminderLetter(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery_snailmail.report_reminder_letter'
    _description = 'Reminder Letter by Post'

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env['res.partner'].browse(docids)
        moves = self.env['account.move'].browse(data.get('move_ids') or [])
        if not moves:
            moves = self.env['account.move'].search([
                ('commercial_partner_id', 'in', partners.commercial_partner_id.ids),
                ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
                ('payment_state', 'in', ('not_paid', 'partial')), ('company_id', '=', self.env.company.id)])
        return {
            'doc_ids': docids,
            'doc_model': 'res.partner',
            'docs': partners,
            'company': self.env.company,
            'today': fields.Date.context_today(self),
            'body': Markup(html_sanitize(data.get('body') or '')),
            'moves': moves,
        }
