"""The one owner of an invoice's recovery status.

Every change of ``recovery_state`` (running, paused, disputed, case, agency,
closed, insolvency, none) goes through ``account.move._recovery_change``: it
writes the status through the invoice's own ``write`` (tracked fields are
tracked), records the events and the chatter notes in bulk, and cancels the
to-dos that no longer apply. Payments, disputes, pauses, promises, cases,
agencies, insolvency and delivery failures all call it.
"""
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date, formatLang
from odoo.tools.translate import _lt

from .account_move import OPEN_RECOVERY_STATES, SETTLED_PAYMENT_STATES
from .debt_recovery_event import Amount, SelectionValue

# A to-do of a step still applies while one of its invoices is in one of these.
TODO_STATES = ('running', 'paused', 'disputed', 'case')
# The to-do of a dispute: done when the dispute ends.
DISPUTE_TODO = 'l10n_fr_debt_recovery.mail_activity_type_recovery_dispute'
# Written by a user, these fields stop or resume the plan (see ``write``).
STOP_FIELDS = {'recovery_dispute_reason', 'recovery_pause_until', 'recovery_promise_date'}


class AccountMove(models.Model):
    _inherit = 'account.move'

    # -------------------------------------------------------------------------
    # The owner
    # -------------------------------------------------------------------------
    def _recovery_change(self, state=None, event_type=None, note=None, vals=None, chatter=False,
                         event_vals=None):
        """Change the recovery status of the invoices, with its evidence.

        :param state: the new ``recovery_state``; None keeps it
        :param event_type: the type of the event recorded on each invoice; None records none
        :param note: the event's note: a string, or a function of the invoice
        :param vals: the recovery fields written with the status: a dict, or a function of the invoice
        :param chatter: True logs the note in each invoice's chatter; a string logs that instead
        :param event_vals: other values of the events (channel, case, call outcome...)
        :return: the events created
        """
        Event = self.env['debt.recovery.event'].sudo()
        if not self:
            return Event
        disputed = self.filtered(lambda m: m.recovery_state == 'disputed' or m.recovery_dispute_reason)
        per_move = defaultdict(list)
        for move in self:
            move_vals = dict(vals(move) if callable(vals) else (vals or {}))
            if state and move.recovery_state != state:
                move_vals['recovery_state'] = state
            per_move[tuple(sorted(move_vals.items()))].append(move.id)
        for key, ids in per_move.items():
            if key:
                self.browse(ids)._recovery_write(dict(key))

        def note_of(move):
            return note(move) if callable(note) else note

        events = Event
        if event_type:
            events = Event.create([move._recovery_event_vals(event_type, note_of(move), **(event_vals or {}))
                                   for move in self])
        if chatter:
            Event = self.env['debt.recovery.event']
            self.sudo()._message_log_batch({
                move.id: chatter if isinstance(chatter, str) else Event._note_text(note_of(move)) for move in self})
        if state and state not in TODO_STATES:
            self._recovery_cancel_open_activities()
        # the dispute is over (resolved, settled, paid...): its to-do is done, with what ended it
        disputed.filtered(lambda m: m.recovery_state != 'disputed' or not m.recovery_dispute_reason) \
            ._recovery_close_dispute_todos(note_of)
        return events

    def _recovery_write(self, vals, track=True):
        """Write recovery fields through the invoice's own ``write``.

        They are not accounting, and say so with Odoo's own context keys: no
        resynchronisation of the invoice's lines (``skip_invoice_sync``), no balance
        check (``check_move_validity``), not flagged as manually modified. The
        integrity checks of ``account.move.write`` (hash, locked fields) and the
        tracking still apply. ``track=False`` is the engine's narrow path for the
        stage fields, which are not tracked (the engine writes its own chatter note
        for each step).
        """
        ctx = {'skip_is_manually_modified': True, 'skip_invoice_sync': True, 'check_move_validity': False,
               'recovery_status_owner': True}
        if not track:
            ctx['mail_notrack'] = True
        return self.with_context(**ctx).write(vals)

    def _recovery_event_vals(self, event_type, note, **extra):
        self.ensure_one()
        return {
            'event_type': event_type,
            'move_id': self.id,
            'partner_id': self.commercial_partner_id.id,
            'company_id': self.company_id.id,
            'channel': 'system',
            'origin': 'cron' if self.env.context.get('recovery_cron') else 'manual',
            'amount_residual': self.amount_residual,
            'currency_id': self.currency_id.id,
            **self.env['debt.recovery.event']._note_vals(note),
            **extra,
        }

    def _recovery_cancel_open_activities(self):
        """Cancel the to-dos of steps whose invoices have all left the plan; their
        events say so (state *cancelled*), the history keeps them. A to-do already
        done (archived) stays done."""
        Event = self.env['debt.recovery.event'].sudo()
        activities = Event.search([('move_id', 'in', self.ids), ('activity_id', '!=', False)]).activity_id
        activities = activities.filtered('active')
        if not activities:
            return
        events = Event.search([('activity_id', 'in', activities.ids)])
        open_by_activity = defaultdict(bool)
        for event in events:
            open_by_activity[event.activity_id] |= event.move_id.recovery_state in TODO_STATES
        done = activities.filtered(lambda activity: not open_by_activity[activity])
        if not done:
            return
        events.filtered(lambda e: e.activity_id in done and e.state == 'done').write({
            'state': 'cancelled', 'failure_reason': _("To-do cancelled: the invoice left the reminders.")})
        # the events keep their history; their link to the to-do is cleared (ondelete)
        done.unlink()

    # -------------------------------------------------------------------------
    # Payments
    # -------------------------------------------------------------------------
    def _recovery_sync_payment_state(self):
        """End the recovery of settled invoices at once, reopen the unsettled ones."""
        settled = self.filtered(
            lambda m: m.recovery_state in OPEN_RECOVERY_STATES and m.payment_state in SETTLED_PAYMENT_STATES)
        reopened = self.filtered(
            lambda m: m.recovery_state == 'closed' and m.state == 'posted'
            and m.payment_state not in SETTLED_PAYMENT_STATES and m._recovery_is_claim())
        if settled:
            settled._recovery_change('closed', 'payment', _("Invoice paid: recovery ended."),
                                     chatter=_("Recovery ended: the invoice is paid."))
            settled.recovery_case_ids._recovery_check_paid()
        kept = (self - settled).filtered(
            lambda m: m.recovery_state == 'paused' and m.recovery_promise_date and m._recovery_promise_kept())
        kept._recovery_end_promises(fields.Date.context_today(self))
        reopened._recovery_change('running', 'reopen', _("Payment undone: recovery resumed."))

    # -------------------------------------------------------------------------
    # Stops: disputes, pauses, promises
    # -------------------------------------------------------------------------
    @api.constrains('recovery_pause_until')
    def _check_recovery_pause_until(self):
        """A pause is set to end today or later (the engine clears it once it is over)."""
        today = fields.Date.context_today(self)
        for move in self:
            if move.recovery_pause_until and move.recovery_pause_until < today:
                raise ValidationError(_(
                    "%(invoice)s: reminders cannot be paused until %(date)s, a date already past.",
                    invoice=move.display_name, date=format_date(self.env, move.recovery_pause_until)))

    @api.constrains('recovery_promise_date')
    def _check_recovery_promise_date(self):
        """A promise to pay is for today or a date to come, when it is recorded."""
        today = fields.Date.context_today(self)
        for move in self:
            if move.recovery_promise_date and move.recovery_promise_date < today:
                raise ValidationError(_(
                    "%(invoice)s: the promised payment date (%(date)s) is already past: a promise to pay is for "
                    "today or a date to come.", invoice=move.display_name,
                    date=format_date(self.env, move.recovery_promise_date)))

    @api.constrains('recovery_promise_date', 'recovery_promise_amount')
    def _check_recovery_promise_amount(self):
        """What is promised is part or all of what is due, never more."""
        for move in self.filtered('recovery_promise_date'):
            currency = move.currency_id
            if currency.compare_amounts(move.recovery_promise_amount, 0.0) <= 0:
                raise ValidationError(_("%s: the promised amount must be more than zero.", move.display_name))
            if currency.compare_amounts(move.recovery_promise_amount, move.amount_residual) > 0:
                raise ValidationError(_(
                    "%(invoice)s: the promised amount (%(amount)s) is more than what is due on the invoice "
                    "(%(due)s).", invoice=move.display_name,
                    amount=formatLang(self.env, move.recovery_promise_amount, currency_obj=currency),
                    due=formatLang(self.env, move.amount_residual, currency_obj=currency)))

    @api.constrains('recovery_dispute_date')
    def _check_recovery_dispute_date(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.recovery_dispute_date and move.recovery_dispute_date > today:
                raise ValidationError(_(
                    "%(invoice)s: the dispute date (%(date)s) cannot be in the future.",
                    invoice=move.display_name, date=format_date(self.env, move.recovery_dispute_date)))

    def write(self, vals):
        if vals and all(fname.startswith('recovery_') for fname in vals):
            # recovery fields are not accounting: the invoice is not manually modified
            self = self.with_context(skip_is_manually_modified=True)  # noqa: PLW0642
        if self.env.context.get('recovery_status_owner') or not STOP_FIELDS & set(vals):
            return super().write(vals)
        # a user (form, import, RPC) set or cleared a stop: the status follows
        if vals.get('recovery_promise_date'):
            return self._recovery_record_promise(vals)
        if all(fname.startswith('recovery_') for fname in vals):
            res = self._recovery_write(vals)
        else:
            res = super().write(vals)
        self._recovery_apply_stops()
        return res

    def _recovery_stop_state(self, today):
        self.ensure_one()
        if self.recovery_dispute_reason:
            return 'disputed'
        if self.recovery_pause_until and self.recovery_pause_until > today:
            return 'paused'
        return 'running'

    def _recovery_apply_stops(self):
        """A dispute or a pause stops the machine at once; clearing it resumes the plan."""
        today = fields.Date.context_today(self)
        by_state = defaultdict(lambda: self.browse())
        for move in self.filtered(lambda m: m.recovery_state in ('running', 'paused', 'disputed')):
            state = move._recovery_stop_state(today)
            if state != move.recovery_state:
                by_state[state] |= move
        for state, moves in by_state.items():
            moves._recovery_change(
                state, 'state', _lt("Recovery status: %s.", SelectionValue('account.move', 'recovery_state', state)),
                vals=lambda m: {'recovery_dispute_date': today}
                if state == 'disputed' and not m.recovery_dispute_date else {})

    def _recovery_dispute(self, reason, date, note):
        """Contest: the invoices leave the reminders and their salesperson gets a to-do,
        done when the dispute ends (``_recovery_change``)."""
        labels = dict(self._fields['recovery_dispute_reason']._description_selection(self.env))
        self._recovery_change(
            event_type='dispute', note=_lt("Dispute recorded (%(reason)s): %(note)s", note=note or '',
                                           reason=SelectionValue('account.move', 'recovery_dispute_reason', reason)),
            vals={'recovery_dispute_reason': reason, 'recovery_dispute_date': date, 'recovery_dispute_note': note})
        self._recovery_apply_stops()
        for move in self:
            user = move.invoice_user_id or move.company_id.recovery_call_user_id or self.env.user
            move.activity_schedule(
                DISPUTE_TODO, user_id=user.id, date_deadline=fields.Date.context_today(self),
                summary=_("Dispute to resolve: %s", labels[reason]), note=note or '')

    def _recovery_close_dispute_todos(self, note_of=None):
        """Mark done the dispute to-dos of invoices no longer disputed, each with the
        note of what ended the dispute."""
        if not self:
            return
        todos = self.env['mail.activity'].sudo().search([
            ('res_model', '=', self._name), ('res_id', 'in', self.ids),
            ('activity_type_id', '=', self.env.ref(DISPUTE_TODO).id)])
        for todo in todos:
            move = self.browse(todo.res_id)
            note = note_of and self.env['debt.recovery.event']._note_text(note_of(move))
            todo.action_feedback(feedback=note or _("The dispute is over."))

    def _recovery_end_dispute(self, note, resume=False):
        """The dispute is over: the plan resumes where it stood (no step is sent again or
        skipped), or the invoice was settled by a credit note or a write-off."""
        vals = {'recovery_dispute_reason': False}
        if resume:
            vals.update(recovery_resume_mode='no_jump', recovery_resume_date=fields.Date.context_today(self))
        self._recovery_change(event_type='dispute', note=note, vals=vals)
        self._recovery_apply_stops()

    def _recovery_pause(self, date_until, reason):
        note = _("Reminders paused until %(date)s: %(reason)s", date=date_until, reason=reason)
        self._recovery_change(event_type='state', note=note,
                              vals={'recovery_pause_until': date_until, 'recovery_pause_reason': reason})
        self._recovery_apply_stops()

    def _recovery_record_promise(self, vals):
        """A promise to pay pauses the invoice until its date plus the grace period."""
        promise_date = fields.Date.to_date(vals['recovery_promise_date'])

        def promise_vals(move):
            move_vals = dict(vals, recovery_pause_until=fields.Date.add(
                promise_date, days=move.company_id.recovery_promise_grace_days),
                recovery_promise_residual=move.amount_residual)
            move_vals.setdefault('recovery_pause_reason', _("Promise to pay"))
            # no amount (or the form's empty 0): all that is due
            move_vals['recovery_promise_amount'] = vals.get('recovery_promise_amount') or move.amount_residual
            return move_vals

        self._recovery_change(vals=promise_vals)
        self._recovery_apply_stops()
        self._recovery_change(event_type='promise', note=lambda move: _lt(
            "Promise to pay %(amount)s by %(date)s.",
            amount=Amount(move.recovery_promise_amount, move.currency_id), date=promise_date))
        return True

    def _recovery_promise_kept(self):
        self.ensure_one()
        if not self.recovery_promise_date:
            return False
        expected = self.recovery_promise_residual - self.recovery_promise_amount
        return self.currency_id.compare_amounts(self.amount_residual, expected) <= 0

    def _recovery_end_promises(self, today):
        """Close the promises whose date (plus grace) has come, or that were kept early.

        A kept promise resumes the plan; a broken one is written in the history (it
        is evidence) and the next step runs at once."""
        moves = self.filtered('recovery_promise_date')
        kept = moves.filtered(lambda m: m._recovery_promise_kept())
        broken = moves - kept
        cleared = {'recovery_promise_date': False, 'recovery_promise_amount': 0.0,
                   'recovery_promise_residual': 0.0, 'recovery_pause_until': False,
                   'recovery_pause_reason': False}
        kept._recovery_change(event_type='promise', note=_lt("Promise to pay kept: the plan resumes."),
                              vals=cleared, chatter=True)
        broken._recovery_change(
            event_type='promise', chatter=True,
            note=lambda move: _lt("Promise to pay broken: %s still due; the next step runs at once.",
                                  Amount(move.amount_residual, move.currency_id)),
            vals=dict(cleared, recovery_resume_mode='next_now', recovery_resume_date=today))
        moves._recovery_apply_stops()

    # -------------------------------------------------------------------------
    # Cases, agencies, insolvency, delivery failures
    # -------------------------------------------------------------------------
    def _recovery_enter_case(self):
        """Invoices gathered in a case leave the automatic reminders."""
        self.filtered(lambda m: m.recovery_state in ('running', 'paused')).sudo()._recovery_change('case')

    def _recovery_leave_case(self, state='running'):
        self.filtered(lambda m: m.recovery_state == 'case').sudo()._recovery_change(state)

    def _recovery_hand_to_agency(self, agency, case=None):
        self._recovery_change('agency', 'agency', _("Handed to the collection agency %s.", agency.display_name),
                              event_vals={'case_id': case.id if case else False})

    def _recovery_back_from_agency(self, agency):
        """The agency returned the claims it did not recover: our reminders resume."""
        self.filtered(lambda m: m.recovery_state == 'agency')._recovery_change(
            'running', 'agency', _("Returned by the collection agency %s: reminders resume.", agency.display_name),
            chatter=True)

    def _recovery_sync_insolvency(self, partners, company):
        """Insolvency proceedings opened (C. com. L622-7, L622-21): the claims born before
        the opening judgment may no longer be claimed, only declared; the reminders and
        the cases stop. Lifted (date cleared): they resume."""
        Move = self.sudo()
        for partner in partners.with_company(company):
            opening = partner.recovery_insolvency_date
            moves = Move.search([('commercial_partner_id', '=', partner.id), ('company_id', '=', company.id),
                                 ('move_type', '=', 'out_invoice'), ('state', '=', 'posted')])
            if opening:
                frozen = moves.filtered(lambda m: m.recovery_state in ('running', 'paused', 'disputed', 'case')
                                        and m.invoice_date and m.invoice_date <= opening)
                frozen.recovery_case_ids.filtered(lambda c: c.state != 'closed').with_context(
                    close_reason='insolvency').action_close()
                frozen._recovery_change('insolvency', 'state', _(
                    "Insolvency proceedings opened on %s: the claim is to be declared, reminders stop.",
                    format_date(self.env, opening)), chatter=True)
            else:
                moves.filtered(lambda m: m.recovery_state == 'insolvency')._recovery_change(
                    'running', 'state', _("Insolvency proceedings cleared: reminders resume."), chatter=True)

    @api.model
    def _recovery_step_back(self, moves, body):
        """A reminder was not delivered: each invoice goes back to its last step done
        (one query), so that the next run sends the failed step again."""
        self.env['debt.recovery.event'].flush_model(['move_id', 'state', 'event_type', 'step_id', 'date'])
        rows = dict(self.env.execute_query(SQL("""
            SELECT DISTINCT ON (move_id) move_id, step_id FROM debt_recovery_event
             WHERE move_id = ANY(%s) AND state = 'done' AND event_type = 'step' AND step_id IS NOT NULL
          ORDER BY move_id, date DESC, id DESC
        """, moves.ids)))
        moves.sudo()._recovery_change(
            vals=lambda move: {'recovery_step_id': rows.get(move.id, False)}
            if move.recovery_step_id.id != rows.get(move.id) else {},
            chatter=body)
