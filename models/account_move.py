from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang

from ..tools import penalty
from ..tools.fr_format import format_fr_date

RECOVERY_STATES = [
    ('none', "Not in recovery"),
    ('running', "Running"),
    ('paused', "Paused"),
    ('disputed', "Disputed"),
    ('case', "In a case"),
    ('agency', "With a collection agency"),
    ('insolvency', "Insolvency proceedings"),
    ('closed', "Closed"),
]
DISPUTE_REASONS = [
    ('quality', "Quality of the goods or services"),
    ('amount', "Amount"),
    ('not_received', "Invoice or goods not received"),
    ('other', "Other"),
]
# What the screens show as an invoice's recovery status: its own status, or why its
# customer is not reminded as the status alone would suggest (never remind; work
# suspended while the reminders go on). Display only: ``recovery_state`` keeps the truth.
RECOVERY_DISPLAY_STATES = RECOVERY_STATES + [
    ('blocked', "Never remind"),
    ('suspended', "Running, work suspended"),
]
# States in which an invoice still belongs to the recovery machine.
OPEN_RECOVERY_STATES = ('running', 'paused', 'disputed', 'case', 'agency', 'insolvency')
SETTLED_PAYMENT_STATES = ('paid', 'in_payment', 'reversed')


def recovery_display_state(state, blocked, suspended):
    """The status a screen shows (see ``RECOVERY_DISPLAY_STATES``); the SQL analyses
    say the same in ``debt_recovery_report.overdue_invoices_query``."""
    if blocked and state in ('running', 'paused'):
        return 'blocked'
    if suspended and state == 'running':
        return 'suspended'
    return state


def recovery_next_action(env, next_date, today):
    """The next action as a screen shows it: never a date in the past. A step whose
    date has come is "Due now" (the daily run or Relancer does it), a later one its
    date, nothing planned nothing."""
    if not next_date:
        return False
    if next_date <= today:
        return env._("Due now")
    return format_date(env, next_date)


