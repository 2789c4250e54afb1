"""The recovery engine: one code path for the daily run and the Relancer wizard.

list the debtors with a step due (one SQL query per run)
  -> per batch of debtors, their invoices still due (one SQL query, rows locked)
  -> the step due now for each invoice (catch-up rule)
  -> groups of (company, debtor, step): one message per group
  -> mails / SMS / to-dos created in bulk, one event per invoice, stages moved,
     one chatter note per invoice.
A batch runs in a savepoint: it completes or leaves nothing behind.
"""
import logging
from dataclasses import dataclass, field

import psycopg2.errors
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.tools import SQL

from .account_move import OPEN_RECOVERY_STATES
from .debt_recovery_channel import ChannelResult
from .debt_recovery_step import LEGAL_CHANNELS, step_rank

_logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200     # debtors per batch
MAX_SEND_ATTEMPTS = 3        # failed deliveries of one step before a human takes over


@dataclass
class RecoveryGroup:
    """One message: a debtor, a step, the invoices it lists."""
    company: models.BaseModel
    partner: models.BaseModel
    step: models.BaseModel
    moves: models.BaseModel
    channel: str = ''
    origin: str = 'cron'
    resend: bool = False
    forced_ids: set = field(default_factory=set)
    invoice_names: list = field(default_factory=list)
    rendered: dict = None
    case: models.BaseModel = None
    note: str = ''

    @property
    def key(self):
        return (self.company.id, self.partner.id, self.step.id, self.channel)


