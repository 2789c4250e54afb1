"""What every French document of the module shares: the language it is written
in and the French way of writing dates and amounts."""
from odoo import api, fields, models

from ..tools.fr_format import format_fr_amount, format_fr_date, format_fr_rate


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


class ReportMediationProposal(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_mediation_proposal'
    _inherit = 'debt.recovery.french.document'
    _description = 'Mediation Proposal'

    @api.model
    def _get_report_values(self, docids, data=None):
        return self._document_values(docids, 'account.move')
