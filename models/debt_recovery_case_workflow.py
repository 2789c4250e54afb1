"""The life of a case: formal notice, receipt, court file, order, service,
enforcement, closing (C. civ. 1344, CPC 1405-1425). Each transition checks what a
court would check, writes the case and records the events on its invoices."""
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools import legal_dates
from .debt_recovery_case import CLOSE_REASONS


class DebtRecoveryCase(models.Model):
    _inherit = 'debt.recovery.case'

    # -------------------------------------------------------------------------
    # Transitions
    # -------------------------------------------------------------------------
    def action_validate_notice(self):
        """Validate the formal notice: freeze the address, date the letter, compute
        the deadline, render and keep the PDF."""
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
            partner = case.partner_id
            case.write({
                'recipient_name': partner.name,
                'recipient_street': partner.street,
                'recipient_street2': partner.street2,
                'recipient_zip': partner.zip,
                'recipient_city': partner.city,
                'recipient_country_id': partner.country_id.id,
                'notice_letter_date': today,
                'notice_deadline': legal_dates.formal_notice_deadline(
                    today, case.company_id.recovery_notice_delay, alsace_moselle=case._is_alsace_moselle()),
                'notice_validated_by': self.env.uid,
                'state': 'notice_ready',
            })
            case.notice_attachment_id = self.env['ir.actions.report']._recovery_attachment(
                'l10n_fr_debt_recovery.action_report_formal_notice', case, "Mise en demeure %s" % case.name,
                pdf_only=True)
            case._log_event(_("Formal notice validated; payment deadline %s.",
                              format_date(self.env, case.notice_deadline)), channel='formal_notice')
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
        self._check_state('notice_sent', 'deadline_passed')
        for case in self:
            if not case.receipt_date:
                raise UserError(_("Enter the date written on the acknowledgement of receipt."))
            if case.receipt_date < case.notice_date:
                raise UserError(_("The receipt cannot be signed before the letter was posted."))
            case._log_event(_("Acknowledgement of receipt signed on %s.", format_date(self.env, case.receipt_date)),
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
                'l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice', user_id=case.user_id.id,
                summary=_("Deadline passed: prepare the court file"), date_deadline=today)
        return True

    def _check_court_file(self):
        """Refuse a court file that a judge would reject."""
        for case in self:
            if not case.receipt_date:
                raise UserError(_("The case %s has no proof of receipt of the formal notice: record the "
                                  "acknowledgement of receipt first.", case.name))
            if case.disputed_move_ids:
                raise UserError(_("%s are disputed: an injunction to pay is for uncontested claims; choose a "
                                  "summons to pay.", ", ".join(case.disputed_move_ids.mapped('name'))))
            if case.is_time_barred:
                raise UserError(_("The claim is time-barred since %s: a court would dismiss it.",
                                  format_date(self.env, case.limitation_date)))
            if not case.amount_principal:
                raise UserError(_("Nothing is due any more on the case %s.", case.name))

    def action_prepare_court_file(self):
        self._check_manager()
        self._check_state('deadline_passed')
        self._check_court_file()
        self.state = 'court_file_ready'
        self._log_event(_("Court file for an injunction to pay prepared."), channel='injunction')
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
        """A to-do for the case's responsible: ``what(case)`` gives its summary and date."""
        for case in self:
            summary, deadline = what(case)
            case.activity_schedule('mail.mail_activity_data_todo', user_id=case.user_id.id,
                                   summary=summary, date_deadline=deadline)

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
            'order_served', ['service_date', 'bailiff_id'], _("Enter the commissaire de justice and the service date."),
            lambda case: _("Order served on %(date)s; opposition possible until %(deadline)s.",
                           date=format_date(self.env, case.service_date),
                           deadline=format_date(self.env, case.opposition_deadline)))
        self._schedule_court_todo(lambda case: (
            _("Opposition period ends: request the enforcement formula"), case.opposition_deadline))
        return True

    def action_enforceable(self):
        self._check_state('order_served')
        today = fields.Date.context_today(self)
        for case in self:
            if case.opposition_deadline >= today:
                raise UserError(_("The debtor may still oppose until %s.",
                                  format_date(self.env, case.opposition_deadline)))
            case.state = 'enforceable'
            case._log_event(_("No opposition: the order has the effects of a judgment (CPC 1422)."))
        return True

    def action_close(self):
        """Close with the reason given in ``close_reason`` (context default: abandoned)."""
        reason = self.env.context.get('close_reason') or 'abandoned'
        for case in self.filtered(lambda c: c.state != 'closed'):
            case.write({'state': 'closed', 'close_reason': reason})
            case.move_ids._recovery_leave_case(
                'closed' if reason in ('paid', 'settled', 'written_off') else 'running')
            case._log_event(_("Case closed: %s.", dict(CLOSE_REASONS)[reason]))
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