class AccountMove(models.Model):
    _inherit = 'account.move'

    # --- stage --------------------------------------------------------------
    recovery_state = fields.Selection(
        RECOVERY_STATES, string="Recovery Status", default='none', required=True,
        copy=False, index=True, readonly=True)
    recovery_plan_id = fields.Many2one(
        'debt.recovery.plan', string="Reminder Plan", compute='_compute_recovery_plan_id',
        store=True, readonly=True, index='btree_not_null')
    recovery_step_id = fields.Many2one(
        'debt.recovery.step', string="Last Reminder Step", copy=False, readonly=True,
        index='btree_not_null')
    recovery_due_date = fields.Date(
        "Recovery Due Date", compute='_compute_recovery_due_date', store=True,
        help="Due date of the oldest instalment still unpaid: the reminder delays count from it.")
    recovery_next_step_id = fields.Many2one(
        'debt.recovery.step', string="Next Reminder Step", compute='_compute_recovery_schedule',
        store=True, readonly=True)
    recovery_next_date = fields.Date(
        "Next Reminder", compute='_compute_recovery_schedule', store=True, readonly=True,
        help="When the next reminder step is due; empty when nothing is planned.")
    recovery_days_late = fields.Integer("Days Late", compute='_compute_recovery_days_late')
    recovery_display_state = fields.Selection(
        RECOVERY_DISPLAY_STATES, string="Reminders", compute='_compute_recovery_display',
        help="The recovery status, or why the customer is not reminded: marked Never remind (no reminder of any "
             "kind), or work suspended (the reminders go on).")
    recovery_next_action = fields.Char(
        "Next Action", compute='_compute_recovery_display',
        help="When the next reminder step is due: \"Due now\" once its date has come (it runs at the next daily "
             "run or with Relancer); empty when nothing is planned or the customer is never reminded.")
    recovery_partner_blocked = fields.Boolean("Customer Never Reminded", compute='_compute_recovery_display')

    # --- stops ----------------------------------------------------------------
    recovery_pause_until = fields.Date(
        "Paused Until", copy=False, tracking=True,
        help="Reminders resume by themselves on this date.")
    recovery_pause_reason = fields.Char("Pause Reason", copy=False)
    recovery_dispute_reason = fields.Selection(
        DISPUTE_REASONS, string="Dispute", copy=False, tracking=True,
        help="Setting a dispute stops the reminders; clearing it resumes the plan.")
    recovery_dispute_date = fields.Date("Disputed On", copy=False)
    recovery_dispute_note = fields.Text("Dispute Note", copy=False)
    recovery_promise_date = fields.Date("Promised Payment Date", copy=False, tracking=True)
    recovery_promise_amount = fields.Monetary("Promised Amount", copy=False, currency_field='currency_id')
    recovery_promise_residual = fields.Monetary(
        "Amount Due When Promised", copy=False, readonly=True, currency_field='currency_id')
    recovery_resume_mode = fields.Selection(
        [('no_jump', "Next step at its date"), ('next_now', "Next step at once")], copy=False, readonly=True,
        help="How the plan resumed after a dispute (where it stood, without jumping steps) or a broken "
             "promise (the next step at once).")
    recovery_resume_date = fields.Date(copy=False, readonly=True)
    recovery_mediation_date = fields.Date(
        "Amicable Attempt On", copy=False, tracking=True,
        help="Date of the mediation or conciliation attempt (CPC 750-1), kept as evidence.")
    recovery_service_date = fields.Date(
        "Work or Service Completed On", compute='_compute_recovery_service_date', store=True, readonly=False,
        precompute=True, copy=False, tracking=True,
        help="When the work was completed or the service performed: the 2-year limit against a consumer "
             "runs from it (C. conso L218-2). By default the invoice date; it can be corrected on a posted "
             "invoice.")

    # --- amounts claimed (filled by the law engine) ---------------------------
    recovery_penalty_amount = fields.Monetary(
        "Late-Payment Penalties", compute='_compute_recovery_amounts', currency_field='currency_id')
    recovery_indemnity_amount = fields.Monetary(
        "Recovery Indemnity", compute='_compute_recovery_amounts', currency_field='currency_id')

    recovery_case_ids = fields.Many2many(
        'debt.recovery.case', 'debt_recovery_case_move_rel', 'move_id', 'case_id', string="Recovery Cases",
        readonly=True, copy=False)
    recovery_case_id = fields.Many2one('debt.recovery.case', string="Recovery Case",
                                       compute='_compute_recovery_case_id')
    recovery_event_ids = fields.One2many('debt.recovery.event', 'move_id', string="Recovery Events")
    recovery_partner_suspended = fields.Boolean(compute='_compute_recovery_partner_suspended')
    recovery_event_count = fields.Integer(compute='_compute_recovery_event_count')

    _recovery_due_idx = models.Index(
        "(recovery_next_date, commercial_partner_id) WHERE recovery_state = 'running'")
    _recovery_debtor_idx = models.Index(
        "(commercial_partner_id, company_id) WHERE move_type = 'out_invoice' AND state = 'posted'")

    # -------------------------------------------------------------------------
    # Computes
    # -------------------------------------------------------------------------
    @api.depends('invoice_date')
    def _compute_recovery_service_date(self):
        for move in self:
            move.recovery_service_date = move.invoice_date

    @api.depends('commercial_partner_id', 'company_id', 'company_id.recovery_plan_id',
                 'commercial_partner_id.recovery_plan_id')
    def _compute_recovery_plan_id(self):
        for move in self:
            if move.commercial_partner_id and move.company_id:
                move.recovery_plan_id = move.commercial_partner_id._recovery_get_plan(move.company_id)
            else:
                move.recovery_plan_id = False

    @api.depends('invoice_date_due', 'line_ids.date_maturity', 'line_ids.reconciled')
    def _compute_recovery_due_date(self):
        for move in self:
            open_dates = [
                line.date_maturity for line in move.line_ids
                if line.account_type == 'asset_receivable' and line.date_maturity and not line.reconciled
            ]
            move.recovery_due_date = min(open_dates) if open_dates else move.invoice_date_due

    @api.depends('recovery_state', 'recovery_step_id', 'recovery_plan_id', 'recovery_due_date',
                 'recovery_pause_until', 'recovery_resume_mode', 'recovery_resume_date')
    def _compute_recovery_schedule(self):
        for move in self:
            step = move._recovery_following_step()
            move.recovery_next_step_id = step
            if move.recovery_state not in ('running', 'paused') or not step or not move.recovery_due_date:
                move.recovery_next_date = False
                continue
            next_date = fields.Date.add(move.recovery_due_date, days=step.delay)
            if move.recovery_resume_mode == 'next_now' and move.recovery_resume_date:
                next_date = move.recovery_resume_date
            elif move.recovery_resume_mode == 'no_jump' and move.recovery_resume_date:
                next_date = max(next_date, move.recovery_resume_date)
            if move.recovery_state == 'paused' and move.recovery_pause_until:
                next_date = max(next_date, move.recovery_pause_until)
            move.recovery_next_date = next_date

    @api.depends('recovery_due_date', 'payment_state')
    def _compute_recovery_days_late(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.recovery_due_date and move.is_invoice(include_receipts=True) \
                    and move.payment_state not in SETTLED_PAYMENT_STATES:
                move.recovery_days_late = max((today - move.recovery_due_date).days, 0)
            else:
                move.recovery_days_late = 0

    @api.depends('recovery_state', 'recovery_next_date', 'commercial_partner_id', 'company_id',
                 'commercial_partner_id.recovery_blocked', 'commercial_partner_id.recovery_suspended')
    @api.depends_context('lang')
    def _compute_recovery_display(self):
        today = fields.Date.context_today(self)
        for move in self:
            partner = move.commercial_partner_id.with_company(move.company_id)
            blocked = bool(partner) and partner.recovery_blocked
            move.recovery_partner_blocked = blocked
            move.recovery_display_state = recovery_display_state(
                move.recovery_state, blocked, bool(partner) and partner.recovery_suspended)
            move.recovery_next_action = False if blocked else recovery_next_action(
                self.env, move.recovery_next_date, today)

    @api.depends('commercial_partner_id', 'company_id')
    def _compute_recovery_partner_suspended(self):
        for move in self:
            move.recovery_partner_suspended = bool(move.commercial_partner_id) and \
                move.commercial_partner_id.with_company(move.company_id).recovery_suspended

    @api.depends('recovery_case_ids.state')
    def _compute_recovery_case_id(self):
        for move in self:
            cases = move.recovery_case_ids.sorted('id', reverse=True)
            move.recovery_case_id = cases.filtered(lambda c: c.state != 'closed')[:1] or cases[:1]

    def _compute_recovery_event_count(self):
        counts = dict(self.env['debt.recovery.event']._read_group(
            [('move_id', 'in', self.ids)], ['move_id'], ['__count']))
        for move in self:
            move.recovery_event_count = counts.get(move, 0)

    # -------------------------------------------------------------------------
    # Constraints (the invoice's own recovery fields only: they run on every
    # write of these fields, so no query here)
    # -------------------------------------------------------------------------
    @api.constrains('recovery_service_date')
    def _check_recovery_service_date(self):
        """The completion of the work starts the consumer's 2-year limit (C. conso
        L218-2): a date to come would push it back. The default, the invoice date,
        is Odoo's to check."""
        today = fields.Date.context_today(self)
        for move in self:
            date = move.recovery_service_date
            if date and date > today and date != move.invoice_date:
                raise ValidationError(_(
                    "%(invoice)s: the work or service cannot be completed on %(date)s, a date to come: enter the "
                    "date it was completed.", invoice=move.display_name, date=format_date(self.env, date)))

    @api.constrains('recovery_mediation_date')
    def _check_recovery_mediation_date(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.recovery_mediation_date and move.recovery_mediation_date > today:
                raise ValidationError(_(
                    "%(invoice)s: the amicable attempt (%(date)s) cannot be dated in the future.",
                    invoice=move.display_name, date=format_date(self.env, move.recovery_mediation_date)))

    # -------------------------------------------------------------------------
    # Ladder helpers
    # -------------------------------------------------------------------------
    def _recovery_following_step(self):
        """The step that comes after the last one done, in the invoice's plan."""
        self.ensure_one()
        if not self.recovery_plan_id:
            return self.env['debt.recovery.step']
        steps = self.recovery_plan_id._get_active_steps()
        current = self.recovery_step_id
        if not current:
            return steps[:1]
        if current in steps:
            return steps[list(steps).index(current) + 1:][:1]
        # the last step done left the plan: continue with the first later one
        return steps.filtered(lambda s: s.delay > current.delay)[:1]

    def _recovery_due_step(self, today):
        """The step to run now (catch-up rule).

        An invoice found 40 days late gets the latest step already due, not every
        step it missed: the debtor receives one message, the right one. A step
        that waits for validation stops the climb.
        """
        self.ensure_one()
        step = self._recovery_following_step()
        chosen = self.env['debt.recovery.step']
        if not step or not self.recovery_due_date:
            return chosen
        if self.recovery_resume_mode:
            # after a dispute or a broken promise: the next step only, never a jump
            return step if step.automatic and self.recovery_next_date and self.recovery_next_date <= today else chosen
        steps = self.recovery_plan_id._get_active_steps()
        for candidate in steps[list(steps).index(step):]:
            if fields.Date.add(self.recovery_due_date, days=candidate.delay) > today:
                break
            if not candidate.automatic:
                break
            chosen = candidate
        return chosen

    def _recovery_recompute_schedule(self):
        for fname in ('recovery_next_step_id', 'recovery_next_date'):
            self.env.add_to_compute(self._fields[fname], self)

    @api.model
    def _recovery_reschedule_plans(self, plans):
        if not plans:
            return
        moves = self.sudo().search([
            ('recovery_plan_id', 'in', plans.ids),
            ('recovery_state', 'in', ('running', 'paused')),
        ])
        moves._recovery_recompute_schedule()

    # -------------------------------------------------------------------------
    # Life of the invoice
    # -------------------------------------------------------------------------
    def _recovery_limitation_start(self):
        """When the consumer's 2-year limit starts (C. conso L218-2): the completion of
        the work or service (Cass. 1re civ., 19 May 2021, n° 20-12.520), else the
        invoice date."""
        self.ensure_one()
        return self.recovery_service_date or self.invoice_date

    def _recovery_format_due_date(self):
        """The due date in the environment's language, the French way in French."""
        self.ensure_one()
        if (self.env.lang or '').startswith('fr'):
            return format_fr_date(self.invoice_date_due)
        return format_date(self.env, self.invoice_date_due)

    def _recovery_invoice_rate_sentence(self):
        """The one penalty-rate sentence of a business invoice (C. com. L441-9): the
        contractual rate when there is one, as applied (never below the floor of 3 x
        the legal interest rate of the invoice's half-year, L441-10 II), otherwise the
        legal default rate. In the environment's language (the invoice's)."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        contractual = partner.recovery_penalty_rate or self.company_id.recovery_penalty_rate
        if not contractual:
            return _("Late-payment penalty rate: the rate applied by the European Central Bank to its most recent "
                     "refinancing operation, plus 10 points.")
        on = self.invoice_date or fields.Date.context_today(self)
        try:
            rate, reason = penalty.applicable_rate(*penalty.half_year(on), self.env['debt.recovery.rate']._get_table(),
                                                   contractual)
        except penalty.MissingRateError:
            rate, reason = contractual, 'contractual'  # the floor of that half-year is not known yet
        rate = formatLang(self.env, rate, digits=2)
        if reason == 'floor':
            return _("Late-payment penalty rate: %s %% a year (three times the legal interest rate, the minimum "
                     "for a contractual rate).", rate)
        return _("Late-payment penalty rate: %s %% a year (contractual rate).", rate)

    def _recovery_is_claim(self):
        """Customer invoices are the receivables this module recovers."""
        return self.move_type == 'out_invoice'

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        to_start = posted.filtered(lambda m: m._recovery_is_claim() and m.recovery_state == 'none')
        if to_start:
            to_start._recovery_change('running')
            to_start._recovery_sync_payment_state()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._recovery_change('none')
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._recovery_change('none')
        return res

    def action_recovery_propose_mediation(self):
        """When dialogue fails on a dispute: a letter proposing mediation or conciliation,
        kept on the invoice as evidence of the amicable attempt (CPC 750-1), whose date
        is recorded on the invoice."""
        self.ensure_one()
        if not self.recovery_dispute_reason:
            raise UserError(_("%s is not disputed: mediation is for disputes.", self.name))
        if self.commercial_partner_id.recovery_debtor_type == 'consumer':
            self.company_id._recovery_check_mediator(_("a mediation proposal"))
        report = self.env.ref('l10n_fr_debt_recovery.action_report_mediation_proposal')
        attachment = self.env['ir.actions.report']._recovery_attachment(
            report, self, "Proposition de médiation %s" % self.name, recovery_evidence='correspondence')
        note = _("Mediation or conciliation proposed to the customer.")
        self._recovery_change(event_type='dispute', note=note,
                              vals={'recovery_mediation_date': fields.Date.context_today(self)})
        self.message_post(body=note, attachment_ids=attachment.ids)
        return report.report_action(self)

    def action_open_recovery_case(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _("Recovery Case"),
            'res_model': 'debt.recovery.case',
            'res_id': self.recovery_case_id.id,
            'view_mode': 'form',
        }

    def _recovery_ensure_tokens(self):
        """Portal access tokens for the pay-online links, in one query for the batch
        (``_portal_ensure_token`` writes them one invoice at a time)."""
        missing = self.filtered(lambda m: not m.access_token)
        if missing:
            self.env.cr.execute(SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text "
                "WHERE id = ANY(%s) AND access_token IS NULL", missing.ids))
            missing.invalidate_recordset(['access_token'])

    def _recovery_format_total(self, fname):
        """Sum of a monetary field per currency, formatted: '1 200,00 € + 300,00 $'."""
        totals = []
        for currency in self.currency_id:
            amount = sum(self.filtered(lambda m: m.currency_id == currency).mapped(fname))
            totals.append(formatLang(self.env, amount, currency_obj=currency))
        return " + ".join(totals)

    # -------------------------------------------------------------------------
    # Actions
    # -------------------------------------------------------------------------
    def _recovery_check_remindable(self):
        """Refuse, in the accountant's words, what cannot be reminded."""
        if not self:
            raise UserError(_("Select at least one customer invoice to remind."))
        for move in self:
            if move.move_type != 'out_invoice':
                raise UserError(_("%s is not a customer invoice: only customer invoices can be reminded.",
                                  move.display_name))
            if move.state != 'posted':
                raise UserError(_("%s is not posted: post the invoice before reminding the customer.",
                                  move.display_name))
            if move.payment_state in SETTLED_PAYMENT_STATES or move.currency_id.is_zero(move.amount_residual):
                raise UserError(_("%s is already paid: there is nothing to remind.", move.display_name))
            if move.recovery_state == 'disputed':
                raise UserError(_("%s is disputed: resolve the dispute before reminding the customer.",
                                  move.display_name))
            if move.recovery_state == 'insolvency':
                opening = move.commercial_partner_id.with_company(move.company_id).recovery_insolvency_date
                raise UserError(_(
                    "%(invoice)s cannot be reminded: insolvency proceedings were opened against %(customer)s "
                    "on %(date)s. A claim born before the opening judgment may no longer be claimed from the "
                    "customer (C. com. L622-7, L622-21): it must be declared to the mandataire judiciaire "
                    "(L622-24) from the customer's form.",
                    invoice=move.display_name, customer=move.commercial_partner_id.display_name,
                    date=format_date(self.env, opening) if opening else "?"))

    def action_recovery_remind(self):
        """The Relancer button: open the wizard on the selected invoices."""
        self.check_access('write')
        self._recovery_check_remindable()
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_user'):
            raise AccessError(_("Only debt recovery users can remind customers."))
        if self.company_id - self.env.companies:
            raise AccessError(_("You cannot remind the invoices of a company you do not work for."))
        wizard = self.env['debt.recovery.remind'].create({'move_ids': [fields.Command.set(self.ids)]})
        return wizard._action_open()

    def action_open_recovery_events(self):
        return {
            'type': 'ir.actions.act_window',
            'name': _("Recovery History"),
            'res_model': 'debt.recovery.event',
            'view_mode': 'list,form',
            'domain': [('move_id', 'in', self.ids)],
            'context': {'create': False},
        }

    # -------------------------------------------------------------------------
    # Scheduled action
    # -------------------------------------------------------------------------
    @api.model
    def _cron_debt_recovery(self):
        """Alias of the daily scheduled action (``debt.recovery.engine._cron_run``)."""
        return self.env['debt.recovery.engine']._cron_run()
