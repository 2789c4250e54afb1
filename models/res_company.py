from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    recovery_plan_id = fields.Many2one(
        'debt.recovery.plan', string="Default Reminder Plan",
        default=lambda self: self.env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default', raise_if_not_found=False),
        help="Plan followed by the customers that have none of their own.")
    recovery_min_amount = fields.Monetary(
        "Minimum Amount to Remind", currency_field='currency_id', default=0.0,
        help="Customers who owe less than this amount in total on overdue invoices are not reminded.")
    recovery_call_user_id = fields.Many2one(
        'res.users', string="Call To-dos For",
        help="Who receives the phone-call to-dos. Empty: the salesperson of the invoice.")
    recovery_notice_user_id = fields.Many2one(
        'res.users', string="Formal Notices Prepared By",
        help="Manager who receives the to-do to prepare a formal notice. Empty: the call to-do receiver.")
    recovery_penalty_rate = fields.Float(
        "Contractual Penalty Rate (%)", digits=(6, 2), default=0.0,
        help="Late-payment penalty rate of your terms of sale. 0 applies the legal default rate "
             "(ECB main refinancing rate + 10 points).")
    recovery_notice_delay = fields.Integer(
        "Formal Notice Delay (days)", default=8,
        help="Days given to the debtor by the formal notice (mise en demeure) to pay.")
