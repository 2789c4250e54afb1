"""Payment plans (échéanciers): the debtor pays its invoices in instalments.

A plan is a series of promises to pay on the invoices it gathers. Confirmed, it
pauses their reminders until its last instalment (plus the company's grace days)
through the one owner of the recovery status (``account.move._recovery_change``).
The daily run follows it (``_recovery_follow``, called from the engine's cron
entry): each instalment is reminded a few days before its date; payments are
applied to the instalments in date order (what was paid is what is no longer
due on the plan's invoices); the plan completes when all is paid; an instalment
missed after the grace days breaks it, as a broken promise does: the invoices
move on to their next step at once.
"""
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang
from odoo.tools.translate import _lt

from .debt_recovery_event import Amount

PLAN_STATES = [
    ('draft', "Draft"),
    ('active', "Active"),
    ('completed', "Completed"),
    ('broken', "Broken"),
    ('cancelled', "Cancelled"),
]
# an invoice may join a plan while the reminders may still run for it
PLAN_MOVE_STATES = ('running', 'paused')


class DebtRecoveryPaymentPlan(models.Model):
    """An agreement with a debtor to pay some of its invoices in instalments."""
    _name = 'debt.recovery.payment.plan'
    _description = 'Payment Plan'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'id desc'
    _check_company_auto = True

    # --- the agreement ------------------------------------------------------
    name = fields.Char("Reference", compute='_compute_name', store=True)
    company_id = fields.Many2one('res.company', required=True, index=True, default=lambda self: self.env.company,
                                 readonly=True)
    partner_id = fields.Many2one(
        'res.partner', string="Debtor", required=True, index=True, tracking=True,
        domain="[('parent_id', '=', False)]", check_company=True)
    move_ids = fields.Many2many(
        'account.move', 'debt_recovery_payment_plan_move_rel', 'plan_id', 'move_id', string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('company_id', '=', company_id), "
               "('commercial_partner_id', '=', partner_id), ('payment_state', 'not in', ('paid', 'in_payment', "
               "'reversed'))]",
        check_company=True)
    instalment_ids = fields.One2many('debt.recovery.payment.plan.instalment', 'plan_id', string="Instalments",
                                     copy=True)
    state = fields.Selection(PLAN_STATES, required=True, default='draft', index=True, tracking=True, copy=False,
                             readonly=True)
    currency_id = fields.Many2one('res.currency', compute='_compute_currency_id', store=True)
    date_start = fields.Date("Agreed On", readonly=True, copy=False, tracking=True,
                             help="The day the plan was confirmed: penalties stop from it when the plan says so.")
    acceleration_clause = fields.Boolean(
        "Acceleration Clause", default=True, tracking=True,
        help="Déchéance du terme: one instalment missed makes the whole balance due at once, and the "
             "invoices go back to the reminders. Without it, a missed instalment is recorded and the "
             "recovery user decides.")
    penalty_stop = fields.Boolean(
        "Penalties Stop", tracking=True,
        default=lambda self: self.env.company.recovery_plan_penalty_mode == 'stop',
        help="Late-payment penalties stop on the plan's invoices from the day it is agreed, as long as "
             "it is kept. A broken plan gives them back from the due dates.")
    # --- the figures ----------------------------------------------------------
    amount_total = fields.Monetary("Amount Agreed", readonly=True, copy=False,
                                   help="What was due on the invoices when the plan was agreed.")
    amount_due = fields.Monetary("Amount Due", compute='_compute_amounts',
                                 help="What is still due on the plan's invoices.")
    amount_paid = fields.Monetary("Amount Paid", compute='_compute_amounts',
                                  help="What was paid on the plan's invoices since it was agreed.")
    amount_instalments = fields.Monetary("Sum of the Instalments", compute='_compute_amounts')
    next_instalment_id = fields.Many2one('debt.recovery.payment.plan.instalment', compute='_compute_next_instalment',
                                         help="The first instalment not paid in full (or the one being reminded).")
    break_date = fields.Date("Broken On", readonly=True, copy=False)
    completion_date = fields.Date("Completed On", readonly=True, copy=False)
    # --- asked for by the debtor on its page -------------------------------------
    debtor_request = fields.Boolean("Requested by the Debtor", readonly=True, copy=False, index=True,
                                    help="The debtor asked for this plan on its page: confirming it accepts the "
                                         "request, cancelling it refuses it; the debtor is e-mailed either way.")
    debtor_comment = fields.Text("Debtor's Comment", readonly=True, copy=False)
    # the debtor's acceptance on its page (Odoo's portal signature), or on paper
    proposed = fields.Boolean("Proposed to the Debtor", readonly=True, copy=False,
                              help="Shown on the debtor's page, where the debtor can accept it by signing.")
    signed_by = fields.Char("Signed By", readonly=True, copy=False)
    signed_on = fields.Datetime("Signed On", readonly=True, copy=False)
    signature = fields.Image("Signature", readonly=True, copy=False, attachment=True, max_width=1024, max_height=1024)
    # --- instalments generated by the form's button ----------------------------
    generate_count = fields.Integer("Monthly Instalments", default=3, copy=False,
                                    help="Split what is due into this many monthly instalments.")
    generate_first_date = fields.Date("First Instalment", copy=False,
                                      default=lambda self: fields.Date.add(fields.Date.context_today(self), months=1))

    @api.depends('partner_id', 'date_start')
    def _compute_name(self):
        for plan in self:
            plan.name = _("Payment plan %(debtor)s", debtor=plan.partner_id.name or '')

    @api.depends('move_ids.currency_id', 'company_id')
    def _compute_currency_id(self):
        for plan in self:
            plan.currency_id = plan.move_ids[:1].currency_id or plan.company_id.currency_id

    @api.depends('move_ids.amount_residual', 'instalment_ids.amount', 'instalment_ids.date', 'amount_total', 'state')
    def _compute_amounts(self):
        for plan in self:
            plan.amount_due = sum(plan.move_ids.mapped('amount_residual'))
            plan.amount_instalments = sum(plan.instalment_ids.mapped('amount'))
            plan.amount_paid = max(plan.amount_total - plan.amount_due, 0.0) if plan.state != 'draft' else 0.0

    @api.depends_context('recovery_instalment_id')
    @api.depends('instalment_ids.state', 'instalment_ids.date')
    def _compute_next_instalment(self):
        reminded = self.env.context.get('recovery_instalment_id')
        for plan in self:
            instalment = plan.instalment_ids.filtered(lambda i: i.id == reminded)
            plan.next_instalment_id = instalment or plan.instalment_ids.sorted(lambda i: (i.date, i.id)).filtered(
                lambda i: i.state != 'paid')[:1]

    # -------------------------------------------------------------------------
    # Checks: bad input is refused when it is written, nothing is half-saved
    # -------------------------------------------------------------------------
    @api.constrains('move_ids', 'partner_id', 'company_id')
    def _check_moves(self):
        """Only posted customer invoices of the debtor, in the plan's company and one currency."""
        for plan in self:
            commercial = plan.partner_id.commercial_partner_id
            for move in plan.move_ids:
                if move.move_type != 'out_invoice' or move.state != 'posted':
                    raise ValidationError(_(
                        "%(invoice)s cannot be in a payment plan: only posted customer invoices can.",
                        invoice=move.display_name))
                if move.commercial_partner_id != commercial:
                    raise ValidationError(_(
                        "%(invoice)s is an invoice of %(other)s, not of %(debtor)s: a payment plan gathers the "
                        "invoices of one debtor.", invoice=move.display_name,
                        other=move.commercial_partner_id.display_name, debtor=commercial.display_name))
                if move.company_id != plan.company_id:
                    raise ValidationError(_("%s belongs to another company than the payment plan.",
                                            move.display_name))
            if len(plan.move_ids.currency_id) > 1:
                raise ValidationError(_("The invoices of a payment plan must be in one currency."))

    @api.constrains('instalment_ids')
    def _check_instalment_count(self):
        for plan in self:
            limit = plan.company_id.recovery_plan_max_instalments
            if len(plan.instalment_ids) > limit:
                raise ValidationError(_(
                    "A payment plan has at most %(limit)s instalments (Settings > Recouvrement); this one has "
                    "%(count)s.", limit=limit, count=len(plan.instalment_ids)))

    @api.constrains('instalment_ids', 'state')
    def _check_instalment_dates(self):
        """Instalments of a plan being prepared are dated in the future, each after the previous one."""
        today = fields.Date.context_today(self)
        for plan in self.filtered(lambda p: p.state == 'draft'):
            previous = None
            for instalment in plan.instalment_ids.sorted(lambda i: (i.sequence, i.id)):
                if not instalment.date or instalment.date <= today:
                    raise ValidationError(_(
                        "Each instalment is dated in the future: %(date)s is not.",
                        date=format_date(self.env, instalment.date) if instalment.date else _("no date")))
                if previous and instalment.date <= previous:
                    raise ValidationError(_(
                        "Each instalment falls after the previous one: %(date)s comes on or before %(previous)s.",
                        date=format_date(self.env, instalment.date), previous=format_date(self.env, previous)))
                previous = instalment.date

    def _check_confirmable(self):
        """What a plan must be to be agreed: its instalments add up to what is due on
        its invoices, which are still in the reminders and in no other plan."""
        for plan in self:
            if plan.state != 'draft':
                raise UserError(_("Only a draft payment plan can be confirmed."))
            if not plan.move_ids:
                raise ValidationError(_("Choose the invoices the payment plan settles."))
            if not plan.instalment_ids:
                raise ValidationError(_("A payment plan needs at least one instalment."))
            for move in plan.move_ids:
                if move.recovery_state not in PLAN_MOVE_STATES:
                    raise ValidationError(_(
                        "%(invoice)s cannot join a payment plan while its recovery status is %(state)s.",
                        invoice=move.display_name,
                        state=dict(move._fields['recovery_state']._description_selection(self.env))[
                            move.recovery_state]))
                other = move.recovery_payment_plan_id
                if other and other != plan and other.state == 'active':
                    raise ValidationError(_("%(invoice)s is already in the active payment plan %(plan)s.",
                                            invoice=move.display_name, plan=other.display_name))
            if plan.currency_id.compare_amounts(plan.amount_instalments, plan.amount_due) != 0:
                raise ValidationError(_(
                    "The instalments add up to %(sum)s but %(due)s is due on the invoices: they must be equal.",
                    sum=formatLang(self.env, plan.amount_instalments, currency_obj=plan.currency_id),
                    due=formatLang(self.env, plan.amount_due, currency_obj=plan.currency_id)))
        self._check_instalment_dates()

    # -------------------------------------------------------------------------
    # The accountant's actions
    # -------------------------------------------------------------------------
    @api.model
    def _action_new(self, moves):
        """The form of a new plan for these invoices (or, with no invoices given, the
        open invoices of the partner in context)."""
        partner = moves.commercial_partner_id
        if len(partner) > 1:
            raise UserError(_("A payment plan gathers the invoices of one debtor: select the invoices of one "
                              "customer."))
        moves = moves.filtered(lambda m: m.move_type == 'out_invoice' and m.state == 'posted'
                               and m.recovery_state in PLAN_MOVE_STATES)
        return {
            'type': 'ir.actions.act_window',
            'res_model': self._name,
            'view_mode': 'form',
            'target': 'current',
            'context': {'default_partner_id': partner.id, 'default_move_ids': [fields.Command.set(moves.ids)]},
        }

    def action_generate_instalments(self):
        """Split what is due into ``generate_count`` monthly instalments from the first
        date, the last one taking the rounding."""
        for plan in self:
            if plan.state != 'draft':
                raise UserError(_("The instalments of an agreed plan are not changed."))
            count = plan.generate_count
            if count < 1:
                raise ValidationError(_("Split into one instalment at least."))
            if not plan.generate_first_date:
                raise ValidationError(_("Give the date of the first instalment."))
            due = plan.amount_due
            share = plan.currency_id.round(due / count)
            vals = []
            for index in range(count):
                amount = share if index < count - 1 else plan.currency_id.round(due - share * (count - 1))
                vals.append({'sequence': index + 1, 'amount': amount,
                             'date': plan.generate_first_date + relativedelta(months=index)})
            plan.write({'instalment_ids': [fields.Command.clear()] + [fields.Command.create(v) for v in vals]})
        return True

    def action_confirm(self):
        """The debtor agreed: the plan becomes active and the invoices' reminders pause
        until its last instalment (plus the grace days) while it is followed."""
        self._check_confirmable()
        today = fields.Date.context_today(self)
        for plan in self:
            last = max(plan.instalment_ids.mapped('date'))
            grace = plan.company_id.recovery_promise_grace_days
            plan.write({'state': 'active', 'date_start': today, 'amount_total': plan.amount_due})
            plan.activity_ids.action_feedback(feedback=_("Payment plan confirmed"))
            moves = plan.move_ids
            moves._recovery_change(
                event_type='payment_plan', chatter=True,
                note=_lt("Payment plan agreed: %(amount)s in %(count)s instalments, the last on %(date)s; "
                         "reminders paused meanwhile.", amount=Amount(plan.amount_total, plan.currency_id),
                         count=len(plan.instalment_ids), date=last),
                vals={'recovery_payment_plan_id': plan.id,
                      'recovery_pause_until': fields.Date.add(last, days=grace),
                      'recovery_pause_reason': _("Payment plan"),
                      # the plan replaces any promise to pay on these invoices
                      'recovery_promise_date': False, 'recovery_promise_amount': 0.0,
                      'recovery_promise_residual': 0.0})
            moves._recovery_apply_stops()
            plan.message_post(body=_("Payment plan agreed: %(amount)s in %(count)s instalments.",
                                     amount=formatLang(self.env, plan.amount_total, currency_obj=plan.currency_id),
                                     count=len(plan.instalment_ids)))
        self.filtered('debtor_request')._recovery_answer_debtor('l10n_fr_debt_recovery.mail_template_payment_plan_accepted')
        return True

    def action_propose(self):
        """Show the draft plan on the debtor's page, where the debtor accepts it by
        signing (the e-mail with the link is the reminders'; the accountant may also
        send the page's link)."""
        for plan in self:
            if plan.state != 'draft':
                raise UserError(_("Only a draft payment plan can be proposed to the debtor."))
            plan._check_confirmable()
        self.write({'proposed': True})
        for plan in self:
            plan.message_post(body=_("Payment plan proposed to the debtor on its page: %s",
                                     plan.partner_id.with_company(plan.company_id).recovery_portal_url))
        return True

    def _recovery_sign(self, name, signature):
        """The debtor accepts the proposed plan on its page by signing: the signature is
        kept and the plan becomes active, as when the accountant confirms it."""
        self.ensure_one()
        if self.state != 'draft' or not self.proposed:
            raise ValidationError(_("This payment plan is not waiting for your signature."))
        if not (name or '').strip() or not signature:
            raise ValidationError(_("Enter your name and sign to accept the payment plan."))
        self.write({'signed_by': name.strip(), 'signed_on': fields.Datetime.now(), 'signature': signature})
        self.action_confirm()
        self.move_ids._recovery_change(
            event_type='payment_plan', chatter=True,
            note=_lt("Payment plan accepted and signed on the debtor's page by %s.", name.strip()),
            event_vals={'origin': 'debtor'})
        return True

    def _recovery_answer_debtor(self, template_xmlid):
        """The debtor who asked for the plan is e-mailed the answer (accepted, with the
        instalments as agreed, or refused)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for plan in self:
            if template and plan.partner_id.email:
                template.send_mail(plan.id, email_layout_xmlid='mail.mail_notification_light')
                plan.message_post(body=_("Answer e-mailed to the debtor: %s", template.name))

    def action_refuse(self):
        """Refuse the debtor's request: the plan is cancelled and the debtor told."""
        for plan in self:
            if plan.state != 'draft' or not plan.debtor_request:
                raise UserError(_("Only a payment plan requested by the debtor and not yet answered can be refused."))
        self.state = 'cancelled'
        self._recovery_answer_debtor('l10n_fr_debt_recovery.mail_template_payment_plan_refused')
        self.activity_ids.action_feedback(feedback=_("Refused"))
        return True

    def action_cancel(self):
        """Withdraw the plan: an agreed plan's invoices resume their reminders where they stood."""
        for plan in self:
            if plan.state not in ('draft', 'active'):
                raise UserError(_("Only a draft or active payment plan can be cancelled."))
            if plan.state == 'active':
                plan._release_moves(
                    _lt("Payment plan cancelled: reminders resume."),
                    {'recovery_resume_mode': 'no_jump', 'recovery_resume_date': fields.Date.context_today(self)})
            plan.state = 'cancelled'
        return True

    def action_draft(self):
        self.filtered(lambda p: p.state == 'cancelled' and not p.date_start).state = 'draft'
        return True

    def _release_moves(self, note, vals):
        """The plan's invoices still held by it leave it (and their pause)."""
        self.ensure_one()
        moves = self.move_ids.filtered(lambda m: m.recovery_payment_plan_id == self)
        moves._recovery_change(
            event_type='payment_plan', chatter=True, note=note,
            vals=dict(vals, recovery_payment_plan_id=False, recovery_pause_until=False, recovery_pause_reason=False))
        moves._recovery_apply_stops()
        return moves

    # -------------------------------------------------------------------------
    # Followed every day
    # -------------------------------------------------------------------------
    @api.model
    def _recovery_follow(self, today=None):
        """The daily follow-up of the active plans (from ``debt.recovery.engine._cron_run``,
        before the reminders): completed plans end, a missed instalment breaks its plan
        (or, without an acceleration clause, is recorded for the recovery user), and the
        instalments coming up are reminded."""
        today = today or fields.Date.context_today(self)
        plans = self.search([('state', '=', 'active')])
        plans._recovery_check_completed()
        for plan in plans.filtered(lambda p: p.state == 'active'):
            missed = plan._missed_instalments(today)
            if missed and plan.acceleration_clause:
                plan._recovery_break(missed[0], today)
            elif missed:
                plan._recovery_record_missed(missed, today)
        plans.filtered(lambda p: p.state == 'active')._recovery_remind_instalments(today)

    def _missed_instalments(self, today):
        """Instalments not paid in full once their date plus the grace days is past."""
        self.ensure_one()
        grace = self.company_id.recovery_promise_grace_days
        return self.instalment_ids.sorted(lambda i: (i.date, i.id)).filtered(
            lambda i: i.state != 'paid' and fields.Date.add(i.date, days=grace) < today)

    def _recovery_check_completed(self):
        """All is paid: the plan is completed (the payments closed the invoices' recovery)."""
        for plan in self.filtered(lambda p: p.state == 'active'):
            if plan.currency_id.is_zero(plan.amount_due):
                plan.write({'state': 'completed', 'completion_date': fields.Date.context_today(plan)})
                plan.message_post(body=_("Payment plan completed: everything was paid."))

    def _recovery_break(self, instalment, today):
        """Déchéance du terme: the instalment was missed, the whole balance is due at
        once and the invoices take their next step at once, as after a broken promise."""
        self.ensure_one()
        self.write({'state': 'broken', 'break_date': today})
        instalment.missed = True
        note = _lt("Payment plan broken: the instalment of %(date)s (%(amount)s) was not paid; %(due)s is due "
                   "at once and the next step runs at once.", date=instalment.date,
                   amount=Amount(instalment.amount, self.currency_id), due=Amount(self.amount_due, self.currency_id))
        self._release_moves(note, {'recovery_resume_mode': 'next_now', 'recovery_resume_date': today})
        self.message_post(body=self.env['debt.recovery.event']._note_text(note))

    def _recovery_record_missed(self, missed, today):
        """Without an acceleration clause only the missed instalments are due: the
        recovery user gets a to-do to decide (call, cancel the plan)."""
        self.ensure_one()
        new = missed.filtered(lambda i: not i.missed)
        if not new:
            return
        new.missed = True
        for instalment in new:
            note = _lt("Instalment of %(date)s (%(amount)s) not paid; the plan has no acceleration clause: it "
                       "goes on.", date=instalment.date, amount=Amount(instalment.amount, self.currency_id))
            self.move_ids.filtered(lambda m: m.recovery_payment_plan_id == self)._recovery_change(
                event_type='payment_plan', note=note)
        user = self.company_id.recovery_call_user_id or self.env.user
        self.activity_schedule('mail.mail_activity_data_todo', user_id=user.id, date_deadline=today,
                               summary=_("Instalment missed: call the debtor or cancel the plan"))

    def _recovery_remind_instalments(self, today):
        """An e-mail a few days before each instalment (once), in the debtor's language."""
        template = self.env.ref('l10n_fr_debt_recovery.mail_template_payment_plan_instalment',
                                raise_if_not_found=False)
        for plan in self:
            days = plan.company_id.recovery_plan_reminder_days
            for instalment in plan.instalment_ids.filtered(
                    lambda i: not i.reminder_date and i.state != 'paid'
                    and fields.Date.subtract(i.date, days=days) <= today <= i.date):
                if template:
                    template.with_context(recovery_instalment_id=instalment.id).send_mail(
                        plan.id, email_layout_xmlid='mail.mail_notification_light')
                    plan.message_post(body=_(
                        "Instalment of %(date)s (%(amount)s) reminded to the debtor by e-mail.",
                        date=format_date(self.env, instalment.date),
                        amount=formatLang(self.env, instalment.amount - instalment.amount_paid,
                                          currency_obj=plan.currency_id)))
                instalment.reminder_date = today


