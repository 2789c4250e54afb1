from odoo import fields, models


class DebtRecoveryEvent(models.Model):
    _inherit = 'debt.recovery.event'

    letter_id = fields.Many2one('snailmail.letter', string="Letter by Post", index='btree_not_null',
                                ondelete='set null', readonly=True)
    letter_state = fields.Selection(related='letter_id.state', string="Letter Status")
    letter_error_code = fields.Selection(related='letter_id.error_code', string="Letter Error")
    letter_info = fields.Html(related='letter_id.info_msg', string="Letter Information")
