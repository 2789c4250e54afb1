"""The case (dossier): a debtor's overdue invoices gathered for the formal notice
(mise en demeure, C. civ. 1344) and, failing payment, the injunction to pay
(injonction de payer, CPC 1405-1425), with the evidence and the court deadlines."""
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, pdf

from ..tools import legal_dates

CASE_STATES = [
    ('draft', "Draft"),
    ('notice_ready', "Letter validated"),
    ('notice_sent', "Notice sent"),
    ('deadline_passed', "Deadline passed"),
    ('court_file_ready', "Court file ready"),
    ('filed', "Filed"),
    ('order_granted', "Order granted"),
    ('order_served', "Order served"),
    ('enforceable', "Enforceable"),
    ('closed', "Closed"),
]
CLOSE_REASONS = [
    ('paid', "Paid"),
    ('settled', "Settled"),
    ('agency', "Handed to a collection agency"),
    ('written_off', "Written off"),
    ('abandoned', "Abandoned"),
]
OPEN_CASE_STATES = [s for s, __ in CASE_STATES if s != 'closed']
ROUTES = [
    ('injunction', "Injunction to pay (injonction de payer)"),
    ('referral', "Summary proceedings for an advance (référé-provision)"),
    ('summons', "Summons to pay (assignation en paiement)"),
]