class DebtRecoveryPaymentPlanInstalment(models.Model):
    """One instalment of a payment plan: a date, an amount, what was paid on it."""
    _name = 'debt.recovery.payment.plan.instalment'
    _description = 'Payment Plan Instalment'
    _order = 'plan_id, sequence, date, id'

    plan_id = fields.Many2one('debt.recovery.payment.plan', required=True, index=True, ondelete='cascade')
    sequence = fields.Integer(default=10)
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True, currency_field='currency_id')
    currency_id = fields.Many2one(related='plan_id.currency_id')
    amount_paid = fields.Monetary("Paid", compute='_compute_paid', currency_field='currency_id',
                                  help="The payments on the plan's invoices, applied to its instalments in "
                                       "date order.")
    state = fields.Selection([('pending', "To pay"), ('partial', "Partly paid"), ('paid', "Paid")],
                             compute='_compute_paid')
    reminder_date = fields.Date("Reminded On", readonly=True, copy=False)
    missed = fields.Boolean(readonly=True, copy=False)

    @api.depends('plan_id.amount_paid', 'plan_id.instalment_ids.amount', 'plan_id.instalment_ids.date', 'amount')
    def _compute_paid(self):
        """Payments are applied to the instalments in order: the earliest first."""
        paid_of = {}
        for plan in self.plan_id:
            left = plan.amount_paid
            for instalment in plan.instalment_ids.sorted(lambda i: (i.date or fields.Date.today(), i.id)):
                paid_of[instalment.id] = min(left, instalment.amount)
                left -= paid_of[instalment.id]
        for instalment in self:
            paid = paid_of.get(instalment.id, 0.0)
            currency = instalment.currency_id or self.env.company.currency_id
            instalment.amount_paid = paid
            if instalment.amount and currency.compare_amounts(paid, instalment.amount) >= 0:
                instalment.state = 'paid'
            elif currency.is_zero(paid):
                instalment.state = 'pending'
            else:
                instalment.state = 'partial'

    @api.constrains('date', 'plan_id')
    def _check_plan(self):
        self.plan_id._check_instalment_dates()
        self.plan_id._check_instalment_count()

    @api.constrains('amount')
    def _check_amount(self):
        for instalment in self:
            if instalment.currency_id.compare_amounts(instalment.amount, 0.0) <= 0:
                raise ValidationError(_("An instalment's amount must be more than zero (%s entered).",
                                        formatLang(self.env, instalment.amount,
                                                   currency_obj=instalment.currency_id)))
