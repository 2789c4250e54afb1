"""Hand-off to a collection agency: the claims leave our reminders, the agency
receives a ZIP (what it carries: ``debt_recovery_agency_export.py``), and what it
recovers comes back."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date


class DebtRecoveryAgencyHandoff(models.Model):
    _name = 'debt.recovery.agency.handoff'
    _description = 'Hand-off to a Collection Agency'
    _inherit = ['mail.thread']
    _order = 'date desc, id desc'

    name = fields.Char(compute='_compute_name', store=True)
    company_id = fields.Many2one('res.company', required=True, default=lambda self: self.env.company, index=True)
    agency_id = fields.Many2one('res.partner', string="Agency", required=True, domain=[('recovery_is_agency', '=', True)])
    date = fields.Date(required=True, default=fields.Date.context_today)
    move_ids = fields.Many2many('account.move', string="Invoices", required=True)
    case_id = fields.Many2one('debt.recovery.case', string="Case")
    currency_id = fields.Many2one('res.currency', default=lambda self: self.env.company.currency_id)
    amount_handed = fields.Monetary("Amount Handed Over", readonly=True)
    amount_recovered = fields.Monetary("Recovered by the Agency", tracking=True)
    commission_rate = fields.Float("Commission (%)", digits=(5, 2))
    amount_commission = fields.Monetary("Commission", compute='_compute_commission', store=True)
    zip_attachment_id = fields.Many2one('ir.attachment', string="Export", readonly=True,
                                        groups='l10n_fr_debt_recovery.group_recovery_manager',
                                        help="The last file sent to the agency, while it is kept.")
    export_ids = fields.One2many('debt.recovery.agency.export', 'handoff_id', string="Exports",
                                 groups='l10n_fr_debt_recovery.group_recovery_manager')
    state = fields.Selection([('sent', "Sent to the agency"), ('done', "Returned")], default='sent', tracking=True)

    @api.depends('agency_id', 'date')
    def _compute_name(self):
        for handoff in self:
            handoff.name = "%s - %s" % (handoff.agency_id.name or '', handoff.date or '')

    @api.depends('amount_recovered', 'commission_rate')
    def _compute_commission(self):
        for handoff in self:
            handoff.amount_commission = handoff.currency_id.round(handoff.amount_recovered * handoff.commission_rate / 100)

    @api.constrains('date', 'amount_recovered', 'commission_rate')
    def _check_amounts(self):
        today = fields.Date.context_today(self)
        for handoff in self:
            if handoff.date > today:
                raise ValidationError(_("%(handoff)s: claims cannot be handed over in the future (%(date)s).",
                                        handoff=handoff.name, date=format_date(self.env, handoff.date)))
            if handoff.amount_recovered < 0:
                raise ValidationError(_("%s: what the agency recovered cannot be negative.", handoff.name))
            if not 0 <= handoff.commission_rate <= 100:
                raise ValidationError(_(
                    "%(agency)s: the agency's commission is a share of what it recovers, between 0 %% and 100 %%; "
                    "%(rate)s %% is not one.", agency=handoff.name, rate=handoff.commission_rate))

    def action_record_return(self):
        """The agency returns the file: what it recovered is recorded, and the claims it
        did not recover come back to our reminders (an invoice is never left with an
        agency that gave it back)."""
        for handoff in self.filtered(lambda h: h.state != 'done'):
            handoff.state = 'done'
            handoff.message_post(body=_("The agency recovered %(amount)s; commission %(commission)s.",
                                        amount=handoff.amount_recovered, commission=handoff.amount_commission))
            handoff.move_ids.sudo()._recovery_back_from_agency(handoff.agency_id)
        return True

    # -------------------------------------------------------------------------
    # Export
    # -------------------------------------------------------------------------
    def action_export(self):
        """Send the file again: a new ZIP of the claims still with the agency, amounts
        and penalties as of today (the previous one may have been deleted after its
        period). Each file is logged."""
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise AccessError(_("Only a recovery manager can export claims to an agency."))
        for handoff in self:
            if handoff.state != 'sent':
                raise UserError(_("The agency has returned these claims: no file is sent to it any more."))
            if not handoff.move_ids.filtered(lambda m: m.payment_state in ('not_paid', 'partial')):
                raise UserError(_("Nothing is due any more on these invoices: there is nothing to send."))
        self._export()
        return True

    def _export(self):
        """Build, keep and log the ZIP of each hand-off (``debt.recovery.agency.export``)."""
        exports = self.env['debt.recovery.agency.export']
        for handoff in self:
            export = exports._export_handoff(handoff)
            handoff.zip_attachment_id = export.sudo().attachment_id
            exports |= export
        return exports

    @api.model
    def _hand_over(self, agency, moves, case=False):
        if not agency.recovery_is_agency:
            raise UserError(_("%s is not marked as a collection agency.", agency.display_name))
        moves = moves | (case.move_ids if case else moves.browse())
        open_moves = moves.filtered(lambda m: m.payment_state in ('not_paid', 'partial') and m.state == 'posted')
        if not open_moves:
            raise UserError(_("Nothing is due on these invoices: there is nothing to hand over."))
        if len(open_moves.company_id) > 1:
            raise UserError(_("Hand over the claims of one company at a time."))
        handoff = self.create({
            'company_id': open_moves.company_id.id, 'agency_id': agency.id,
            'move_ids': [fields.Command.set(open_moves.ids)], 'case_id': case and case.id,
            'currency_id': open_moves[:1].currency_id.id, 'amount_handed': sum(open_moves.mapped('amount_residual')),
            'commission_rate': agency.recovery_agency_commission,
        })
        # the machine stops: the agency recovers from now on
        open_moves.sudo()._recovery_hand_to_agency(agency, case)
        handoff._export()
        if case:
            case.with_context(close_reason='agency').action_close()
        return handoff

