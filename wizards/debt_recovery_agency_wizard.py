from odoo import _, api, fields, models
from odoo.exceptions import UserError


class DebtRecoveryAgencyWizard(models.TransientModel):
    _name = 'debt.recovery.agency.wizard'
    _description = 'Hand Over to a Collection Agency'

    agency_id = fields.Many2one('res.partner', string="Agency", required=True, domain=[('recovery_is_agency', '=', True)])
    move_ids = fields.Many2many('account.move', string="Invoices")
    case_id = fields.Many2one('debt.recovery.case', string="Case")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get('active_model') == 'account.move':
            res['move_ids'] = [fields.Command.set(ctx.get('active_ids') or [])]
        elif ctx.get('active_model') == 'debt.recovery.case':
            res['case_id'] = ctx.get('active_id')
        return res

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise UserError(_("Only a recovery manager can hand claims over to an agency."))
        handoff = self.env['debt.recovery.agency.handoff']._hand_over(self.agency_id, self.move_ids, self.case_id)
        return {'type': 'ir.actions.act_window', 'res_model': handoff._name, 'res_id': handoff.id,
                'view_mode': 'form'}
