"""The life of a case: formal notice, receipt, court file, order, service,
enforcement, closing (C. civ. 1344, CPC 1405-1425). Each transition checks what a
court would check, writes the case and records the events on its invoices."""
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools import legal_dates

# The case's to-dos, by the work they wait for (mail.activity.type XML ids): each is
# done by the transition that does that work (``_recovery_done_todos``).
NOTICE_TODO = 'l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice'
COURT_TODO = 'l10n_fr_debt_recovery.mail_activity_type_recovery_court'


class DebtRecoveryCase(models.Model):
    _inherit = 'debt.recovery.case'

    # -------------------------------------------------------------------------
    # Transitions
    # -------------------------------------------------------------------------
    def action_validate_notice(self):
        """Validate the formal notice: freeze the address, date the letter, freeze the
        days it gives (counted from its receipt), render and keep the PDF."""
        self._check_manager()
        self._check_state('draft')
        today = fields.Date.context_today(self)
        for case in self:
            if not case.move_ids:
                raise UserError(_("The case %s has no invoice to claim.", case.name))
            if case.address_warning:
                raise UserError(case.address_warning)
            if case.disputed_move_ids:
                raise UserError(_("%s are disputed: resolve the dispute or remove them from the case.",
                                  ", ".join(case.disputed_move_ids.mapped('name'))))
            settled = case.move_ids.filtered(lambda m: m.payment_state in ('paid', 'in_payment', 'reversed'))
            if settled:
                raise UserError(_("%s are paid: remove them from the case.", ", ".join(settled.mapped('name'))))
            if case.debtor_type == 'consumer':
                case.company_id._recovery_check_mediator()
            partner = case.partner_id
            case.write({
                'recipient_name': partner.name,
                'recipient_street': partner.street,
                'recipient_street2': partner.street2,
                'recipient_zip': partner.zip,
                'recipient_city': partner.city,
                'recipient_country_id': partner.country_id.id,
                'notice_letter_date': today,
                'notice_delay': case.company_id.recovery_notice_delay,
                'notice_deadline': False,
                'notice_validated_by': self.env.uid,
                'state': 'notice_ready',
            })
            case.notice_attachment_id = self.env['ir.actions.report']._recovery_attachment(
                'l10n_fr_debt_recovery.action_report_formal_notice', case, "Mise en demeure %s" % case.name,
                pdf_only=True)
            case._log_event(_("Formal notice validated; it gives %s days from its receipt.", case.notice_delay),
                            channel='formal_notice')
        self._recovery_done_todos(_("Formal notice validated."), channels=('formal_notice',))
        return True

    def action_record_posting(self):
        """The registered letter is posted: LRAR number and date; optional copy by e-mail."""
        self._check_manager()
        self._check_state('notice_ready')
        for case in self:
            if not case.lrar_number or not case.notice_date:
                raise UserError(_("Enter the registered letter's number and posting date first."))
            if case.notice_copy_by_email and case.partner_id.email:
                case._send_notice_copy()
            case.state = 'notice_sent'
            case._log_event(_("Formal notice posted by registered letter %(number)s on %(date)s.",
                              number=case.lrar_number, date=format_date(self.env, case.notice_date)),
                            channel='formal_notice')
        return True

    def action_record_receipt(self):
        """What the post returned: the signed acknowledgement, or the letter unclaimed or
        refused with the date of its first presentation. The payment deadline runs from
        that date (the days the letter gave, to the next working day of the debtor's
        place, CPC 641-642)."""
        self._check_state('notice_sent', 'deadline_passed')
        for case in self:
            if case.receipt_date and not case.receipt_status:
                case.receipt_status = 'signed'
            if case.receipt_status == 'signed' and not case.receipt_date:
                raise UserError(_("Enter the date written on the acknowledgement of receipt."))
            if case.receipt_status in ('unclaimed', 'refused') and not case.presentation_date:
                raise UserError(_("Enter the date the post first presented the letter (on the returned envelope)."))
            if not case.received_date:
                raise UserError(_("Say what came back: the acknowledgement signed, or the letter unclaimed or "
                                  "refused."))
            if case.received_date < case.notice_date:
                raise UserError(_("The letter cannot be received or presented before it was posted (%s).",
                                  format_date(self.env, case.notice_date)))
            case.notice_deadline = legal_dates.formal_notice_deadline(
                case.received_date, case.notice_delay or case.company_id.recovery_notice_delay,
                place=case._places()[0])
            note = {
                'signed': _("Acknowledgement of receipt signed on %(date)s; payment deadline %(deadline)s."),
                'unclaimed': _("Letter first presented on %(date)s and returned unclaimed; payment deadline "
                               "%(deadline)s."),
                'refused': _("Letter presented on %(date)s and refused; payment deadline %(deadline)s."),
            }[case.receipt_status]
            case._log_event(note % {'date': format_date(self.env, case.received_date),
                                    'deadline': format_date(self.env, case.notice_deadline)},
                            channel='formal_notice')
        return True

    def action_deadline_passed(self):
        self._check_state('notice_sent')
        today = fields.Date.context_today(self)
        for case in self:
            if not case.notice_deadline or case.notice_deadline >= today:
                raise UserError(_("The payment deadline (%s) has not passed yet.",
                                  format_date(self.env, case.notice_deadline)))
            case.state = 'deadline_passed'
            case._log_event(_("Payment deadline of the formal notice passed without full payment."))
            case.activity_schedule(
                NOTICE_TODO, user_id=case.user_id.id,
                summary=_("Deadline passed: prepare the court file"), date_deadline=today)
        return True

    def _check_court_file(self):
        """Refuse a court file that a judge would reject."""
        for case in self:
            if not case.received_date:
                raise UserError(_("The case %s has no proof that the debtor was put on notice: record the signed "
                                  "acknowledgement of receipt, or the letter returned unclaimed or refused.",
                                  case.name))
            if case.receipt_status in ('unclaimed', 'refused') and not case.receipt_attachment_id:
                raise UserError(_("Attach the scan of the returned envelope: it is the proof of the formal notice "
                                  "in the court file."))
            if not case.notice_deadline or case.notice_deadline < case.received_date:
                raise UserError(_("The payment deadline of the case %s does not follow the receipt of the letter: "
                                  "record the receipt again.", case.name))
            if case.disputed_move_ids:
                raise UserError(_("%s are disputed: an injunction to pay is for uncontested claims; choose a "
                                  "summons to pay.", ", ".join(case.disputed_move_ids.mapped('name'))))
            if case.is_time_barred:
                raise UserError(_("The claim is time-barred since %s: a court would dismiss it.",
                                  format_date(self.env, case.limitation_date)))
            if not case.amount_principal:
                raise UserError(_("Nothing is due any more on the case %s.", case.name))
            if not case.court_name:
                raise UserError(_("Enter the court the request is addressed to (Court, e.g. « Tribunal de commerce "
                                  "de Lyon »): the case says which kind and where."))
            case.company_id._recovery_check_creditor_identity()

    def action_prepare_court_file(self):
        self._check_manager()
        self._check_state('deadline_passed')
        self._check_court_file()
        self.state = 'court_file_ready'
        self._log_event(_("Court file for an injunction to pay prepared."), channel='injunction')
        # the "deadline passed" to-do and the injunction step's: the court file is prepared
        self._recovery_done_todos(_("Court file prepared."), channels=('formal_notice', 'injunction'),
                                  types=(NOTICE_TODO,))
        return True

    def _record_court_step(self, to_state, required, missing, note):
        """A step of the court procedure recorded by the user: the fields ``required``
        are filled (else ``missing`` is said), the case moves to ``to_state`` and each
        invoice's event says ``note(case)``."""
        for case in self:
            if not all(case[fname] for fname in required):
                raise UserError(missing)
            case.state = to_state
            case._log_event(note(case), channel='injunction')

    def _schedule_court_todo(self, what):
        """A to-do *Court deadline* for the case's responsible: ``what(case)`` gives its
        summary and date. The next court step marks it done."""
        for case in self:
            summary, deadline = what(case)
            case.activity_schedule(COURT_TODO, user_id=case.user_id.id, summary=summary, date_deadline=deadline)

    def _recovery_done_todos(self, feedback, channels=(), types=()):
        """Mark done the cases' open to-dos whose work is over, with ``feedback``: those
        the engine created for steps of ``channels`` (linked by their events) and those of
        the activity types ``types`` (XML ids)."""
        if not self:
            return
        Activity = self.env['mail.activity'].sudo()
        todos = Activity
        if channels:
            todos |= self.env['debt.recovery.event'].sudo().search([
                ('case_id', 'in', self.ids), ('activity_id', '!=', False), ('channel', 'in', list(channels)),
            ]).activity_id
        if types:
            todos |= Activity.search([
                ('res_model', '=', self._name), ('res_id', 'in', self.ids),
                ('activity_type_id', 'in', [self.env.ref(xmlid).id for xmlid in types])])
        todos.filtered(lambda a: a.active and a.res_model == self._name and a.res_id in self.ids) \
            .action_feedback(feedback=feedback)

    def action_mark_filed(self):
        self._check_manager()
        self._check_state('court_file_ready')
        self._record_court_step('filed', ['filing_date'], _("Enter the date the request was filed."),
                                lambda case: _("Request filed on %s.", format_date(self.env, case.filing_date)))
        return True

    def action_order_granted(self):
        self._check_manager()
        self._check_state('filed')
        self._record_court_step(
            'order_granted', ['order_date'], _("Enter the date the judge signed the order."),
            lambda case: _("Injunction order signed on %(date)s; serve it before %(deadline)s.",
                           date=format_date(self.env, case.order_date),
                           deadline=format_date(self.env, case.serve_deadline)))
        # warn a month before the order lapses (CPC 1411)
        self._schedule_court_todo(lambda case: (
            _("Serve the injunction order before %s or it lapses", format_date(self.env, case.serve_deadline)),
            case.serve_deadline - relativedelta(months=1)))
        return True

    def action_order_served(self):
        self._check_state('order_granted')
        for case in self.filtered(lambda c: c.service_date and c.serve_deadline):
            if case.service_date > case.serve_deadline:
                raise UserError(_("Served after %s: the order has lapsed (CPC 1411).",
                                  format_date(self.env, case.serve_deadline)))
        self._record_court_step(
            'order_served', ['service_date', 'bailiff_id', 'service_mode'],
            _("Enter the commissaire de justice, the service date and how the order was served."),
            lambda case: _("Order served on %(date)s; opposition possible until %(deadline)s.",
                           date=format_date(self.env, case.service_date),
                           deadline=format_date(self.env, case.opposition_deadline)))
        self._recovery_done_todos(_("Order served."), types=(COURT_TODO,))
        # CPC 1422 (since 1 March 2022 the order already carries the enforcement formula):
        # once the month of opposition has run, the greffe certifies that no opposition was
        # made and the commissaire de justice can enforce
        self._schedule_court_todo(lambda case: (
            _("Opposition period ends: ask the greffe for the certificate of non-opposition and hand the order "
              "to the commissaire de justice"), case.opposition_deadline))
        return True

    def action_enforceable(self):
        self._check_state('order_served')
        today = fields.Date.context_today(self)
        for case in self:
            if case.opposition_deadline >= today:
                raise UserError(_("The debtor may still oppose until %s.",
                                  format_date(self.env, case.opposition_deadline)))
            case.state = 'enforceable'
            case._log_event(_("No opposition within the month: the order has the effects of a contradictory "
                              "judgment (CPC 1422).") + (" " + case.opposition_note if case.opposition_note else ""))
        self._recovery_done_todos(_("The order is enforceable."), types=(COURT_TODO,))
        return True

    def action_close(self):
        """Close with the reason given in ``close_reason`` (context default: abandoned)."""
        reason = self.env.context.get('close_reason') or 'abandoned'
        labels = dict(self._fields['close_reason']._description_selection(self.env))
        for case in self.filtered(lambda c: c.state != 'closed'):
            case.write({'state': 'closed', 'close_reason': reason})
            case.move_ids._recovery_leave_case(
                'closed' if reason in ('paid', 'settled', 'written_off') else 'running')
            note = _("Case closed: %s.", labels[reason])
            case._log_event(note)
            # nothing is left to do on a closed case: its to-dos end with the reason
            case._recovery_done_todos(note, channels=('formal_notice', 'injunction'), types=(NOTICE_TODO, COURT_TODO))
        return True

    def _recovery_check_paid(self):
        """A full payment closes the case."""
        for case in self.filtered(lambda c: c.state != 'closed'):
            if case.move_ids and all(m.payment_state in ('paid', 'in_payment', 'reversed') for m in case.move_ids):
                case.with_context(close_reason='paid').action_close()

    @api.model
    def _recovery_update_deadlines(self, today):
        """The daily run's part: a formal notice whose deadline passed unpaid moves the
        case on (a paid one closes it)."""
        cases = self.search([('state', '=', 'notice_sent'), ('notice_deadline', '<', today)])
        cases._recovery_check_paid()
        cases.filtered(lambda c: c.state == 'notice_sent').action_deadline_passed()

    def _send_notice_copy(self):
        self.ensure_one()
        template = self.env.ref('l10n_fr_debt_recovery.mail_template_formal_notice_copy')
        values = {'attachment_ids': [fields.Command.link(a.id) for a in self.notice_attachment_id]}
        template.with_context(lang=self.partner_id.lang).send_mail(self.id, email_values=values)
