"""Suspension of work (exception d'inexécution, C. civ. 1219) in two steps.

1. A last warning (wizard ``debt.recovery.suspend``): the customer is told, by e-mail
   and by a French letter kept on its record, to pay the invoices due by a short
   deadline, failing which work is suspended the next day; when the contract is to be
   terminated, the letter is the formal notice of C. civ. 1226 (it says that failing
   payment the creditor may terminate the contract) and goes by registered post.
2. The suspension itself, when the deadline has passed unpaid: by the daily run
   (``_recovery_apply_due_suspensions``), or at once by a manager (*Suspend now*).

``recovery_suspended`` (declared in res_partner.py) is what the banners and the Sales
bridge read. Every step is an event ``suspension`` on each invoice concerned, through
``account.move._recovery_change``.
"""
from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

# Invoices that cannot ground a suspension: a contested invoice (the customer's
# non-performance is not established), and claims frozen by insolvency proceedings.
NOT_GROUNDS = ('disputed', 'insolvency')
SUSPENSION_REPORT = 'l10n_fr_debt_recovery.action_report_suspension_notice'


class ResPartner(models.Model):
    _inherit = 'res.partner'

    recovery_suspension_warning_date = fields.Date(
        "Suspension Announced On", company_dependent=True, readonly=True,
        help="Date of the last warning before the suspension of work (C. civ. 1219).")
    recovery_suspension_deadline = fields.Date(
        "Suspension Deadline", company_dependent=True, readonly=True,
        help="Last day to pay: unless the invoices due are paid by then, work is suspended the next day.")
    recovery_suspension_terminate = fields.Boolean(
        "Termination Announced", company_dependent=True, readonly=True,
        help="The warning also said that failing payment the contract may be terminated (C. civ. 1226).")

    @api.constrains('recovery_suspension_warning_date', 'recovery_suspension_deadline',
                    'recovery_suspension_terminate')
    def _check_recovery_suspension_deadline(self):
        """The last deadline comes after the warning; a warning that announces the
        termination gives a reasonable time (C. civ. 1226), at least 8 days."""
        for partner in self:
            warned, deadline = partner.recovery_suspension_warning_date, partner.recovery_suspension_deadline
            if not (warned and deadline):
                continue
            if deadline <= warned:
                raise ValidationError(_(
                    "%(partner)s: the last deadline (%(deadline)s) must come after the warning (%(warned)s).",
                    partner=partner.display_name, deadline=format_date(self.env, deadline),
                    warned=format_date(self.env, warned)))
            if partner.recovery_suspension_terminate and (deadline - warned).days < 8:
                raise ValidationError(_("A notice that announces the termination of the contract must give a "
                                        "reasonable time (C. civ. 1226): at least 8 days."))

    # -------------------------------------------------------------------------
    # What grounds the suspension
    # -------------------------------------------------------------------------
    def _recovery_suspension_moves(self, company, before):
        """The customer's invoices in ``company`` due before ``before`` and still unpaid,
        that can ground a suspension (not disputed, not frozen by insolvency)."""
        self.ensure_one()
        return self.env['account.move'].search([
            ('commercial_partner_id', '=', self.commercial_partner_id.id), ('company_id', '=', company.id),
            ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
            ('payment_state', 'in', ('not_paid', 'partial')),
            ('recovery_due_date', '<', before), ('recovery_state', 'not in', NOT_GROUNDS),
        ], order='recovery_due_date, name')

    # -------------------------------------------------------------------------
    # Step 1: the warning
    # -------------------------------------------------------------------------
    def _recovery_warn_suspension(self, moves, deadline, terminate=False, send_mail=True):
        """Record and send the last warning before the suspension of work.

        :param moves: the invoices due that ground it
        :param deadline: last day to pay; work is suspended the next day
        :param terminate: the warning is also the formal notice of C. civ. 1226
        :param send_mail: e-mail the notice (with the letter) to the customer
        :return: the letter kept on the customer (ir.attachment)
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        today = fields.Date.context_today(self)
        if not moves:
            raise UserError(_("%s owes nothing overdue: there is no reason to suspend the work.",
                              partner.display_name))
        if deadline <= today:
            raise UserError(_("The last deadline must be a date after today."))
        if terminate and (deadline - today).days < 8:
            raise UserError(_("A notice that announces the termination of the contract must give a reasonable time "
                              "(C. civ. 1226): at least 8 days."))
        if send_mail and not partner.email:
            raise UserError(_("%s has no e-mail address: untick the e-mail and send the letter by post.",
                              partner.display_name))
        partner.sudo().with_company(company).write({
            'recovery_suspension_warning_date': today,
            'recovery_suspension_deadline': deadline,
            'recovery_suspension_terminate': terminate,
        })
        letter = self.env['ir.actions.report'].with_company(company)._recovery_attachment(
            SUSPENSION_REPORT, partner, "Avis de suspension des prestations %s %s" % (partner.name, today),
            recovery_evidence='correspondence')
        if send_mail:
            template = self.env.ref('l10n_fr_debt_recovery.mail_template_suspension_notice')
            template.sudo().with_company(company).with_context(
                recovery_move_ids=moves.ids, recovery_suspension_deadline=deadline,
                recovery_suspension_start=fields.Date.add(deadline, days=1),
                recovery_suspension_terminate=terminate,
            ).send_mail(partner.id, email_values={'attachment_ids': [Command.link(a) for a in letter.ids]})
        note = _("Suspension of work announced (exception d'inexécution, C. civ. 1219): %(count)s invoice(s) due, "
                 "%(total)s; without payment by %(deadline)s, work is suspended from %(start)s.",
                 count=len(moves), total=moves._recovery_format_total('amount_residual'),
                 deadline=format_date(self.env, deadline),
                 start=format_date(self.env, fields.Date.add(deadline, days=1)))
        if terminate:
            note += " " + _("The notice says that failing payment the contract may be terminated (C. civ. 1226).")
        partner.sudo().message_post(body=note, attachment_ids=letter.ids)
        moves._recovery_change(event_type='suspension', note=note)
        return letter

    def action_recovery_print_suspension_notice(self):
        """The letter of the pending warning, to send by registered post."""
        self.ensure_one()
        return self.env.ref(SUSPENSION_REPORT).report_action(self.commercial_partner_id)

    def action_recovery_withdraw_suspension_warning(self):
        """The announced suspension will not happen (an arrangement was found); logged."""
        self._recovery_check_user()
        company = self.env.company
        for partner in self.commercial_partner_id.sudo().with_company(company):
            if not partner.recovery_suspension_deadline or partner.recovery_suspended:
                continue
            moves = partner._recovery_suspension_moves(company, partner.recovery_suspension_warning_date)
            partner._recovery_clear_warning()
            note = _("Announced suspension of work withdrawn by %s.", self.env.user.name)
            partner.message_post(body=note)
            moves._recovery_change(event_type='suspension', note=note)
        return True

    # -------------------------------------------------------------------------
    # Step 2: the suspension
    # -------------------------------------------------------------------------
    def _recovery_suspend(self, moves, note):
        """Suspend the work for this customer in the current company, with its evidence."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo().with_company(self.env.company)
        partner.recovery_suspended = True
        partner.message_post(body=note)
        moves._recovery_change(event_type='suspension', note=note)

    def action_recovery_suspend_now(self):
        """A recovery manager suspends the work at once, without waiting for the deadline."""
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise AccessError(_("Only recovery managers can suspend the work at once."))
        company = self.env.company
        today = fields.Date.context_today(self)
        for partner in self.commercial_partner_id:
            if partner.with_company(company).recovery_suspended:
                continue
            moves = partner._recovery_suspension_moves(company, today)
            if not moves:
                raise UserError(_("%s owes nothing overdue: there is no reason to suspend the work.",
                                  partner.display_name))
            partner._recovery_suspend(moves, _(
                "Work suspended at once by %(user)s (exception d'inexécution, C. civ. 1219): %(count)s invoice(s) "
                "due, %(total)s.", user=self.env.user.name, count=len(moves),
                total=moves._recovery_format_total('amount_residual')))
        return True

    @api.model
    def _recovery_apply_due_suspensions(self, today=None):
        """The daily run: the warnings whose deadline has passed. Still unpaid: the work
        is suspended; paid (or only disputed invoices left): the warning ends.

        :return: the customers suspended (one recordset for all companies)
        """
        today = today or fields.Date.context_today(self)
        suspended = self.browse()
        for company in self.env['res.company'].sudo().search([]):
            Partner = self.sudo().with_company(company)
            for partner in Partner.search([('recovery_suspension_deadline', '<', today),
                                           ('recovery_suspended', '=', False)]):
                moves = partner._recovery_suspension_moves(company, partner.recovery_suspension_warning_date)
                if moves:
                    partner._recovery_suspend(moves, _(
                        "Work suspended (exception d'inexécution, C. civ. 1219): the deadline of %(deadline)s "
                        "passed with %(count)s invoice(s) unpaid, %(total)s.",
                        deadline=format_date(self.env, partner.recovery_suspension_deadline), count=len(moves),
                        total=moves._recovery_format_total('amount_residual')))
                    suspended |= partner
                else:
                    partner._recovery_clear_warning()
                    partner.message_post(body=_("The invoices named in the suspension notice are paid: the work "
                                                "goes on."))
        return suspended

    # -------------------------------------------------------------------------
    # Lifting, and what a suspension refuses
    # -------------------------------------------------------------------------
    def _recovery_clear_warning(self):
        self.write({'recovery_suspension_warning_date': False, 'recovery_suspension_deadline': False,
                    'recovery_suspension_terminate': False})

    def action_recovery_lift_suspension(self):
        """Work resumes for this customer; the lifting is logged."""
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_user'):
            raise UserError(_("Only debt recovery users can lift a suspension of work."))
        for partner in self.sudo():
            partner.with_company(self.env.company).recovery_suspended = False
            partner.message_post(body=_("Suspension of work lifted by %s.", self.env.user.name))
            moves = self.env['account.move'].search([
                ('commercial_partner_id', '=', partner.id), ('company_id', '=', self.env.company.id),
                ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
                ('payment_state', 'in', ('not_paid', 'partial'))])
            moves._recovery_change(event_type='suspension', note=_("Suspension of work lifted."))
            # lifting also ends a pending warning
            partner.with_company(self.env.company)._recovery_clear_warning()
        return True


    def _recovery_check_not_suspended(self, company, what):
        """Refuse to serve a suspended customer, unless a recovery manager decides to."""
        partner = self.commercial_partner_id.with_company(company)
        if not partner.recovery_suspended:
            return True
        if self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            return False
        raise UserError(_("Work is suspended for %(partner)s (unpaid invoices, exception d'inexécution): %(what)s "
                          "is refused. A recovery manager can confirm it.", partner=partner.display_name, what=what))

    # -------------------------------------------------------------------------
    # Insolvency proceedings: the declaration of claim (C. com. L622-24, L622-25, R622-24)
    # -------------------------------------------------------------------------

    def _recovery_check_user(self):
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_user'):
            raise AccessError(_("Only debt recovery users can change a suspension of work."))
