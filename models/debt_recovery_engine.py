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
from odoo.tools import SQL, format_date, formatLang

from .account_move import OPEN_RECOVERY_STATES

_logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200     # debtors per batch
MAX_SEND_ATTEMPTS = 3        # failed deliveries of one step before a human takes over
LEGAL_CHANNELS = ('formal_notice', 'injunction')   # they open a case
TODO_CHANNELS = ('call', 'letter') + LEGAL_CHANNELS


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
        batch_size = int(env['ir.config_parameter'].get_param(
            'l10n_fr_debt_recovery.batch_size', DEFAULT_BATCH_SIZE))
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
        if moves - promised:
            (moves - promised).write({'recovery_pause_until': False, 'recovery_pause_reason': False})

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
            self.env['account.move'].browse(move_ids).write(
                {'recovery_step_id': step.id})
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
        """Run the groups: messages and to-dos in bulk, one event per invoice."""
        if not groups:
            return self.env['debt.recovery.event']
        for group in groups:
            group.channel = group.channel or group.step.action
        # the e-mails link each invoice to its online payment page
        self.env['account.move'].browse([
            mid for group in groups if group.channel == 'email'
            for mid in group.moves.ids]).sudo()._recovery_ensure_tokens()
        self._compute_penalties_in_bulk(groups)
        self._render_emails_in_bulk(groups)
        self._open_cases_in_bulk(groups)
        prepared = []
        for group in groups:
            try:
                if self._prepare_writes(group):
                    # a failure must take back what this debtor's preparation wrote
                    with self.env.cr.savepoint():
                        result = self._prepare(group)
                else:
                    result = self._prepare(group)
            except (UserError, ValidationError) as error:
                result = {'failure': str(error.args[0] if error.args else error)}
            prepared.append((group, result))

        mails = self.env['mail.mail'].sudo().create(
            [res['mail_vals'] for __, res in prepared if 'mail_vals' in res])
        sms = self.env['sms.sms'].sudo().create(
            [res['sms_vals'] for __, res in prepared if 'sms_vals' in res])
        activities = self.env['mail.activity'].sudo().with_context(mail_activity_quick_update=True).create(
            [res['activity_vals'] for __, res in prepared if 'activity_vals' in res])
        mails_it, sms_it, activities_it = iter(mails), iter(sms), iter(activities)

        event_vals, bodies, stage_moves = [], {}, {}
        for group, res in prepared:
            mail = next(mails_it) if 'mail_vals' in res else mails.browse()
            sms_rec = next(sms_it) if 'sms_vals' in res else sms.browse()
            activity = next(activities_it) if 'activity_vals' in res else activities.browse()
            failure = res.get('failure')
            group.invoice_names = group.moves.mapped('name')
            body = self._chatter_body(group, res, mail)
            for move in group.moves:
                event_vals.append({
                    'event_type': 'step',
                    'move_id': move.id,
                    'partner_id': group.partner.id,
                    'company_id': group.company.id,
                    'step_id': group.step.id,
                    'channel': res.get('channel', group.channel),
                    'origin': group.origin,
                    'forced': move.id in group.forced_ids,
                    'state': 'failed' if failure else 'done',
                    'failure_reason': failure or False,
                    'note': res.get('note') or group.note or False,
                    'mail_id': mail.id,
                    'mail_message_id': mail.mail_message_id.id,
                    'sms_id': sms_rec.id,
                    'activity_id': activity.id,
                    'case_id': res.get('case_id') or False,
                    'amount_residual': move.amount_residual,
                    'currency_id': move.currency_id.id,
                    'user_id': self.env.uid,
                })
                bodies[move.id] = body
                if not failure:
                    stage_moves.setdefault(group.step, self.env['account.move'])
                    stage_moves[group.step] |= move
        events = self.env['debt.recovery.event'].sudo().create(event_vals)
        for step, moves in stage_moves.items():
            # the stage only moves up: sending an earlier step again leaves it where it is
            moves = moves.filtered(lambda m: not m.recovery_step_id or self._rank(m.recovery_step_id) < self._rank(step))
            moves.sudo().write(
                {'recovery_step_id': step.id, 'recovery_resume_mode': False, 'recovery_resume_date': False})
        moves_all = self.env['account.move'].browse(list(bodies))
        moves_all.sudo()._message_log_batch(bodies, author_id=self.env.user.partner_id.id)
        return events

    @api.model
    def _prepare_writes(self, group):
        """Whether preparing the group writes to the database: a case to open, PDFs
        to attach. The other groups only read and render, and need no savepoint."""
        if group.channel in LEGAL_CHANNELS:
            return not group.case
        return group.channel == 'email' and (group.step.attach_invoices or group.step.attach_statement)

    @api.model
    def _rank(self, step):
        return (step.sequence, step.delay, step.id)

    @api.model
    def _prepare(self, group):
        if group.channel == 'email':
            return self._prepare_email(group)
        if group.channel == 'sms':
            return self._prepare_sms(group)
        if group.channel in TODO_CHANNELS:
            return self._prepare_todo(group)
        raise UserError(_("Unknown reminder channel: %s.", group.channel))

    # -- e-mail ---------------------------------------------------------------
    @api.model
    def _email_recipients(self, group):
        """The invoice contacts with an e-mail address, else the debtor itself."""
        partners = group.moves.partner_id.filtered('email')
        if not partners and group.partner.email:
            partners = group.partner
        return partners

    @api.model
    def _render_emails_in_bulk(self, groups):
        """Render the e-mails of a batch with one template call per company and step
        (a QWeb template is compiled once per call, not once per debtor). A failure
        leaves the groups to ``_render_email``, which renders them one by one and so
        isolates the debtor at fault."""
        buckets = {}
        for group in groups:
            if group.channel == 'email' and group.step.mail_template_id:
                buckets.setdefault((group.company, group.step), []).append(group)
        for (company, step), bucket in buckets.items():
            template = step.mail_template_id
            if len(bucket) < 2 or template.model != 'res.partner':
                continue
            by_partner = tuple((g.partner.id, tuple(g.moves.ids)) for g in bucket)
            try:
                with self.env.cr.savepoint():
                    rendered = template.with_company(company).with_context(
                        recovery_moves_by_partner=by_partner, recovery_step_id=step.id,
                    )._generate_template([g.partner.id for g in bucket], self._EMAIL_FIELDS)
            except (UserError, ValidationError):
                continue
            for group in bucket:
                group.rendered = rendered.get(group.partner.id)

    @api.model
    def _quotes_penalties(self, step):
        """Whether the step's e-mail names the penalties (the firm reminder does)."""
        body = step.mail_template_id.body_html or ''
        return any(name in body for name in ('recovery_mail_penalty', 'recovery_mail_indemnity',
                                             'recovery_penalty', 'recovery_indemnity'))

    @api.model
    def _compute_penalties_in_bulk(self, groups):
        """The penalties of every invoice an e-mail of the batch quotes, in one
        computation (the accounting lines of all the invoices read together)."""
        moves = self.env['account.move'].browse([
            mid for group in groups
            if group.channel == 'email' and self._quotes_penalties(group.step)
            for mid in group.moves.ids])
        moves.mapped('recovery_penalty_warning')

    @api.model
    def _open_cases_in_bulk(self, groups):
        """The cases of the batch's formal notices and injunctions, found or opened in
        one pass. A failure leaves the groups to ``_prepare_todo``, which opens them one
        by one and so isolates the debtor at fault."""
        legal = [group for group in groups if group.channel in LEGAL_CHANNELS]
        if len(legal) < 2:
            return
        # No flush when the savepoint is released: the invoices' new state is written
        # with their step at the end of the batch, one UPDATE per invoice instead of two.
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                cases = self.env['debt.recovery.case']._recovery_open_for_many(
                    [(group.company, group.partner, group.moves) for group in legal])
        except (UserError, ValidationError):
            # the database went back to the savepoint, the cache must too (it was
            # flushed just before: nothing else is lost)
            self.env.cr.clear()
            return
        for group, case in zip(legal, cases):
            group.case = case

    _EMAIL_FIELDS = ['subject', 'body_html', 'email_from', 'reply_to', 'email_cc', 'mail_server_id', 'attachment_ids']

    @api.model
    def _render_email(self, group):
        """Subject and body of the group's e-mail, in the debtor's language."""
        if group.rendered and group.rendered.get('body_html'):
            return group.rendered
        template = group.step.mail_template_id.exists()
        if not template:
            raise UserError(_("The step “%s” has no e-mail template: choose one in the reminder plan.",
                              group.step.name))
        if template.model != 'res.partner':
            raise UserError(_("The e-mail template “%(template)s” of the step “%(step)s” is not a customer "
                              "template (it must apply to Contacts).",
                              template=template.name, step=group.step.name))
        template = template.with_company(group.company).with_context(
            recovery_move_ids=group.moves.ids, recovery_step_id=group.step.id)
        values = template._generate_template([group.partner.id], self._EMAIL_FIELDS)[group.partner.id]
        if not values.get('body_html'):
            raise UserError(_("The e-mail template “%s” renders an empty message.", template.name))
        return values

    @api.model
    def _prepare_email(self, group):
        recipients = self._email_recipients(group)
        if not recipients:
            group.channel = 'letter'
            res = self._prepare_todo(group)
            res['note'] = _("%s has no e-mail address: the reminder must be sent by post.",
                            group.partner.display_name)
            return res
        values = self._render_email(group)
        attachment_ids = list(values.get('attachment_ids') or [])
        if group.step.attach_invoices:
            attachment_ids += self._invoice_attachments(group.moves).ids
        if group.step.attach_statement:
            attachment_ids += self._statement_attachment(group).ids
        company = group.company
        mail_vals = {
            'subject': values.get('subject') or group.step.name,
            'body_html': values['body_html'],
            'body': values['body_html'],
            'email_from': values.get('email_from') or company.email_formatted or self.env.user.email_formatted,
            'reply_to': values.get('reply_to') or False,
            'email_cc': values.get('email_cc') or False,
            'mail_server_id': values.get('mail_server_id') or False,
            'recipient_ids': [fields.Command.link(p.id) for p in recipients],
            'model': 'res.partner',
            'res_id': group.partner.id,
            'record_name': group.partner.display_name,
            'author_id': company.partner_id.id,
            'auto_delete': False,
            'attachment_ids': [fields.Command.link(aid) for aid in attachment_ids],
        }
        res = {'mail_vals': mail_vals, 'channel': 'email', 'recipients': recipients}
        # A half-year missing from the rate tables: the e-mail goes without the
        # penalty figures, and the event says why (law as data, never guessed).
        warnings = self._quotes_penalties(group.step) and set(
            group.moves.filtered('recovery_penalty_warning').mapped('recovery_penalty_warning'))
        if warnings:
            res['note'] = " ".join(sorted(warnings))
        return res

    @api.model
    def _invoice_attachments(self, moves):
        """The invoices' PDFs: the one Odoo keeps, else rendered one by one."""
        attachments = self.env['ir.attachment']
        report = self.env.ref('account.account_invoices')
        for move in moves:
            if move.invoice_pdf_report_id:
                attachments |= move.invoice_pdf_report_id
                continue
            content, __ = self.env['ir.actions.report'].sudo()._render_qweb_pdf(report, [move.id])
            attachments |= self.env['ir.attachment'].sudo().create({
                'name': f"{(move.name or 'invoice').replace('/', '_')}.pdf",
                'raw': content,
                'mimetype': 'application/pdf',
                'res_model': 'account.move',
                'res_id': move.id,
            })
        return attachments

    # -- SMS ------------------------------------------------------------------
    @api.model
    def _prepare_sms(self, group):
        template = group.step.sms_template_id.exists()
        if not template:
            raise UserError(_("The step “%s” has no SMS template: choose one in the reminder plan.",
                              group.step.name))
        number = group.partner._phone_format(fname='phone') or group.partner.phone
        if not number:
            group.channel = 'call'
            res = self._prepare_todo(group)
            res['note'] = _("%s has no phone number for SMS: call or write instead.", group.partner.display_name)
            return res
        body = template.with_company(group.company).with_context(
            recovery_move_ids=group.moves.ids, recovery_step_id=group.step.id,
        )._render_field('body', [group.partner.id], compute_lang=True)[group.partner.id]
        return {'sms_vals': {'number': number, 'body': body, 'partner_id': group.partner.id},
                'channel': 'sms', 'body': body}

    # -- to-dos (call, letter, formal notice, injunction) ---------------------
    @api.model
    def _todo_user(self, group):
        company = group.company
        salesperson = group.moves.invoice_user_id[:1]
        role = group.step.user_role
        if role == 'notice':
            user = company.recovery_notice_user_id or company.recovery_call_user_id
        elif role == 'salesperson':
            user = salesperson
        else:
            user = company.recovery_call_user_id
        return user or salesperson or self.env.ref('base.user_admin', raise_if_not_found=False) or self.env.user

    @api.model
    def _todo_activity_type(self, group):
        if group.step.activity_type_id and group.channel == group.step.action:
            return group.step.activity_type_id
        xmlid = {
            'call': 'l10n_fr_debt_recovery.mail_activity_type_recovery_call',
            'letter': 'l10n_fr_debt_recovery.mail_activity_type_recovery_letter',
            'formal_notice': 'l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice',
            'injunction': 'l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice',
        }[group.channel]
        return self.env.ref(xmlid)

    @api.model
    def _invoice_table(self, moves):
        today = fields.Date.context_today(self)
        rows = Markup('').join(
            Markup("<li>%s</li>") % self.env._(
                "%(name)s, due %(due)s (%(days)s days late): %(residual)s due",
                name=move.name,
                due=format_date(self.env, move.recovery_due_date),
                days=max((today - move.recovery_due_date).days, 0) if move.recovery_due_date else 0,
                residual=formatLang(self.env, move.amount_residual, currency_obj=move.currency_id),
            )
            for move in moves
        )
        return Markup("<ul>%s</ul>") % rows

    @api.model
    def _prepare_todo(self, group, preview=False):
        activity_type = self._todo_activity_type(group)
        summary = {
            'call': _("Call %s about unpaid invoices", group.partner.display_name),
            'letter': _("Send a reminder letter to %s", group.partner.display_name),
            'formal_notice': _("Prepare the formal notice (mise en demeure) of %s", group.partner.display_name),
            'injunction': _("Prepare the injunction to pay (injonction de payer) of %s", group.partner.display_name),
        }[group.channel]
        note = Markup("<p>%s</p>%s") % (group.step.name, self._invoice_table(group.moves))
        if group.note:
            note += Markup("<p>%s</p>") % group.note
        res_model, res_id, case = 'res.partner', group.partner.id, self.env['debt.recovery.case']
        if group.channel in LEGAL_CHANNELS and not preview:
            # the debtor's overdue invoices are gathered into its case, where the
            # manager validates the letter
            case = group.case or case._recovery_open_for(group.company, group.partner, group.moves)
            res_model, res_id = case._name, case.id
        return {
            'case_id': case.id,
            'activity_vals': {
                'res_model_id': self.env['ir.model']._get_id(res_model),
                'res_id': res_id,
                'activity_type_id': activity_type.id,
                'summary': summary,
                'note': note,
                'user_id': self._todo_user(group).id,
                'date_deadline': fields.Date.context_today(self),
            },
            'channel': group.channel,
        }

    # -- chatter --------------------------------------------------------------
    @api.model
    def _chatter_body(self, group, res, mail):
        others = group.invoice_names
        if res.get('failure'):
            return Markup("<p>%s</p>") % _("Reminder “%(step)s” failed: %(reason)s",
                                           step=group.step.name, reason=res['failure'])
        channel = dict(self.env['debt.recovery.step']._fields['action']._description_selection(self.env)).get(
            res.get('channel', group.channel))
        if mail:
            text = _("Reminder “%(step)s” sent by e-mail to %(to)s: “%(subject)s”, listing %(invoices)s.",
                     step=group.step.name, to=", ".join(res['recipients'].mapped('email')),
                     subject=mail.subject, invoices=", ".join(others))
        elif res.get('sms_vals'):
            text = _("Reminder “%(step)s” sent by SMS to %(to)s.", step=group.step.name,
                     to=res['sms_vals']['number'])
        else:
            text = _("Reminder “%(step)s”: to-do “%(channel)s” created for %(invoices)s.",
                     step=group.step.name, channel=channel, invoices=", ".join(others))
        body = Markup("<p>%s</p>") % text
        note = res.get('note') or group.note
        if note:
            body += Markup("<p>%s</p>") % escape(note)
        return body
