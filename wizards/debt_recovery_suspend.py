
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class DebtRecoverySuspend(models.TransientModel):
    """Suspendre les prestations: the exception d'inexécution (C. civ. 1219-1220),
    notified to the customer with the invoices due and a last deadline."""
    _name = 'debt.recovery.suspend'
    _description = 'Suspend Work'

    partner_id = fields.Many2one('res.partner', string="Customer", required=True)
    deadline = fields.Date("Last Deadline", required=True,
                           default=lambda self: fields.Date.add(fields.Date.context_today(self), days=8))
    send_notice = fields.Boolean("Send the notice by e-mail", default=True)
    move_ids = fields.Many2many('account.move', string="Invoices Due", compute='_compute_move_ids')

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get('active_model') == 'res.partner' and self.env.context.get('active_id'):
            res['partner_id'] = self.env['res.partner'].browse(self.env.context['active_id']).commercial_partner_id.id
        return res

    @api.depends('partner_id')
    def _compute_move_ids(self):
        for wizard in self:
            wizard.move_ids = self.env['account.move'].search([
                ('commercial_partner_id', '=', wizard.partner_id.id), ('company_id', 'in', self.env.companies.ids),
                ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
                ('payment_state', 'in', ('not_paid', 'partial')),
                ('invoice_date_due', '<', fields.Date.context_today(self))])

    def action_confirm(self):
        self.ensure_one()
        partner = self.partner_id
        if not self.move_ids:
            raise UserError(_("%s owes nothing overdue: there is no reason to suspend the work.", partner.display_name))
        if self.send_notice and not partner.email:
            raise UserError(_("%s has no e-mail address: untick the e-mail and send the notice by post.",
                              partner.display_name))
        partner.check_access('read')
        if self.send_notice:
            template = self.env.ref('l10n_fr_debt_recovery.mail_template_suspension_notice')
            template.sudo().with_context(recovery_move_ids=self.move_ids.ids,
                                         recovery_suspension_deadline=self.deadline).send_mail(partner.id)
        partner.sudo().with_company(self.env.company).recovery_suspended = True
        note = _("Work suspended (exception d'inexécution, C. civ. 1219): %(count)s invoice(s) due, "
                 "%(total)s; last deadline %(deadline)s.", count=len(self.move_ids),
                 total=self.move_ids._recovery_format_total('amount_residual'), deadline=self.deadline)
        partner.sudo().message_post(body=note)
        self.move_ids._recovery_change(event_type='suspension', note=note)
        return {'type': 'ir.actions.act_window_close'}