class DebtRecoveryCase(models.Model):
    _name = 'debt.recovery.case'
    _description = 'Debt Recovery Case'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'id desc'
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default='/')
    company_id = fields.Many2one('res.company', required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one('res.currency', required=True, default=lambda self: self.env.company.currency_id)
    partner_id = fields.Many2one('res.partner', string="Debtor", required=True, index=True, tracking=True,
                                 domain="[('parent_id', '=', False)]")
    debtor_type = fields.Selection(related='partner_id.recovery_debtor_type', string="Debtor Type")
    user_id = fields.Many2one('res.users', string="Responsible", default=lambda self: self.env.user, tracking=True)
    move_ids = fields.Many2many(
        'account.move', 'debt_recovery_case_move_rel', 'case_id', 'move_id', string="Invoices",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('commercial_partner_id', '=', partner_id),"
               " ('company_id', '=', company_id)]", check_company=True)
    state = fields.Selection(CASE_STATES, default='draft', required=True, tracking=True, index=True, copy=False,
                             group_expand=True)
    close_reason = fields.Selection(CLOSE_REASONS, tracking=True, copy=False)
    event_ids = fields.One2many('debt.recovery.event', 'case_id', string="Events")

    # --- amounts claimed -----------------------------------------------------
    amount_principal = fields.Monetary("Principal Due", compute='_compute_amounts')
    amount_penalty = fields.Monetary("Penalties to Date", compute='_compute_amounts')
    amount_indemnity = fields.Monetary("Recovery Indemnities", compute='_compute_amounts')
    amount_total = fields.Monetary("Total Claimed", compute='_compute_amounts')
    amount_warning = fields.Char(compute='_compute_amounts')
    # texts for the editable letter template (French formatting)
    amount_total_text = fields.Char(compute='_compute_texts')
    notice_deadline_text = fields.Char(compute='_compute_texts')
    court_label = fields.Char(compute='_compute_texts')

    # --- formal notice (mise en demeure) ----------------------------------------
    notice_letter_date = fields.Date("Letter Date", readonly=True, copy=False,
                                     help="Date of the letter, set when the manager validates it.")
    notice_deadline = fields.Date("Payment Deadline", readonly=True, copy=False,
                                  help="Letter date + the company's delay, moved to the next working day (CPC 642).")
    notice_validated_by = fields.Many2one('res.users', readonly=True, copy=False)
    notice_attachment_id = fields.Many2one('ir.attachment', string="Letter PDF", readonly=True, copy=False)
    notice_date = fields.Date("Posted On", tracking=True, copy=False, help="Date the registered letter was posted.")
    lrar_number = fields.Char("LRAR Number", tracking=True, copy=False,
                              help="Number of the registered letter with acknowledgement of receipt.")
    receipt_date = fields.Date("Receipt Signed On", tracking=True, copy=False,
                               help="Date on the acknowledgement of receipt (AR).")
    receipt_attachment_id = fields.Many2one('ir.attachment', string="Receipt Scan", copy=False)
    notice_copy_by_email = fields.Boolean("Send a Copy by E-mail", default=True)
    notice_mail_id = fields.Many2one('mail.mail', readonly=True, copy=False)
    # the address is frozen on the case when the letter is validated (evidence)
    recipient_name = fields.Char(readonly=True, copy=False)
    recipient_street = fields.Char(readonly=True, copy=False)
    recipient_street2 = fields.Char(readonly=True, copy=False)
    recipient_zip = fields.Char(readonly=True, copy=False)
    recipient_city = fields.Char(readonly=True, copy=False)
    recipient_country_id = fields.Many2one('res.country', readonly=True, copy=False)
    address_warning = fields.Char(compute='_compute_address_warning')

    # --- route, court, limitation ----------------------------------------------
    recommended_route = fields.Selection(ROUTES, compute='_compute_route')
    route_reason = fields.Text(compute='_compute_route')
    court_type = fields.Selection(
        [('commercial', "Commercial court (tribunal de commerce / des activités économiques)"),
         ('judicial', "Judicial court (tribunal judiciaire)")], compute='_compute_route')
    court_reason = fields.Text(compute='_compute_route')
    cerfa = fields.Char("Form", compute='_compute_route')
    small_claims_available = fields.Boolean(compute='_compute_route')
    limitation_date = fields.Date("Time-barred On", compute='_compute_route',
                                  help="2 years against a consumer (C. conso L218-2), 5 years between businesses "
                                       "(C. com. L110-4), from the oldest due date, unless interrupted.")
    is_time_barred = fields.Boolean(compute='_compute_route')
    disputed_move_ids = fields.Many2many('account.move', compute='_compute_route')

    # --- after the order ---------------------------------------------------------
    filing_date = fields.Date("Filed On", tracking=True, copy=False)
    court_name = fields.Char("Court", tracking=True)
    order_date = fields.Date("Order Signed On", tracking=True, copy=False)
    order_attachment_id = fields.Many2one('ir.attachment', string="Order Scan", copy=False)
    bailiff_id = fields.Many2one('res.partner', string="Commissaire de justice", tracking=True)
    service_date = fields.Date("Served On", tracking=True, copy=False)
    serve_deadline = fields.Date("Serve Before", compute='_compute_court_deadlines', store=True,
                                 help="The order lapses if not served within 6 months (CPC 1411).")
    opposition_deadline = fields.Date("Opposition Ends", compute='_compute_court_deadlines', store=True,
                                      help="The debtor may oppose within 1 month of service (CPC 1416).")
    enforcement_ids = fields.One2many('debt.recovery.case.enforcement', 'case_id', string="Enforcement")
    amount_recovered = fields.Monetary("Recovered by Enforcement", compute='_compute_enforcement')
    amount_fees = fields.Monetary("Enforcement Fees", compute='_compute_enforcement')

    _one_open_case_per_debtor = models.UniqueIndex(
        "(company_id, partner_id) WHERE state != 'closed'",
        "This debtor already has a case in progress: add the invoices to it.")

    # -------------------------------------------------------------------------
    # Computes
    # -------------------------------------------------------------------------
    @api.depends_context('date')
    @api.depends('move_ids.amount_residual', 'receipt_date', 'partner_id')
    def _compute_amounts(self):
        table = self.env['debt.recovery.rate']._get_table()
        for case in self:
            case.amount_principal = sum(case.move_ids.mapped('amount_residual'))
            case.amount_penalty = case.amount_indemnity = 0.0
            case.amount_warning = False
            for move in case.move_ids:
                try:
                    result = move.with_context(recovery_case_receipt_date=case.receipt_date)._recovery_penalty(
                        table=table)
                except UserError as error:
                    case.amount_warning = error.args[0]
                    continue
                case.amount_penalty += result['penalty']
                case.amount_indemnity += result['indemnity']
            case.amount_total = case.amount_principal + case.amount_penalty + case.amount_indemnity

    @api.depends('partner_id.street', 'partner_id.zip', 'partner_id.city', 'partner_id.country_id')
    def _compute_address_warning(self):
        for case in self:
            partner = case.partner_id
            missing = [label for label, value in ((_("street"), partner.street), (_("postal code"), partner.zip),
                                                  (_("city"), partner.city), (_("country"), partner.country_id))
                       if not value]
            case.address_warning = _(
                "The debtor's postal address is incomplete (%s): the formal notice cannot be sent by registered "
                "letter.", ", ".join(missing)) if missing else False

    @api.depends('move_ids.recovery_state', 'move_ids.recovery_due_date', 'partner_id', 'debtor_type')
    def _compute_route(self):
        today = fields.Date.context_today(self)
        for case in self:
            disputed = case.move_ids.filtered(lambda m: m.recovery_state == 'disputed' or m.recovery_dispute_reason)
            case.disputed_move_ids = disputed
            due_dates = [d for d in case.move_ids.mapped('invoice_date_due') if d]
            debtor_type = case.debtor_type or 'professional'
            case.limitation_date = due_dates and legal_dates.limitation_date(min(due_dates), debtor_type)
            case.is_time_barred = bool(case.limitation_date and case.limitation_date < today)
            case.small_claims_available = legal_dates.small_claims_eligible(
                case.amount_principal + case.amount_penalty)
            if debtor_type == 'professional' and case.partner_id.is_company:
                case.court_type = 'commercial'
                case.cerfa = "Cerfa 12946*02"
                case.court_reason = _(
                    "Between businesses the claim is commercial: the president of the tribunal de commerce (or of "
                    "the tribunal des activités économiques in the pilot courts) of the place where the debtor is "
                    "established (CPC 1406). The request can be filed online through Infogreffe / Tribunal Digital.")
            else:
                case.court_type = 'judicial'
                case.cerfa = "Cerfa 12948*06"
                case.court_reason = _(
                    "The debtor is not a trader: the tribunal judiciaire of the place where the debtor lives "
                    "(CPC 1406).")
            if disputed:
                case.recommended_route = 'summons'
                case.route_reason = _(
                    "The debtor contests %s: a summons to pay (assignation en paiement) before the court, where the "
                    "dispute is judged; an injunction would meet an opposition.", ", ".join(disputed.mapped('name')))
            else:
                case.recommended_route = 'injunction'
                case.route_reason = _(
                    "An uncontested claim of a fixed amount resulting from a contract (CPC 1405): the injunction to "
                    "pay is quick, written and cheap. If time matters and the debt is not seriously contestable, a "
                    "référé-provision (CPC 835 / 873) is an alternative.")

    @api.depends('order_date', 'service_date', 'partner_id.country_id')
    def _compute_court_deadlines(self):
        for case in self:
            case.serve_deadline = case.order_date and legal_dates.injunction_serve_deadline(case.order_date)
            case.opposition_deadline = case.service_date and legal_dates.opposition_deadline(case.service_date)

    @api.depends('enforcement_ids.amount', 'enforcement_ids.kind')
    def _compute_enforcement(self):
        for case in self:
            case.amount_recovered = sum(case.enforcement_ids.filtered(lambda e: e.kind == 'recovered').mapped('amount'))
            case.amount_fees = sum(case.enforcement_ids.filtered(lambda e: e.kind == 'fee').mapped('amount'))

    # -------------------------------------------------------------------------
    # Constraints
    # -------------------------------------------------------------------------
    @api.constrains('move_ids', 'partner_id')
    def _check_moves(self):
        for case in self:
            other = case.move_ids.filtered(lambda m: m.commercial_partner_id != case.partner_id.commercial_partner_id)
            if other:
                raise ValidationError(_("%s belong to another customer: a case gathers the invoices of one debtor.",
                                        ", ".join(other.mapped('name'))))
            disputed = case.move_ids.filtered('recovery_dispute_reason')
            if disputed and case.state != 'closed':
                raise ValidationError(_(
                    "%s are disputed: resolve the dispute or remove them from the case before going further.",
                    ", ".join(disputed.mapped('name'))))

    # -------------------------------------------------------------------------
    # CRUD
    # -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get('name', '/') == '/':
                company = self.env['res.company'].browse(vals.get('company_id')) or self.env.company
                vals['name'] = self.env['ir.sequence'].with_company(company).next_by_code('debt.recovery.case') or '/'
        cases = super().create(vals_list)
        cases.move_ids._recovery_enter_case()
        return cases

    def write(self, vals):
        before = {case: case.move_ids for case in self} if 'move_ids' in vals else {}
        res = super().write(vals)
        for case, old in before.items():
            (case.move_ids - old)._recovery_enter_case()
            (old - case.move_ids)._recovery_leave_case()
        return res

    @api.model
    def _recovery_open_for(self, company, partner, moves):
        """The debtor's case in progress, created if needed, with ``moves`` and every
        other overdue, undisputed invoice of the debtor added while it is a draft."""
        return self._recovery_open_for_many([(company, partner, moves)])[0]

    @api.model
    def _recovery_open_for_many(self, requests):
        """``_recovery_open_for`` for many debtors at once: one search of the cases
        in progress, one of the overdue invoices, one creation of the missing cases.

        :param requests: ``[(company, partner, moves)]``, one per debtor
        :return: the cases, in the order of ``requests``
        """
        if not requests:
            return []
        companies = self.env['res.company'].union(*(company for company, __, __ in requests))
        partners = self.env['res.partner'].union(*(partner for __, partner, __ in requests))
        open_cases = {}
        for case in self.search([('company_id', 'in', companies.ids), ('partner_id', 'in', partners.ids),
                                 ('state', '!=', 'closed')]):
            # the newest case first (_order), as a search with limit=1 would find it
            open_cases.setdefault((case.company_id.id, case.partner_id.id), case)
        overdue = {}
        for move in self.env['account.move'].search([
            ('company_id', 'in', companies.ids), ('commercial_partner_id', 'in', partners.ids),
            ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
            ('payment_state', 'in', ('not_paid', 'partial')),
            ('recovery_state', 'in', ('running', 'paused')),
            ('recovery_due_date', '<', fields.Date.context_today(self)),
        ]):
            overdue.setdefault((move.company_id.id, move.commercial_partner_id.id), []).append(move.id)
        to_create, to_link = {}, {}
        for company, partner, moves in requests:
            key = (company.id, partner.id)
            moves = (moves | moves.browse(overdue.get(key, ()))).filtered(lambda m: not m.recovery_dispute_reason)
            case = open_cases.get(key)
            if not case:
                to_create[key] = to_create.get(key, moves.browse()) | moves
            elif case.state == 'draft' and moves - case.move_ids:
                to_link[case] = to_link.get(case, moves.browse()) | (moves - case.move_ids)
        for case, moves in to_link.items():
            case.move_ids = [fields.Command.link(m.id) for m in moves]
        if to_create:
            vals_list = []
            for (company_id, partner_id), moves in to_create.items():
                company = companies.browse(company_id)
                user = company.recovery_notice_user_id or company.recovery_call_user_id or self.env.user
                vals_list.append({
                    'company_id': company_id, 'partner_id': partner_id, 'user_id': user.id,
                    'currency_id': (moves[:1].currency_id or company.currency_id).id,
                    'move_ids': [fields.Command.set(moves.ids)],
                })
            # the events and the to-do record the opening: no "created" note on top
            created = self.with_context(mail_create_nolog=True).create(vals_list)
            open_cases.update(zip(to_create, created))
        return [open_cases[company.id, partner.id] for company, partner, __ in requests]

    # -------------------------------------------------------------------------
    # Events
    # -------------------------------------------------------------------------
    def _log_event(self, note, channel='system'):
        """One event per invoice of the case: the history the court file is built from."""
        vals = []
        for case in self:
            for move in case.move_ids or [False]:
                vals.append({
                    'event_type': 'case',
                    'case_id': case.id,
                    'move_id': move and move.id,
                    'partner_id': case.partner_id.id,
                    'company_id': case.company_id.id,
                    'channel': channel,
                    'origin': 'manual',
                    'amount_residual': move and move.amount_residual,
                    'currency_id': case.currency_id.id,
                    'note': note,
                })
        self.env['debt.recovery.event'].sudo().create(vals)
        for case in self:
            case.message_post(body=note)

    def _check_manager(self):
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise UserError(_("Only a recovery manager can do this: formal notices and court files commit the company."))

    def _check_state(self, *states):
        for case in self:
            if case.state not in states:
                labels = dict(CASE_STATES)
                raise UserError(_("The case %(case)s is “%(state)s”: this step is not possible now.",
                                  case=case.name, state=labels[case.state]))

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
            case.notice_attachment_id = case._render_attachment(
                'l10n_fr_debt_recovery.action_report_formal_notice', _("Formal notice %s.pdf", case.name))
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

    def action_mark_filed(self):
        self._check_manager()
        self._check_state('court_file_ready')
        for case in self:
            if not case.filing_date:
                raise UserError(_("Enter the date the request was filed."))
            case.state = 'filed'
            case._log_event(_("Request filed on %s.", format_date(self.env, case.filing_date)), channel='injunction')
        return True

    def action_order_granted(self):
        self._check_manager()
        self._check_state('filed')
        for case in self:
            if not case.order_date:
                raise UserError(_("Enter the date the judge signed the order."))
            case.state = 'order_granted'
            case._log_event(_("Injunction order signed on %(date)s; serve it before %(deadline)s.",
                              date=format_date(self.env, case.order_date),
                              deadline=format_date(self.env, case.serve_deadline)), channel='injunction')
            # warn a month before the order lapses (CPC 1411)
            case.activity_schedule(
                'mail.mail_activity_data_todo', user_id=case.user_id.id,
                summary=_("Serve the injunction order before %s or it lapses",
                          format_date(self.env, case.serve_deadline)),
                date_deadline=case.serve_deadline - relativedelta(months=1))
        return True

    def action_order_served(self):
        self._check_state('order_granted')
        for case in self:
            if not case.service_date or not case.bailiff_id:
                raise UserError(_("Enter the commissaire de justice and the service date."))
            if case.service_date > case.serve_deadline:
                raise UserError(_("Served after %s: the order has lapsed (CPC 1411).",
                                  format_date(self.env, case.serve_deadline)))
            case.state = 'order_served'
            case._log_event(_("Order served on %(date)s; opposition possible until %(deadline)s.",
                              date=format_date(self.env, case.service_date),
                              deadline=format_date(self.env, case.opposition_deadline)), channel='injunction')
            case.activity_schedule(
                'mail.mail_activity_data_todo', user_id=case.user_id.id,
                summary=_("Opposition period ends: request the enforcement formula"),
                date_deadline=case.opposition_deadline)
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
            case.move_ids.filtered(lambda m: m.recovery_state == 'case').sudo()._recovery_stop(
                'closed' if reason in ('paid', 'settled', 'written_off') else 'running')
            case._log_event(_("Case closed: %s.", dict(CLOSE_REASONS)[reason]))
        return True

    def _recovery_check_paid(self):
        """A full payment closes the case."""
        for case in self.filtered(lambda c: c.state != 'closed'):
            if case.move_ids and all(m.payment_state in ('paid', 'in_payment', 'reversed') for m in case.move_ids):
                case.with_context(close_reason='paid').action_close()

    @api.model
    def _cron_update_cases(self):
        today = fields.Date.context_today(self)
        cases = self.search([('state', '=', 'notice_sent'), ('notice_deadline', '<', today)])
        cases._recovery_check_paid()
        cases.filtered(lambda c: c.state == 'notice_sent').action_deadline_passed()

    # -------------------------------------------------------------------------
    # Documents
    # -------------------------------------------------------------------------
    def _is_alsace_moselle(self):
        self.ensure_one()
        zip_code = (self.partner_id.zip or '')[:2]
        return self.partner_id.country_id.code == 'FR' and zip_code in ('57', '67', '68')

    def _render_attachment(self, report_ref, name):
        self.ensure_one()
        content, report_type = self.env['ir.actions.report'].sudo().with_context(
            report_pdf_no_attachment=True)._render_qweb_pdf(report_ref, self.ids)
        if report_type != 'pdf':
            # test mode renders HTML: keep no PDF that is not one
            return self.env['ir.attachment']
        return self.env['ir.attachment'].sudo().create({
            'name': name, 'raw': content, 'mimetype': 'application/pdf',
            'res_model': self._name, 'res_id': self.id,
        })

    def _send_notice_copy(self):
        self.ensure_one()
        template = self.env.ref('l10n_fr_debt_recovery.mail_template_formal_notice_copy')
        values = {'attachment_ids': [fields.Command.link(a.id) for a in self.notice_attachment_id]}
        template.with_context(lang=self.partner_id.lang).send_mail(self.id, email_values=values)

    def _notice_lines(self):
        """The rows of the letter and of the request: one per invoice."""
        self.ensure_one()
        table = self.env['debt.recovery.rate']._get_table()
        rows = []
        for move in self.move_ids.sorted(lambda m: (m.invoice_date_due, m.name)):
            result = move.with_context(recovery_case_receipt_date=self.receipt_date)._recovery_penalty(table=table)
            rows.append({'move': move, 'result': result})
        return rows

    def _fmt(self, amount):
        """Amounts in the French way (1 234,56 €): the legal documents are French."""
        return legal_dates.format_fr_amount(amount, self.currency_id.name)

    @api.model
    def _fr_date(self, value):
        return legal_dates.format_fr_date(value)

    def _rate_text(self, lines):
        """The rate that applies and why, in French, for the letter."""
        segments = [seg for line in lines for seg in line['result']['segments']]
        if not segments:
            return ''
        seg = segments[-1]
        reason = {
            'default': "taux de refinancement de la BCE majoré de 10 points",
            'contractual': "taux contractuel",
            'floor': "trois fois le taux d'intérêt légal, plancher légal",
            'legal': "taux d'intérêt légal",
        }.get(seg['rate_reason'], '')
        return "%s %% (%s)" % (("%.2f" % seg['rate']).replace('.', ','), reason)

    def _letter_date_long(self):
        return self._fr_date(self.notice_letter_date or fields.Date.context_today(self))

    def _notice_body(self):
        """The company's wording of the demand (editable mail template), rendered in French."""
        self.ensure_one()
        template = self.company_id.recovery_notice_template_id or self.env.ref(
            'l10n_fr_debt_recovery.mail_template_formal_notice_body')
        return template.with_context(lang=self._doc_lang())._render_field('body_html', self.ids)[self.id]

    def _doc_lang(self):
        """Legal documents are French: French when the language is installed (the
        texts are written in French anyway)."""
        return 'fr_FR' if self.env['res.lang']._lang_get('fr_FR') else (self.env.lang or 'en_US')

    @api.depends('amount_total', 'notice_deadline', 'notice_letter_date', 'court_type')
    def _compute_texts(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.amount_total_text = case._fmt(case.amount_total)
            deadline = case.notice_deadline or legal_dates.formal_notice_deadline(
                case.notice_letter_date or today, case.company_id.recovery_notice_delay or 8)
            case.notice_deadline_text = self._fr_date(deadline)
            case.court_label = "tribunal de commerce" if case.court_type == 'commercial' else "tribunal judiciaire"

    def _today(self):
        return fields.Date.context_today(self)

    def _history_events(self):
        """Every recovery event of the case's invoices, oldest first (exhibit: reminder history)."""
        self.ensure_one()
        return self.env['debt.recovery.event'].sudo().search(
            ['|', ('move_id', 'in', self.move_ids.ids), ('case_id', '=', self.id)], order='date, id')

    def _injunction_exhibits(self):
        """The numbered exhibits of the court file, in order. Each is a dict with a
        number, a French title and where its pages come from: an attachment, or a
        report rendered on some records."""
        self.ensure_one()
        Attachment = self.env['ir.attachment'].sudo()
        exhibits = []

        def add(title, **source):
            exhibits.append({'number': len(exhibits) + 1, 'title': title, **source})

        evidence = Attachment.search([
            '|', '&', ('res_model', '=', 'account.move'), ('res_id', 'in', self.move_ids.ids),
            '&', ('res_model', '=', 'res.partner'), ('res_id', '=', self.partner_id.id),
            ('recovery_evidence', '!=', False)], order='id')
        for attachment in evidence.filtered(lambda a: a.recovery_evidence == 'contract'):
            add("Devis signé / contrat : %s" % attachment.name, attachment=attachment)
        for move in self.move_ids.sorted(lambda m: (m.invoice_date, m.name)):
            add("Facture %s du %s" % (move.name, self._fr_date(move.invoice_date)),
                report='account.account_invoices', res_ids=move.ids, attachment=move.invoice_pdf_report_id)
        add("Historique des relances", report='l10n_fr_debt_recovery.action_report_recovery_history',
            res_ids=self.ids)
        add("Mise en demeure du %s (LRAR %s)" % (self._fr_date(self.notice_letter_date), self.lrar_number or ''),
            attachment=self.notice_attachment_id,
            report='l10n_fr_debt_recovery.action_report_formal_notice', res_ids=self.ids)
        if self.receipt_attachment_id:
            add("Avis de réception signé le %s" % self._fr_date(self.receipt_date), attachment=self.receipt_attachment_id)
        for attachment in evidence.filtered(lambda a: a.recovery_evidence == 'correspondence'):
            add("Correspondance : %s" % attachment.name, attachment=attachment)
        return exhibits

    def _pdf_parts(self, report_name):
        """What follows the main document in the merged PDF, as (title, stream):
        the invoices after the letter, the exhibits after the request."""
        self.ensure_one()
        Report = self.env['ir.actions.report'].sudo()
        if report_name == 'l10n_fr_debt_recovery.report_formal_notice':
            exhibits = [{'title': move.name, 'report': 'account.account_invoices', 'res_ids': move.ids,
                         'attachment': move.invoice_pdf_report_id} for move in self.move_ids]
        else:
            exhibits = self._injunction_exhibits()
        parts = []
        for exhibit in exhibits:
            stream = exhibit.get('attachment') and pdf.to_pdf_stream(exhibit['attachment'])
            if not stream and exhibit.get('report'):
                stream = Report._recovery_render_one(exhibit['report'], exhibit['res_ids'])
            if stream:
                parts.append((exhibit['title'], stream))
        return parts

    def action_print_notice(self):
        return self.env.ref('l10n_fr_debt_recovery.action_report_formal_notice').report_action(self)

    def action_print_court_file(self):
        self._check_manager()
        self._check_court_file()
        return self.env.ref('l10n_fr_debt_recovery.action_report_injunction_file').report_action(self)

    def action_open_invoices(self):
        return {
            'type': 'ir.actions.act_window', 'name': _("Invoices"), 'res_model': 'account.move',
            'view_mode': 'list,form', 'domain': [('id', 'in', self.move_ids.ids)],
        }


class DebtRecoveryCaseEnforcement(models.Model):
    _name = 'debt.recovery.case.enforcement'
    _description = 'Enforcement Step of a Case'
    _order = 'date, id'

    case_id = fields.Many2one('debt.recovery.case', required=True, ondelete='cascade', index=True)
    currency_id = fields.Many2one(related='case_id.currency_id')
    date = fields.Date(required=True, default=fields.Date.context_today)
    kind = fields.Selection([
        ('request', "Request for enforcement"),
        ('attachment', "Attachment of a bank account (saisie-attribution)"),
        ('recovered', "Amount recovered"),
        ('fee', "Fees"),
        ('other', "Other"),
    ], required=True, default='request')
    amount = fields.Monetary()
    note = fields.Char()
