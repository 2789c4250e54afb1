"""The channels of a reminder step: e-mail, SMS, and the to-dos (call, letter,
formal notice, injunction). Each prepares, for one group (a debtor, a step, its
invoices), what the engine creates in bulk, as a :class:`ChannelResult`."""
from dataclasses import dataclass

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from .debt_recovery_step import LEGAL_CHANNELS, TODO_CHANNELS


@dataclass
class ChannelResult:
    """What a channel prepared for one group: at most one record to create
    (an e-mail, an SMS or a to-do) and what the group's events say."""
    channel: str
    mail_vals: dict = None
    sms_vals: dict = None
    activity_vals: dict = None
    case_id: int = False
    recipients: models.BaseModel = None
    body: str = ''
    note: str = ''
    failure: str = ''


class DebtRecoveryChannel(models.AbstractModel):
    _name = 'debt.recovery.channel'
    _description = 'Debt Recovery Channels'

    @api.model
    def _writes(self, group):
        """Whether preparing the group writes to the database: a case to open, PDFs
        to attach. The other groups only read and render, and need no savepoint."""
        if group.channel in LEGAL_CHANNELS:
            return not group.case
        return group.channel == 'email' and (group.step.attach_invoices or group.step.attach_statement)

    @api.model
    def _prepare(self, group):
        """What the group's channel will create, as a :class:`ChannelResult`."""
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
            res.note = _("%s has no e-mail address: the reminder must be sent by post.", group.partner.display_name)
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
        res = ChannelResult('email', mail_vals=mail_vals, recipients=recipients)
        # A half-year missing from the rate tables: the e-mail goes without the
        # penalty figures, and the event says why (law as data, never guessed).
        warnings = self._quotes_penalties(group.step) and set(
            group.moves.filtered('recovery_penalty_warning').mapped('recovery_penalty_warning'))
        if warnings:
            res.note = " ".join(sorted(warnings))
        return res

    @api.model
    def _invoice_attachments(self, moves):
        """The invoices' PDFs: the one Odoo keeps (a sent invoice has it), else rendered."""
        Report = self.env['ir.actions.report']
        attachments = self.env['ir.attachment']
        for move in moves:
            attachments |= move.invoice_pdf_report_id or Report._recovery_attachment(
                'account.account_invoices', move, move.name or 'facture')
        return attachments

    @api.model
    def _statement_attachment(self, group):
        """The debtor's statement, rendered once for the group's message (one message
        per debtor and step), kept on the debtor."""
        return self.env['ir.actions.report'].with_company(group.company)._recovery_attachment(
            'l10n_fr_debt_recovery.action_report_customer_statement', group.partner,
            "Relevé de compte - %s" % (group.partner.name or ''))

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
            res.note = _("%s has no phone number for SMS: call or write instead.", group.partner.display_name)
            return res
        body = template.with_company(group.company).with_context(
            recovery_move_ids=group.moves.ids, recovery_step_id=group.step.id,
        )._render_field('body', [group.partner.id], compute_lang=True)[group.partner.id]
        return ChannelResult('sms', sms_vals={'number': number, 'body': body, 'partner_id': group.partner.id},
                             body=body)

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
        return ChannelResult(group.channel, case_id=case.id, activity_vals={
            'res_model_id': self.env['ir.model']._get_id(res_model),
            'res_id': res_id,
            'activity_type_id': activity_type.id,
            'summary': summary,
            'note': note,
            'user_id': self._todo_user(group).id,
            'date_deadline': fields.Date.context_today(self),
        })

