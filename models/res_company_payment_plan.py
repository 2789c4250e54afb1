"""The company's rules for payment plans (échéanciers), in Settings > Recouvrement."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = 'res.company'

    recovery_plan_max_instalments = fields.Integer(
        "Payment Plan: Maximum Instalments", default=12,
        help="A payment plan has at most this many instalments.")
    recovery_plan_reminder_days = fields.Integer(
        "Payment Plan: Reminder Before an Instalment (days)", default=5,
        help="The debtor is e-mailed this many days before each instalment of its payment plan.")
    recovery_plan_penalty_mode = fields.Selection(
        [('stop', "Stop from the plan's date"), ('run', "Keep running")],
        string="Payment Plan: Late-Payment Penalties", default='stop', required=True,
        help="Whether an agreed payment plan stops the late-payment penalties of its invoices from the day "
             "it is agreed (as long as it is kept), or lets them run. The plan's document says which.")

    @api.constrains('recovery_plan_max_instalments', 'recovery_plan_reminder_days')
    def _check_recovery_plan_settings(self):
        for company in self:
            if not 1 <= company.recovery_plan_max_instalments <= 60:
                raise ValidationError(_("A payment plan has between 1 and 60 instalments at most (%s entered).",
                                        company.recovery_plan_max_instalments))
            if not 0 <= company.recovery_plan_reminder_days <= 30:
                raise ValidationError(_("An instalment is reminded 0 to 30 days before its date (%s days "
                                        "entered).", company.recovery_plan_reminder_days))


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    recovery_plan_max_instalments = fields.Integer(related='company_id.recovery_plan_max_instalments',
                                                   readonly=False)
    recovery_plan_reminder_days = fields.Integer(related='company_id.recovery_plan_reminder_days', readonly=False)
    recovery_plan_penalty_mode = fields.Selection(related='company_id.recovery_plan_penalty_mode', readonly=False)
