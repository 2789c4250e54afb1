from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

STEP_ACTIONS = [
    ('email', "E-mail"),
    ('sms', "SMS"),
    ('call', "Phone call"),
    ('letter', "Letter"),
    ('formal_notice', "Formal notice (mise en demeure)"),
    ('injunction', "Injunction to pay (injonction de payer)"),
]
# The channels that open a case, and those that give a human a to-do.
LEGAL_CHANNELS = ('formal_notice', 'injunction')
TODO_CHANNELS = ('call', 'letter') + LEGAL_CHANNELS


def step_rank(step):
    """The order of the ladder: sequence, then delay (the one place it is defined)."""
    return (step.sequence, step.delay, step.id)


class DebtRecoveryStep(models.Model):
    """One rung of a reminder plan: what to do, and how many days after the due date."""
    _name = 'debt.recovery.step'
    _description = 'Debt Recovery Step'
    _order = 'plan_id, sequence, delay, id'   # the ladder's order, as step_rank

    name = fields.Char(required=True, translate=True)
    plan_id = fields.Many2one('debt.recovery.plan', required=True, ondelete='cascade', index=True)
    company_id = fields.Many2one(related='plan_id.company_id', store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    delay = fields.Integer(
        "Delay (days)", required=True,
        help="Days after the due date when the step is due; negative for a reminder before the due date.")
    action = fields.Selection(STEP_ACTIONS, required=True, default='email')
    automatic = fields.Boolean(
        default=True,
        help="Run by the daily scheduled action. Otherwise the step waits until a user runs it "
             "from the Relancer wizard.")
    mail_template_id = fields.Many2one(
        'mail.template', string="E-mail Template", domain=[('model', '=', 'res.partner')],
        ondelete='restrict')
    sms_template_id = fields.Many2one(
        'sms.template', string="SMS Template", domain=[('model', '=', 'res.partner')],
        ondelete='restrict')
    activity_type_id = fields.Many2one(
        'mail.activity.type', string="To-do Type",
        help="Activity created for call, letter and formal notice steps.")
    attach_invoices = fields.Boolean(
        "Attach the invoices",
        help="Attach the PDF of every invoice listed in the e-mail.")
    attach_statement = fields.Boolean(
        "Attach the customer statement",
        help="Attach the customer's statement of account (open invoices, payments received, penalties "
             "to date) to the e-mail.")
    user_role = fields.Selection(
        [('call', "Call to-do receiver"), ('notice', "Formal notice manager"), ('salesperson', "Invoice salesperson")],
        string="Assigned to", default='call', required=True,
        help="Who receives the to-do created by this step (company settings).")

    _check_delay = models.Constraint(
        'CHECK (delay BETWEEN -90 AND 3650)',
        "A step must be due between 90 days before and ten years after the due date.",
    )

    @api.constrains('action', 'mail_template_id', 'sms_template_id')
    def _check_template(self):
        for step in self:
            if step.action == 'email' and not step.mail_template_id:
                raise ValidationError(_("The e-mail step “%s” needs an e-mail template.", step.name))
            if step.action == 'sms' and not step.sms_template_id:
                raise ValidationError(_("The SMS step “%s” needs an SMS template.", step.name))

    @api.constrains('action', 'delay')
    def _check_legal_delay(self):
        """A formal notice demands, an injunction claims, what is due: not before the
        due date has passed (C. com. L441-10 II: late from the day after it)."""
        for step in self:
            if step.action in LEGAL_CHANNELS and step.delay < 1:
                raise ValidationError(_(
                    "The step “%(step)s” is a formal notice or an injunction: it comes at least 1 day after the due "
                    "date (before it, nothing is owed yet); %(delay)s days entered.", step=step.name, delay=step.delay))

    @api.depends('plan_id', 'name', 'delay')
    def _compute_display_name(self):
        for step in self:
            sign = '+' if step.delay >= 0 else '−'
            step.display_name = f"{step.name} (J{sign}{abs(step.delay)})"

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self.env['account.move']._recovery_reschedule_plans(steps.plan_id)
        return steps

    def write(self, vals):
        res = super().write(vals)
        if {'delay', 'sequence', 'active', 'automatic', 'plan_id'} & set(vals):
            self.env['account.move']._recovery_reschedule_plans(self.plan_id)
        return res
