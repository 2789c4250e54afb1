"""The settings of registered letters: the company's service, the consumer's consent to
electronic registered letters, the proofs as recovery evidence."""
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    recovery_post_provider_id = fields.Many2one(
        'debt.recovery.post.provider', string="Registered Letter Service",
        domain="['|', ('company_id', '=', False), ('company_id', '=', id)]",
        help="The service that carries the formal notices of new cases. Empty: print and post them yourself.")


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    recovery_post_provider_id = fields.Many2one(related='company_id.recovery_post_provider_id', readonly=False)


class ResPartner(models.Model):
    _inherit = 'res.partner'

    recovery_lre_consent_date = fields.Date(
        "Accepts Electronic Registered Letters Since", tracking=True,
        help="A consumer receives an electronic registered letter only if it accepted them beforehand "
             "(CPCE L100): the date of that consent. Professionals need none.")


class IrAttachment(models.Model):
    _inherit = 'ir.attachment'

    recovery_evidence = fields.Selection(selection_add=[('post_proof', "Registered letter proof")],
                                         ondelete={'post_proof': 'set null'})
