from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class DebtRecoveryPause(models.TransientModel):
    """Pause the reminders of invoices or of a whole customer until a date."""
    _name = 'debt.recovery.pause'
    _description = 'Pause Reminders'

    move_ids = fields.Many2many('account.move', string="Invoices")
    partner_id = fields.Many2one('res.partner', string="Whole Customer")
    date_until = fields.Date("Until", required=True)
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get('active_model') == 'account.move' and ctx.get('active_ids'):
            res['move_ids'] = [fields.Command.set(ctx['active_ids'])]
        elif ctx.get('active_model') == 'res.partner' and ctx.get('active_id'):
            res['partner_id'] = self.env['res.partner'].browse(ctx['active_id']).commercial_partner_id.id
        return res

    @api.constrains('date_until')
    def _check_date_until(self):
        today = fields.Date.context_today(self)
        if any(wizard.date_until <= today for wizard in self):
            raise ValidationError(_("A pause ends on a date to come."))

    def action_confirm(self):
        self.ensure_one()
        if not self.move_ids and not self.partner_id:
            raise UserError(_("Choose the invoices or the customer to pause."))
        note = _("Reminders paused until %(date)s: %(reason)s", date=self.date_until, reason=self.reason)
        if self.move_ids:
            self.move_ids.check_access('write')
            self.move_ids._recovery_pause(self.date_until, self.reason)
        if self.partner_id:
            # recovery users pause reminders without being allowed to edit contacts
            self.partner_id.check_access('read')
            self.partner_id.sudo().write({'recovery_pause_until': self.date_until, 'recovery_pause_reason': self.reason})
            self.partner_id.sudo().message_post(body=note)
        return {'type': 'ir.actions.act_window_close'}
