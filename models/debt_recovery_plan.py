from odoo import api, fields, models

from .debt_recovery_step import step_rank


class DebtRecoveryPlan(models.Model):
    """A reminder plan: the ladder of steps an overdue invoice walks up."""
    _name = 'debt.recovery.plan'
    _description = 'Debt Recovery Plan'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', index=True,
        help="Leave empty to share the plan between all companies.")
    step_ids = fields.One2many('debt.recovery.step', 'plan_id', string="Steps", context={'active_test': False})
    note = fields.Html(translate=True)
    step_count = fields.Integer(compute='_compute_step_count')

    @api.depends('step_ids.active')
    def _compute_step_count(self):
        for plan in self:
            plan.step_count = len(plan.step_ids.filtered('active'))

    def _get_active_steps(self):
        """Active steps in ladder order (sequence, then delay)."""
        self.ensure_one()
        return self.step_ids.filtered('active').sorted(step_rank)

    def write(self, vals):
        res = super().write(vals)
        if 'active' in vals or 'step_ids' in vals:
            self.env['account.move']._recovery_reschedule_plans(self)
        return res
