from odoo import fields, models


class IrAttachment(models.Model):
    _inherit = 'ir.attachment'

    recovery_evidence = fields.Selection(
        [('contract', "Signed quote or contract"), ('correspondence', "Correspondence")],
        string="Recovery Evidence",
        help="Attachments of an invoice or a customer marked as evidence join the court file's exhibits.")
