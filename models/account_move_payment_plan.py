"""An invoice in a payment plan: paused by the plan, its penalties stopped by it
when the plan says so, and the plan completed when the payments settle it."""
from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = 'account.move'

    recovery_payment_plan_id = fields.Many2one(
        'debt.recovery.payment.plan', string="Payment Plan", copy=False, readonly=True, index='btree_not_null',
        help="The active (or completed) payment plan of the invoice.")

    def _recovery_policy(self):
        """An agreed plan that stops the penalties (company setting, copied on the plan)
        stops them from its date while it is kept, through the same path as the stop of
        insolvency proceedings: the last day bearing interest is the day before."""
        policy = super()._recovery_policy()
        plan = self.recovery_payment_plan_id
        if plan and plan.penalty_stop and plan.state in ('active', 'completed') and plan.date_start:
            stop = policy.get('interest_stop')
            policy['interest_stop'] = min(stop, plan.date_start) if stop else plan.date_start
        return policy

    @api.depends_context('date')
    @api.depends('line_ids.matched_credit_ids', 'line_ids.amount_residual', 'state', 'commercial_partner_id',
                 'recovery_payment_plan_id.state', 'recovery_payment_plan_id.penalty_stop')
    def _compute_recovery_amounts(self):
        return super()._compute_recovery_amounts()

    @api.depends_context('date')
    @api.depends('line_ids.matched_credit_ids', 'line_ids.amount_residual', 'state', 'commercial_partner_id',
                 'recovery_payment_plan_id.state', 'recovery_payment_plan_id.penalty_stop')
    def _compute_recovery_penalty_display(self):
        return super()._compute_recovery_penalty_display()

    def _recovery_sync_payment_state(self):
        """A payment that settles the last of a plan's invoices completes the plan."""
        res = super()._recovery_sync_payment_state()
        self.recovery_payment_plan_id.filtered(lambda p: p.state == 'active').sudo()._recovery_check_completed()
        return res

    def action_recovery_payment_plan(self):
        """A new payment plan for the selected invoices (one debtor)."""
        return self.env['debt.recovery.payment.plan']._action_new(self)


class ResPartner(models.Model):
    _inherit = 'res.partner'

    def action_recovery_payment_plan(self):
        """A new payment plan for the customer's open invoices in the current company."""
        self.ensure_one()
        moves = self.env['account.move'].search([
            ('commercial_partner_id', '=', self.commercial_partner_id.id), ('company_id', '=', self.env.company.id),
            ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
            ('recovery_state', 'in', ('running', 'paused')), ('amount_residual', '>', 0)])
        action = self.env['debt.recovery.payment.plan']._action_new(moves)
        action['context']['default_partner_id'] = self.commercial_partner_id.id
        return action
