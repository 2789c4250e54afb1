"""The last warning before the suspension of work (C. civ. 1219), as a French letter
kept on the customer, and sent by registered post when it also announces the
termination of the contract (C. civ. 1226)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ReportSuspensionNotice(models.AbstractModel):
    _name = 'report.l10n_fr_debt_recovery.report_suspension_notice'
    _inherit = 'debt.recovery.french.document'
    _description = 'Suspension of Work Notice'

    @api.model
    def _get_report_values(self, docids, data=None):
        values = self._document_values(docids, 'res.partner')
        values['company'] = self.env.company
        values['notices'] = {partner.id: self._notice(partner.commercial_partner_id) for partner in values['docs']}
        return values

    @api.model
    def _notice(self, partner):
        """The pending warning of ``partner`` in the current company: its invoices and dates."""
        company = self.env.company
        partner = partner.with_company(company)
        if not partner.recovery_suspension_deadline:
            raise UserError(_("No suspension of work is announced for %s: use Suspend work on the customer first.",
                              partner.display_name))
        warned_on = partner.recovery_suspension_warning_date
        moves = partner._recovery_suspension_moves(company, warned_on)
        return {
            'partner': partner,
            'moves': moves,
            'totals': [(currency, sum(moves.filtered(lambda m: m.currency_id == currency).mapped('amount_residual')))
                       for currency in moves.currency_id],
            'date': warned_on,
            'deadline': partner.recovery_suspension_deadline,
            'start': fields.Date.add(partner.recovery_suspension_deadline, days=1),
            'terminate': partner.recovery_suspension_terminate,
        }
