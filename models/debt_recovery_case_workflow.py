"""The life of a case: formal notice, receipt, court file, order, service,
enforcement, closing (C. civ. 1344, CPC 1405-1425). Each transition checks what a
court would check, writes the case and records the events on its invoices."""
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.translate import _lt

from ..tools import legal_dates
from .debt_recovery_event import SelectionValue

# The case's to-dos, by the work they wait for (mail.activity.type XML ids): each is
# done by the transition that does that work (``_recovery_done_todos``).
NOTICE_TODO = 'l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice'
COURT_TODO = 'l10n_fr_debt_recovery.mail_activity_type_recovery_court'


class DebtRecoveryCase(models.Model):
    _inherit = 'debt.recovery.case'

    # -------------------------------------------------------------------------
    # The dates a user types: checked when written, whatever writes them
    # -------------------------------------------------------------------------
    def _recovery_typed_dates(self):
        """The dates of the case in the order the procedure gives them, with what each
        one dates: (field, noun)."""
        return [
            ('notice_letter_date', _("the letter")),
            ('notice_date', _("the posting of the registered letter")),
            ('presentation_date', _("the first presentation of the letter")),
            ('receipt_date', _("the signature of the acknowledgement of receipt")),
            ('filing_date', _("the filing of the request")),
            ('order_date', _("the injunction order")),
            ('service_date', _("the service of the order")),
            ('personal_act_date', _("the first act in person or seizure")),
        ]

    @api.constrains('notice_date', 'presentation_date', 'receipt_date', 'filing_date', 'order_date',
                    'service_date', 'personal_act_date')
    def _check_dates_not_future(self):
        """What happened is dated: a letter posted, received, a request filed, an order
        signed or served tomorrow is a typing error."""
        today = fields.Date.context_today(self)
        for case in self:
            # the letter's own date is today's, set by its validation
            for fname, noun in case._recovery_typed_dates()[1:]:
                if case[fname] and case[fname] > today:
                    raise ValidationError(_(
                        "%(case)s: the date of %(what)s (%(date)s) cannot be in the future.",
                        case=case.name, what=noun, date=format_date(self.env, case[fname])))

    @api.constrains('notice_letter_date', 'notice_date', 'presentation_date', 'receipt_date', 'filing_date',
                    'order_date', 'service_date', 'personal_act_date', 'notice_deadline')
    def _check_dates_order(self):
        """The procedure's dates follow each other: the letter, its posting, its first
        presentation, the signed acknowledgement, the request filed after the payment
        deadline, the order, its service within 6 months (CPC 1411), then the first act
        in person (CPC 1416 al. 2)."""
        for case in self:
            if (case.receipt_date or case.presentation_date) and not case.notice_date:
                raise ValidationError(_("%s: enter the posting date of the registered letter before what came "
                                        "back.", case.name))
            for what in ('presentation_date', 'receipt_date'):
                if case[what] and case[what] < case.notice_date:
                    raise ValidationError(_(
                        "%(case)s: the letter cannot be received or presented (%(date)s) before it was posted "
                        "(%(posted)s).", case=case.name, date=format_date(self.env, case[what]),
                        posted=format_date(self.env, case.notice_date)))
            previous = None
            for fname, noun in case._recovery_typed_dates():
                if not case[fname]:
                    continue
                if previous and case[fname] < case[previous[0]]:
                    raise ValidationError(_(
                        "%(case)s: the dates are out of order: %(what)s (%(date)s) cannot come before "
                        "%(previous)s (%(previous_date)s).", case=case.name, what=noun,
                        date=format_date(self.env, case[fname]), previous=previous[1],
                        previous_date=format_date(self.env, case[previous[0]])))
                previous = (fname, noun)
            if case.filing_date and case.notice_deadline and case.filing_date <= case.notice_deadline:
                raise ValidationError(_(
                    "%(case)s: the request cannot be filed on %(date)s: the formal notice gave the debtor until "
                    "%(deadline)s to pay.", case=case.name, date=format_date(self.env, case.filing_date),
                    deadline=format_date(self.env, case.notice_deadline)))
            if case.service_date and case.serve_deadline and case.service_date > case.serve_deadline:
                raise ValidationError(_(
                    "%(case)s: served on %(date)s, after %(deadline)s: the order has lapsed (CPC 1411: an order "
                    "not served within six months is void).", case=case.name,
                    date=format_date(self.env, case.service_date), deadline=format_date(self.env, case.serve_deadline)))

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
            case.company_id._recovery_signatory()  # who signs the letter: refused before anything is written
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
            case.notice_attachment_id = self.env['ir.actions.report'].with_context(
                recovery_freeze_notice=True)._recovery_attachment(
                'l10n_fr_debt_recovery.action_report_formal_notice', case, "Mise en demeure %s" % case.name,
                pdf_only=True)
            case._log_event(_lt("Formal notice validated; it gives %s days from its receipt.", case.notice_delay),
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
            case._log_event(_lt("Formal notice posted by registered letter %(number)s on %(date)s.",
                                number=case.lrar_number, date=case.notice_date),
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
            dates = {'date': case.received_date, 'deadline': case.notice_deadline}
            note = {
                'signed': _lt("Acknowledgement of receipt signed on %(date)s; payment deadline %(deadline)s.", **dates),
                'unclaimed': _lt("Letter first presented on %(date)s and returned unclaimed; payment deadline "
                                 "%(deadline)s.", **dates),
                'refused': _lt("Letter presented on %(date)s and refused; payment deadline %(deadline)s.", **dates),
            }[case.receipt_status]
            case._log_event(note,
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
            case._log_event(_lt("Payment deadline of the formal notice passed without full payment."))
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
        self._log_event(_lt("Court file for an injunction to pay prepared."), channel='injunction')
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
                                lambda case: _lt("Request filed on %s.", case.filing_date))
        return True

    def action_order_granted(self):
        self._check_manager()
        self._check_state('filed')
        self._record_court_step(
            'order_granted', ['order_date'], _("Enter the date the judge signed the order."),
            lambda case: _lt("Injunction order signed on %(date)s; serve it before %(deadline)s.",
                             date=case.order_date, deadline=case.serve_deadline))
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
            lambda case: _lt("Order served on %(date)s; opposition possible until %(deadline)s.",
                             date=case.service_date, deadline=case.opposition_deadline))
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
            if case.opposition_note:
                case._log_event(_lt("No opposition within the month: the order has the effects of a contradictory "
                                    "judgment (CPC 1422). %s", case.opposition_note))
            else:
                case._log_event(_lt("No opposition within the month: the order has the effects of a contradictory "
                                    "judgment (CPC 1422)."))
        self._recovery_done_todos(_("The order is enforceable."), types=(COURT_TODO,))
        return True

    def action_close(self):
        """Close with the reason given in ``close_reason`` (context default: abandoned)."""
        reason = self.env.context.get('close_reason') or 'abandoned'
        for case in self.filtered(lambda c: c.state != 'closed'):
            case.write({'state': 'closed', 'close_reason': reason})
            case.move_ids._recovery_leave_case(
                'closed' if reason in ('paid', 'settled', 'written_off') else 'running')
            note = _lt("Case closed: %s.", SelectionValue('debt.recovery.case', 'close_reason', reason))
            case._log_event(note)
            # nothing is left to do on a closed case: its to-dos end with the reason
            case._recovery_done_todos(self.env['debt.recovery.event']._note_text(note),
                                      channels=('formal_notice', 'injunction'), types=(NOTICE_TODO, COURT_TODO))
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
