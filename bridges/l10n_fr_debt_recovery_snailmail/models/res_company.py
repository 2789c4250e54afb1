from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    recovery_letter_by_snailmail = fields.Boolean(
        "Send Reminder Letters by Post",
        help="The reminder letters of the plan (a letter step, or an e-mail step for a customer without e-mail "
             "address) are printed and posted by Odoo Snailmail (IAP credits) instead of a to-do. Without "
             "credits, or with an incomplete address, the to-do stays.")


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    recovery_letter_by_snailmail = fields.Boolean(related='company_id.recovery_letter_by_snailmail',
                                                  readonly=False)
