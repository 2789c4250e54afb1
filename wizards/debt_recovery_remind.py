from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.debt_recovery_engine import RecoveryGroup
from ..models.debt_recovery_step import LEGAL_CHANNELS, STEP_ACTIONS, step_rank


class DebtRecoveryRemind(models.TransientModel):
    """Relancer: one line per debtor, with the step the engine would run now."""
    _name = 'debt.recovery.remind'
    _description = 'Remind Customers'

    move_ids = fields.Many2many('account.move', string="Invoices", required=True)
    line_ids = fields.One2many('debt.recovery.remind.line', 'wizard_id', string="Reminders")
    debtor_count = fields.Integer(compute='_compute_debtor_count')
    warning = fields.Html(
        compute='_compute_warning', sanitize=False,
        help="What the user must know before sending: customers never reminded, with work suspended or in "
             "insolvency proceedings, and channels that change (no e-mail address: a letter).")
    needs_confirmation = fields.Boolean(
        compute='_compute_warning',
        help="A customer never reminded is ticked, or a formal step (formal notice, injunction) is ticked for a "
             "customer whose work is suspended or who is in insolvency proceedings: Send now asks first.")

    @api.depends('line_ids')
    def _compute_debtor_count(self):
        for wizard in self:
            wizard.debtor_count = len(wizard.line_ids)

    @api.depends('line_ids.include', 'line_ids.channel', 'line_ids.warning', 'line_ids.partner_flag')
    def _compute_warning(self):
        for wizard in self:
            lines = wizard.line_ids.filtered('include')
            notes = [line.warning for line in lines if line.warning]
            wizard.warning = notes and Markup("<ul class='mb-0'>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % note for note in notes)
            wizard.needs_confirmation = any(line._needs_confirmation() for line in lines)

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
            'context': {'dialog_size': 'extra-large'},
        }

    def action_send(self):
        self.ensure_one()
        lines = self.line_ids.filtered('include')
        if not lines:
            raise UserError(_("Tick at least one customer to remind."))
        if self.needs_confirmation and not self.env.context.get('recovery_confirmed'):
            # the form's button asks first (confirm); an RPC caller says it knows with the context key
            raise UserError(_("Confirm first: %s",
                              "; ".join(line.warning for line in lines if line._needs_confirmation())))
        groups = [line._to_group() for line in lines]
        events, skipped = self.env['debt.recovery.engine']._run_manual(groups)
        failed = events.filtered(lambda e: e.state == 'failed')
        message = self._result_message(events)
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

    @api.model
    def _result_message(self, events):
        """What was done, in true words: an e-mail or SMS created is *queued* until the
        outgoing mail queue sends it, *sent* once it has; a to-do is *created*."""
        done = events.sudo().filtered(lambda e: e.state == 'done')  # the queues are the administrator's
        parts = []
        mails = done.mail_id
        queued, sent = mails.filtered(lambda m: m.state == 'outgoing'), mails.filtered(lambda m: m.state != 'outgoing')
        if queued:
            parts.append(_("%(count)s e-mail(s) queued, sent by the outgoing mail queue within minutes",
                           count=len(queued)))
        if sent:
            parts.append(_("%(count)s e-mail(s) sent", count=len(sent)))
        sms = done.sms_id
        sms_queued = sms.filtered(lambda s: s.state in ('outgoing', 'process'))
        if sms_queued:
            parts.append(_("%(count)s SMS queued", count=len(sms_queued)))
        if sms - sms_queued:
            parts.append(_("%(count)s SMS sent", count=len(sms - sms_queued)))
        activities = done.activity_id
        if activities:
            channels = dict(self.env['debt.recovery.event']._fields['channel']._description_selection(self.env))
            kinds = sorted({channels[e.channel] for e in done if e.activity_id})
            parts.append(_("%(count)s to-do(s) created (%(kinds)s)", count=len(activities), kinds=", ".join(kinds)))
        if not parts:
            return _("Nothing was sent.")
        return _("%(what)s, for %(invoices)s invoice(s).", what="; ".join(parts), invoices=len(done.move_id))


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
    partner_flag = fields.Selection(
        [('blocked', "Never remind"), ('suspended', "Work suspended"), ('insolvency', "Insolvency proceedings")],
        string="Customer", compute='_compute_partner_flag',
        help="Why this customer needs care: marked Never remind, work suspended, or insolvency proceedings opened.")
    warning = fields.Char(compute='_compute_warning')

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
        """The channel that will really be used: the step's, or what the engine falls
        back to for this customer (no e-mail address: a letter; no mobile: a call)."""
        for line in self:
            line.channel = line._fallback_channel(line.step_id.action or line.channel or 'email')

    def _fallback_channel(self, channel):
        self.ensure_one()
        if channel == 'email' and not self._has_email():
            return 'letter'
        if channel == 'sms' and not self.partner_id.phone:
            return 'call'
        return channel

    def _has_email(self):
        return bool(self.move_ids.partner_id.filtered('email') or self.partner_id.email)

    @api.depends('partner_id', 'company_id')
    def _compute_partner_flag(self):
        for line in self:
            partner = line.partner_id.with_company(line.company_id)
            line.partner_flag = (partner.recovery_blocked and 'blocked') or (
                partner.recovery_suspended and 'suspended') or (partner.recovery_insolvency_date and 'insolvency')

    @api.depends('partner_flag', 'channel', 'step_id')
    def _compute_warning(self):
        for line in self:
            partner = line.partner_id.with_company(line.company_id)
            notes = []
            if line.partner_flag == 'blocked':
                notes.append(_("%s is marked Never remind: no reminder of any kind should be sent to it.",
                               partner.display_name))
            elif line.partner_flag == 'suspended':
                notes.append(_("Work is suspended for %s (exception d'inexécution).", partner.display_name))
            elif line.partner_flag == 'insolvency':
                notes.append(_("Insolvency proceedings were opened against %(customer)s on %(date)s: only the "
                               "invoices issued after the judgment may be claimed.", customer=partner.display_name,
                               date=format_date(self.env, partner.recovery_insolvency_date)))
            if line.step_id.action == 'email' and line.channel == 'letter' and not line._has_email():
                notes.append(_("%s has no e-mail address: the reminder will be a letter to send by post (a to-do).",
                               partner.display_name))
            elif line.step_id.action == 'sms' and line.channel == 'call' and not line.partner_id.phone:
                notes.append(_("%s has no phone number for SMS: a call to-do instead.", partner.display_name))
            elif line.channel == 'email' and not line._has_email():
                notes.append(_("%s has no e-mail address: the e-mail will become a letter to send by post.",
                               partner.display_name))
            line.warning = " ".join(notes) or False

    def _needs_confirmation(self):
        """Ask before reminding a customer never reminded, and before a formal step
        (formal notice, injunction) for one whose work is suspended or in insolvency."""
        self.ensure_one()
        return self.partner_flag == 'blocked' or bool(self.partner_flag and self.channel in LEGAL_CHANNELS)

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
        channel = self._fallback_channel(self.channel)
        note = ''
        if channel == 'letter' and self.step_id.action == 'email' and not self._has_email():
            note = _("%s has no e-mail address: the reminder must be sent by post.", self.partner_id.display_name)
        return RecoveryGroup(
            company=self.company_id, partner=self.partner_id, step=self.step_id,
            moves=self.move_ids, channel=channel, origin='manual', resend=self.resend, note=note)

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
