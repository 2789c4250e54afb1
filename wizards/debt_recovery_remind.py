from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.debt_recovery_engine import RecoveryGroup
from ..models.debt_recovery_step import STEP_ACTIONS, step_rank



class DebtRecoveryRemind(models.TransientModel):
    """Relancer: one line per debtor, with the step the engine would run now."""
    _name = 'debt.recovery.remind'
    _description = 'Remind Customers'

    move_ids = fields.Many2many('account.move', string="Invoices", required=True)
    line_ids = fields.One2many('debt.recovery.remind.line', 'wizard_id', string="Reminders")
    debtor_count = fields.Integer(compute='_compute_debtor_count')

    @api.depends('line_ids')
    def _compute_debtor_count(self):
        for wizard in self:
            wizard.debtor_count = len(wizard.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            if not wizard.line_ids:
                wizard._build_lines()
        return wizards

    def _build_lines(self):
        self.ensure_one()
        self.move_ids._recovery_check_remindable()
        # the e-mails carry pay-online links: create the access tokens now, not while
        # previewing (a preview may run in a read-only request)
        self.move_ids.sudo()._recovery_ensure_tokens()
        today = fields.Date.context_today(self)
        by_debtor = {}
        for move in self.move_ids.sorted(lambda m: (m.company_id.id, m.commercial_partner_id.id, m.id)):
            by_debtor.setdefault((move.company_id, move.commercial_partner_id), self.env['account.move'])
            by_debtor[move.company_id, move.commercial_partner_id] |= move
        lines = []
        for (company, partner), moves in by_debtor.items():
            step = self._default_step(moves, today)
            if not step:
                raise UserError(_("No reminder plan applies to %s: set a default plan in the accounting "
                                  "settings or a plan on the customer.", partner.display_name))
            lines.append({
                'wizard_id': self.id,
                'company_id': company.id,
                'partner_id': partner.id,
                'move_ids': [fields.Command.set(moves.ids)],
                'step_id': step.id,
            })
        self.env['debt.recovery.remind.line'].create(lines)

    @api.model
    def _default_step(self, moves, today):
        """The most advanced step due now among the invoices; else the next one
        of the least advanced invoice; else the last step done (to send it again)."""
        steps = self.env['debt.recovery.step']
        for move in moves:
            steps |= move._recovery_due_step(today)
        if steps:
            return max(steps, key=step_rank)
        following = self.env['debt.recovery.step']
        for move in moves:
            following |= move._recovery_following_step()
        if following:
            return min(following, key=step_rank)
        done = moves.recovery_step_id
        if done:
            return max(done, key=step_rank)
        plan = moves[:1].recovery_plan_id
        return plan._get_active_steps()[:1] if plan else steps

    def _action_open(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _("Remind"),
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'target': 'new',
        }

    def action_send(self):
        self.ensure_one()
        lines = self.line_ids.filtered('include')
        if not lines:
            raise UserError(_("Tick at least one customer to remind."))
        groups = [line._to_group() for line in lines]
        events, skipped = self.env['debt.recovery.engine']._run_manual(groups)
        failed = events.filtered(lambda e: e.state == 'failed')
        message = _("%(count)s reminder(s) sent for %(invoices)s invoice(s).",
                    count=len(groups) - len(set(failed.partner_id.ids)), invoices=len(events.move_id))
        if skipped:
            message += " " + _("Already done, not sent again: %s (tick “Send again” to repeat a step).",
                               ", ".join(skipped.mapped('name')))
        if failed:
            message += " " + _("Failed: %s.", "; ".join(set(failed.mapped('failure_reason'))))
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'title': _("Reminders"),
                'message': message,
                'type': 'warning' if failed or skipped else 'success',
                'sticky': bool(failed),
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }


class DebtRecoveryRemindLine(models.TransientModel):
    _name = 'debt.recovery.remind.line'
    _description = 'Remind Customers: one debtor'

    wizard_id = fields.Many2one('debt.recovery.remind', required=True, ondelete='cascade')
    include = fields.Boolean("Send", default=True)
    company_id = fields.Many2one('res.company', required=True)
    partner_id = fields.Many2one('res.partner', string="Debtor", required=True)
    move_ids = fields.Many2many('account.move', string="Invoices")
    plan_id = fields.Many2one('debt.recovery.plan', compute='_compute_plan_id')
    step_id = fields.Many2one(
        'debt.recovery.step', string="Step", required=True,
        domain="[('plan_id', '=', plan_id)]")
    channel = fields.Selection(STEP_ACTIONS, compute='_compute_channel', store=True, readonly=False,
                               required=True, precompute=True)
    resend = fields.Boolean(
        "Send again", help="Send the step again to invoices that already received it.")
    amount_due = fields.Char("Amount Due", compute='_compute_amount_due')
    last_step_id = fields.Many2one('debt.recovery.step', string="Last Step Done", compute='_compute_plan_id')
    preview_subject = fields.Char("Subject", compute='_compute_preview')
    preview_body = fields.Html("Preview", compute='_compute_preview', sanitize=False)

    @api.depends('move_ids')
    def _compute_plan_id(self):
        for line in self:
            line.plan_id = line.move_ids[:1].recovery_plan_id
            line.last_step_id = max(line.move_ids.recovery_step_id, key=step_rank,
                                    default=self.env['debt.recovery.step'])

    @api.depends('move_ids')
    def _compute_amount_due(self):
        for line in self:
            line.amount_due = line.move_ids._recovery_format_total('amount_residual')

    @api.depends('step_id')
    def _compute_channel(self):
        for line in self:
            line.channel = line.step_id.action or line.channel or 'email'

    def action_preview(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _("Preview: %s", self.partner_id.display_name),
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'target': 'new',
        }

    def action_back(self):
        return self.wizard_id._action_open()

    def _to_group(self):
        self.ensure_one()
        return RecoveryGroup(
            company=self.company_id, partner=self.partner_id, step=self.step_id,
            moves=self.move_ids, channel=self.channel, origin='manual', resend=self.resend)

    @api.depends('step_id', 'channel', 'move_ids', 'partner_id')
    def _compute_preview(self):
        Channel = self.env['debt.recovery.channel']
        for line in self:
            line.preview_subject = False
            line.preview_body = False
            if not line.step_id or not line.partner_id:
                continue
            group = line._to_group()
            try:
                if line.channel == 'email':
                    recipients = Channel._email_recipients(group)
                    if not recipients:
                        line.preview_body = Markup("<p>%s</p>") % _(
                            "%s has no e-mail address: a to-do to send the reminder by post will be created.",
                            line.partner_id.display_name)
                        continue
                    values = Channel._render_email(group)
                    line.preview_subject = values.get('subject')
                    line.preview_body = Markup("<p><b>%s</b> %s</p>") % (
                        _("To:"), ", ".join(recipients.mapped('email_formatted'))) + Markup(values['body_html'])
                elif line.channel == 'sms':
                    res = Channel._prepare_sms(group)
                    line.preview_body = Markup("<p>%s</p>") % (res.body or res.note or '')
                else:
                    res = Channel._prepare_todo(group, preview=True)
                    line.preview_subject = res.activity_vals['summary']
                    line.preview_body = res.activity_vals['note']
            except UserError as error:
                line.preview_body = Markup("<p class='text-danger'>%s</p>") % error.args[0]