class DebtRecoveryEngine(models.AbstractModel):
    _name = 'debt.recovery.engine'
    _description = 'Debt Recovery Engine'

    # -------------------------------------------------------------------------
    # Scheduled run
    # -------------------------------------------------------------------------
    @api.model
    def _cron_run(self):
        """The daily scheduled action ``ir_cron_debt_recovery``: every due step of every
        company (after following the payment plans), then the deadlines of the cases."""
        today = fields.Date.context_today(self)
        # payment plans first: a plan broken today sends its invoices to their next step in this run
        self.env['debt.recovery.payment.plan'].sudo().with_context(recovery_cron=True)._recovery_follow(today)
        processed = self._run(today)
        self.env['debt.recovery.case'].sudo().with_context(recovery_cron=True)._recovery_update_deadlines(today)
        self.env['res.partner'].sudo().with_context(recovery_cron=True)._recovery_apply_due_suspensions(today)
        return processed

    @api.model
    def _batch_size(self):
        """Debtors per batch (system parameter ``l10n_fr_debt_recovery.batch_size``)."""
        return int(self.env['ir.config_parameter'].sudo().get_param(
            'l10n_fr_debt_recovery.batch_size', DEFAULT_BATCH_SIZE))

    @api.model
    def _run(self, today=None):
        """Run every due step of every company, in batches of debtors.

        In a cron job each batch is committed with ``ir.cron._commit_progress``;
        elsewhere (tests, shell) the caller owns the transaction.
        """
        today = today or fields.Date.context_today(self)
        env = self.sudo().with_context(recovery_cron=True).env
        engine = env['debt.recovery.engine']
        in_cron = bool(self.env.context.get('ir_cron_progress_id'))
        engine._resume_pauses(today)
        engine._close_settled()
        batch_size = engine._batch_size()
        # the debtors to remind are listed once; each batch then reads (and locks)
        # the invoices of its debtors that are still due
        debtors = engine._due_debtors(today)
        if in_cron:
            env['ir.cron']._commit_progress(remaining=len(debtors))
        processed = 0
        for start in range(0, len(debtors), batch_size):
            chunk = debtors[start:start + batch_size]
            moves = engine._select_batch(today, chunk)
            try:
                with env.cr.savepoint():
                    locked = moves.try_lock_for_update()
            except psycopg2.errors.SerializationFailure:
                # another worker reminded them and committed after this batch was selected
                locked = moves.browse()
            busy = (moves - locked).commercial_partner_id
            # A debtor is processed whole or not at all: one message per debtor and step;
            # a debtor whose invoices another worker holds is left to that worker.
            locked = locked.filtered(lambda m: m.commercial_partner_id not in busy)
            with env.cr.savepoint():
                engine._execute(engine._build_groups(locked, today))
                env.flush_all()
            processed += len(locked.commercial_partner_id)
            if in_cron and env['ir.cron']._commit_progress(len(chunk)) <= 0:
                break
            # written (and committed in a cron): the batch's records need not stay in memory
            env.flush_all()
            env.invalidate_all()
        return processed

    @api.model
    def _resume_pauses(self, today):
        """Pauses and promises end by themselves on their date."""
        moves = self.env['account.move'].search([
            ('recovery_state', '=', 'paused'), ('recovery_pause_until', '<=', today)])
        promised = moves.filtered('recovery_promise_date')
        promised._recovery_end_promises(today)
        ended = moves - promised
        ended._recovery_change(vals={'recovery_pause_until': False, 'recovery_pause_reason': False})
        ended._recovery_apply_stops()

    @api.model
    def _close_settled(self):
        """Safety net for payments recorded without reconciliation hooks (imports, SQL)."""
        moves = self.env['account.move'].search([
            ('recovery_state', 'in', OPEN_RECOVERY_STATES),
            ('payment_state', 'in', ('paid', 'in_payment', 'reversed')),
        ])
        moves._recovery_sync_payment_state()

    def _due_query(self, today, partner_ids=None):
        return SQL("""
            SELECT m.id, m.company_id, m.commercial_partner_id
              FROM account_move m
              JOIN debt_recovery_step s ON s.id = m.recovery_next_step_id
              JOIN res_partner p ON p.id = m.commercial_partner_id
             WHERE m.recovery_state = 'running'
               AND m.recovery_next_date <= %(today)s
               AND s.automatic
               AND m.move_type = 'out_invoice'
               AND m.state = 'posted'
               AND m.payment_state IN ('not_paid', 'partial')
               AND NOT COALESCE((p.recovery_blocked ->> m.company_id::text)::boolean, FALSE)
               AND COALESCE((p.recovery_pause_until ->> m.company_id::text)::date, %(today)s) <= %(today)s
               %(partners)s
        """, today=today, partners=SQL("AND m.commercial_partner_id = ANY(%s)", list(partner_ids))
            if partner_ids is not None else SQL())

    def _debtors_query(self, today):
        # The minimum amount applies to all the debtor owes on overdue invoices.
        return SQL("""
            WITH due AS (%(due)s)
            SELECT due.company_id, due.commercial_partner_id
              FROM due
              JOIN res_company c ON c.id = due.company_id
          GROUP BY due.company_id, due.commercial_partner_id, c.recovery_min_amount
            HAVING COALESCE(c.recovery_min_amount, 0) <= 0
                OR (SELECT COALESCE(SUM(o.amount_residual_signed), 0)
                      FROM account_move o
                     WHERE o.commercial_partner_id = due.commercial_partner_id
                       AND o.company_id = due.company_id
                       AND o.move_type = 'out_invoice'
                       AND o.state = 'posted'
                       AND o.payment_state IN ('not_paid', 'partial')
                       AND o.recovery_due_date < %(today)s) >= c.recovery_min_amount
        """, due=self._due_query(today), today=today)

    @api.model
    def _due_debtors(self, today):
        """``[(company id, debtor id)]`` of every debtor with a step due today."""
        self.env.flush_all()
        return [tuple(row) for row in self.env.execute_query(SQL("%s ORDER BY 1, 2", self._debtors_query(today)))]

    @api.model
    def _select_batch(self, today, debtors):
        """The invoices of ``debtors`` ``[(company id, debtor id)]`` still due: one indexed query."""
        self.env.flush_all()
        query = SQL("""
            SELECT due.id
              FROM (%(due)s) due
              JOIN unnest(%(companies)s::int[], %(partners)s::int[]) AS d(company_id, partner_id)
                ON d.company_id = due.company_id AND d.partner_id = due.commercial_partner_id
          ORDER BY due.id
        """, due=self._due_query(today, [partner_id for __, partner_id in debtors]),
            companies=[company_id for company_id, __ in debtors],
            partners=[partner_id for __, partner_id in debtors])
        return self.env['account.move'].browse(id_ for [id_] in self.env.execute_query(query))

    # -------------------------------------------------------------------------
    # Grouping
    # -------------------------------------------------------------------------
    @api.model
    def _done_pairs(self, moves):
        """(invoice, step) pairs already done by a non-forced event."""
        if not moves:
            return set()
        rows = self.env.execute_query(SQL("""
            SELECT move_id, step_id FROM debt_recovery_event
             WHERE move_id = ANY(%s) AND state = 'done' AND NOT forced AND step_id IS NOT NULL
        """, moves.ids))
        return set(map(tuple, rows))

    @api.model
    def _failed_counts(self, moves):
        if not moves:
            return {}
        rows = self.env.execute_query(SQL("""
            SELECT move_id, step_id, COUNT(*) FROM debt_recovery_event
             WHERE move_id = ANY(%s) AND state = 'failed' AND step_id IS NOT NULL
          GROUP BY move_id, step_id
        """, moves.ids))
        return {(move_id, step_id): count for move_id, step_id, count in rows}

    @api.model
    def _build_groups(self, moves, today):
        """The step due now for each invoice, grouped by company, debtor and step."""
        done = self._done_pairs(moves)
        failed = self._failed_counts(moves)
        groups = {}
        lagging = {}
        for move in moves:
            step = move._recovery_due_step(today)
            if not step:
                continue
            if (move.id, step.id) in done:
                # the step was done but the stage lags behind (a worker died after
                # sending): catch the stage up, never send twice
                lagging.setdefault(step, []).append(move.id)
                continue
            channel = step.action
            note = ''
            if failed.get((move.id, step.id), 0) >= MAX_SEND_ATTEMPTS and channel in ('email', 'sms'):
                channel, note = 'letter', _("Sending failed %s times: send this reminder by post.",
                                             MAX_SEND_ATTEMPTS)
            group = RecoveryGroup(move.company_id, move.commercial_partner_id, step, [], channel, note=note)
            groups.setdefault(group.key, group).moves.append(move.id)
        for step, move_ids in lagging.items():
            self.env['account.move'].browse(move_ids)._recovery_write({'recovery_step_id': step.id}, track=False)
        result = list(groups.values())
        for group in result:
            group.moves = self.env['account.move'].browse(group.moves)
        return result

    # -------------------------------------------------------------------------
    # Relancer (manual door into the same engine)
    # -------------------------------------------------------------------------
    @api.model
    def _run_manual(self, groups):
        """Execute the groups chosen in the Relancer wizard, as the current user.

        The invoices are locked first: if the scheduled run holds them, the user
        is asked to retry instead of sending a duplicate. A step already done on
        an invoice is skipped unless the user asked to send it again.
        """
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_user'):
            raise AccessError(_("Only debt recovery users can send reminders."))
        legal = [g for g in groups if (g.channel or g.step.action) in LEGAL_CHANNELS]
        if legal and not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise AccessError(_("Only a recovery manager can open a formal notice or a court file."))
        moves = self.env['account.move'].browse(
            [mid for group in groups for mid in group.moves.ids])
        moves.check_access('write')
        if moves.company_id - self.env.companies:
            raise AccessError(_("You cannot remind the invoices of a company you do not work for."))
        if any(not group.moves or group.moves.company_id != group.company
               or group.moves.commercial_partner_id != group.partner for group in groups):
            # (the wizard never builds such a line: forged through RPC)
            raise AccessError(_("A reminder is sent by the invoices' own company to their own customer."))
        moves._recovery_check_remindable()
        try:
            moves.sudo().lock_for_update()
        except LockError:
            raise UserError(_("These invoices are being reminded by the scheduled run right now. "
                              "Please try again in a minute.")) from None
        done = self._done_pairs(moves)
        to_run = []
        skipped = self.env['account.move']
        for group in groups:
            group.origin = 'manual'
            keep = []
            for move in group.moves:
                if (move.id, group.step.id) in done:
                    if not group.resend:
                        skipped |= move
                        continue
                    group.forced_ids.add(move.id)
                keep.append(move.id)
            if keep:
                group.moves = self.env['account.move'].browse(keep)
                to_run.append(group)
        events = self.sudo()._execute(to_run)
        return events, skipped

    # -------------------------------------------------------------------------
    # Execution
    # -------------------------------------------------------------------------
    @api.model
    def _execute(self, groups):
        """Run the groups: messages and to-dos in bulk, one event per invoice, the
        stages moved, one chatter note per invoice."""
        if not groups:
            return self.env['debt.recovery.event']
        prepared = self._prepare_groups(groups)
        mails, sms, activities = self._create_outputs([res for __, res in prepared])
        events = self._record(prepared, iter(mails), iter(sms), iter(activities))
        return events

    @api.model
    def _prepare_groups(self, groups):
        """Each group's :class:`ChannelResult`; the batch's shared work done once first
        (payment links, penalties, rendering, cases). A group that fails gets a result
        with its failure; it takes back what it wrote."""
        Channel = self.env['debt.recovery.channel']
        for group in groups:
            group.channel = group.channel or group.step.action
        # the e-mails link each invoice to its online payment page
        self.env['account.move'].browse([
            mid for group in groups if group.channel == 'email'
            for mid in group.moves.ids]).sudo()._recovery_ensure_tokens()
        Channel._compute_penalties_in_bulk(groups)
        Channel._render_emails_in_bulk(groups)
        Channel._open_cases_in_bulk(groups)
        prepared = []
        for group in groups:
            try:
                if Channel._writes(group):
                    with self.env.cr.savepoint():
                        result = Channel._prepare(group)
                else:
                    result = Channel._prepare(group)
            except (UserError, ValidationError) as error:
                result = ChannelResult(group.channel, failure=str(error.args[0] if error.args else error))
            prepared.append((group, result))
        return prepared

    @api.model
    def _create_outputs(self, results):
        """The e-mails, SMS and to-dos of the batch, one creation each."""
        mails = self.env['mail.mail'].sudo().create([res.mail_vals for res in results if res.mail_vals])
        sms = self.env['sms.sms'].sudo().create([res.sms_vals for res in results if res.sms_vals])
        activities = self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True).create(
            [res.activity_vals for res in results if res.activity_vals])
        return mails, sms, activities

    @api.model
    def _record(self, prepared, mails, sms, activities):
        """One event per invoice, the stages moved up, one chatter note per invoice."""
        Move = self.env['account.move']
        event_vals, bodies, stage_moves = [], {}, {}
        for group, res in prepared:
            mail = next(mails) if res.mail_vals else self.env['mail.mail']
            sms_rec = next(sms) if res.sms_vals else self.env['sms.sms']
            activity = next(activities) if res.activity_vals else self.env['mail.activity']
            group.invoice_names = group.moves.mapped('name')
            body = self._chatter_body(group, res, mail)
            for move in group.moves:
                event_vals.append({
                    'event_type': 'step', 'move_id': move.id, 'partner_id': group.partner.id,
                    'company_id': group.company.id, 'step_id': group.step.id, 'channel': res.channel,
                    'origin': group.origin, 'forced': move.id in group.forced_ids,
                    'state': 'failed' if res.failure else 'done', 'failure_reason': res.failure or False,
                    'note': res.note or group.note or False, 'mail_id': mail.id,
                    'mail_message_id': mail.mail_message_id.id, 'sms_id': sms_rec.id,
                    'activity_id': activity.id, 'case_id': res.case_id or False,
                    'amount_residual': move.amount_residual, 'currency_id': move.currency_id.id,
                    'user_id': self.env.uid,
                })
                bodies[move.id] = body
                if not res.failure:
                    stage_moves[group.step] = stage_moves.get(group.step, Move) | move
        events = self.env['debt.recovery.event'].sudo().create(event_vals)
        for step, moves in stage_moves.items():
            # the stage only moves up: sending an earlier step again leaves it where it is
            moves = moves.filtered(lambda m: not m.recovery_step_id or step_rank(m.recovery_step_id) < step_rank(step))
            # the engine's narrow path: the stage fields are not tracked; the note below says what was done
            moves.sudo()._recovery_write(
                {'recovery_step_id': step.id, 'recovery_resume_mode': False, 'recovery_resume_date': False},
                track=False)
        Move.browse(list(bodies)).sudo()._message_log_batch(bodies, author_id=self.env.user.partner_id.id)
        return events

    # -- chatter --------------------------------------------------------------
    @api.model
    def _chatter_body(self, group, res, mail):
        others = group.invoice_names
        if res.failure:
            return Markup("<p>%s</p>") % _("Reminder “%(step)s” failed: %(reason)s",
                                           step=group.step.name, reason=res.failure)
        channel = dict(self.env['debt.recovery.step']._fields['action']._description_selection(self.env)).get(
            res.channel)
        # the message is queued, not sent yet: the outgoing queue sends it (the event's
        # Delivery says when it has), so the note does not say "sent"
        if mail:
            text = _("Reminder “%(step)s” by e-mail to %(to)s, queued for sending: “%(subject)s”, listing "
                     "%(invoices)s.", step=group.step.name, to=", ".join(res.recipients.mapped('email')),
                     subject=mail.subject, invoices=", ".join(others))
        elif res.sms_vals:
            text = _("Reminder “%(step)s” by SMS to %(to)s, queued for sending.", step=group.step.name,
                     to=res.sms_vals['number'])
        else:
            text = _("Reminder “%(step)s”: to-do “%(channel)s” created for %(invoices)s.",
                     step=group.step.name, channel=channel, invoices=", ".join(others))
        body = Markup("<p>%s</p>") % text
        note = res.note or group.note
        if note:
            body += Markup("<p>%s</p>") % escape(note)
        return body
