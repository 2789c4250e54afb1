from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    recovery_plan_id = fields.Many2one(related='company_id.recovery_plan_id', readonly=False)
    recovery_min_amount = fields.Monetary(related='company_id.recovery_min_amount', readonly=False,
                                          currency_field='currency_id')
    recovery_call_user_id = fields.Many2one(related='company_id.recovery_call_user_id', readonly=False)
    recovery_notice_user_id = fields.Many2one(related='company_id.recovery_notice_user_id', readonly=False)
    recovery_penalty_rate = fields.Float(related='company_id.recovery_penalty_rate', readonly=False)
    recovery_notice_delay = fields.Integer(related='company_id.recovery_notice_delay', readonly=False)
    recovery_representative_name = fields.Char(related='company_id.recovery_representative_name', readonly=False)
    recovery_representative_capacity = fields.Char(related='company_id.recovery_representative_capacity',
                                                   readonly=False)
    recovery_share_capital = fields.Monetary(related='company_id.recovery_share_capital', readonly=False,
                                             currency_field='currency_id')
    recovery_creditor_is_individual = fields.Boolean(related='company_id.recovery_creditor_is_individual',
                                                     readonly=False)
    recovery_creditor_first_names = fields.Char(related='company_id.recovery_creditor_first_names', readonly=False)
    recovery_creditor_last_name = fields.Char(related='company_id.recovery_creditor_last_name', readonly=False)
    recovery_creditor_profession = fields.Char(related='company_id.recovery_creditor_profession', readonly=False)
    recovery_creditor_birth_date = fields.Date(related='company_id.recovery_creditor_birth_date', readonly=False)
    recovery_creditor_birth_place = fields.Char(related='company_id.recovery_creditor_birth_place', readonly=False)
    recovery_creditor_nationality = fields.Char(related='company_id.recovery_creditor_nationality', readonly=False)
    recovery_penalty_freeze = fields.Boolean(related='company_id.recovery_penalty_freeze', readonly=False)
    recovery_payment_term_limit = fields.Selection(related='company_id.recovery_payment_term_limit', readonly=False)
    recovery_invoice_mention = fields.Text(related='company_id.recovery_invoice_mention', readonly=False)
    recovery_penalty_rate_warning = fields.Char(related='company_id.recovery_penalty_rate_warning')
    recovery_notice_template_id = fields.Many2one(related='company_id.recovery_notice_template_id', readonly=False)
    recovery_promise_grace_days = fields.Integer(related='company_id.recovery_promise_grace_days', readonly=False)
    recovery_call_retry_delay = fields.Integer(related='company_id.recovery_call_retry_delay', readonly=False)
    recovery_call_max_retries = fields.Integer(related='company_id.recovery_call_max_retries', readonly=False)
    recovery_mediator_name = fields.Char(related='company_id.recovery_mediator_name', readonly=False)
    recovery_mediator_url = fields.Char(related='company_id.recovery_mediator_url', readonly=False)
    recovery_mediator_address = fields.Char(related='company_id.recovery_mediator_address', readonly=False)
    recovery_title_reservation = fields.Boolean(related='company_id.recovery_title_reservation', readonly=False)
    recovery_agency_export_days = fields.Integer(related='company_id.recovery_agency_export_days', readonly=False)
