"""The case (dossier): a debtor's overdue invoices gathered for the formal notice
(mise en demeure, C. civ. 1344) and, failing payment, the injunction to pay
(injonction de payer, CPC 1405-1425), with the evidence and the court deadlines."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.fr_format import format_fr_amount, format_fr_date, fr_days

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
    ('insolvency', "Insolvency proceedings"),
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
    notice_delay_text = fields.Char(compute='_compute_texts')
    court_label = fields.Char(compute='_compute_texts')

    # --- formal notice (mise en demeure) ----------------------------------------
    notice_letter_date = fields.Date("Letter Date", readonly=True, copy=False,
                                     help="Date of the letter, set when the manager validates it.")
    notice_delay = fields.Integer("Days Given", readonly=True, copy=False,
                                  help="The company's delay when the letter was validated: the letter gives the "
                                       "debtor this many days from its receipt.")
    notice_deadline = fields.Date("Payment Deadline", readonly=True, copy=False,
                                  help="Receipt of the letter + the days given, moved to the next working day of the "
                                       "debtor's place (CPC 641-642). Known once the receipt is recorded.")
    notice_validated_by = fields.Many2one('res.users', readonly=True, copy=False)
    notice_attachment_id = fields.Many2one('ir.attachment', string="Letter PDF", readonly=True, copy=False)
    notice_letter_pages = fields.Integer(
        readonly=True, copy=False, help="Pages of the letter itself in the letter PDF (the copies of the invoices follow).")
    notice_date = fields.Date("Posted On", tracking=True, copy=False, help="Date the registered letter was posted.")
    lrar_number = fields.Char("LRAR Number", tracking=True, copy=False,
                              help="Number of the registered letter with acknowledgement of receipt.")
    receipt_status = fields.Selection(
        [('signed', "Signed by the debtor"), ('unclaimed', "Returned unclaimed"), ('refused', "Refused")],
        string="Letter Came Back", tracking=True, copy=False,
        help="What the post returned: the acknowledgement signed, or the letter itself, unclaimed (« pli avisé et "
             "non réclamé ») or refused. A letter returned unclaimed or refused still puts the debtor on notice "
             "(Cass. 1re civ., 20 January 2021, n° 19-20.680).")
    receipt_date = fields.Date("Receipt Signed On", tracking=True, copy=False,
                               help="Date on the acknowledgement of receipt (AR).")
    presentation_date = fields.Date("First Presented On", tracking=True, copy=False,
                                    help="Date the post first presented the letter (on the returned envelope).")
    received_date = fields.Date("Received On", compute='_compute_received_date', store=True,
                                help="When the debtor is deemed to have received the formal notice: the signature "
                                     "of the acknowledgement, else the first presentation of a letter returned "
                                     "unclaimed or refused (module convention).")
    receipt_attachment_id = fields.Many2one('ir.attachment', string="Receipt Scan", copy=False,
                                            help="The signed acknowledgement, or the returned envelope.")
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
    court_file_warning = fields.Char(
        compute='_compute_court_file_warning',
        help="An exhibit the court file should produce and cannot: attach it before printing the file.")

    # --- route, court, limitation ----------------------------------------------
    recommended_route = fields.Selection(ROUTES, compute='_compute_route')
    route_reason = fields.Text(compute='_compute_route')
    court_type = fields.Selection(
        [('commercial', "Commercial court (tribunal de commerce / des activités économiques)"),
         ('judicial', "Judicial court (tribunal judiciaire)")], compute='_compute_route')
    court_reason = fields.Text(compute='_compute_route')
    court_note = fields.Text("Court Notes", compute='_compute_route',
                             help="Tribunal des activités économiques, contribution pour la justice économique.")
    cerfa = fields.Char("Form", compute='_compute_route')
    small_claims_available = fields.Boolean(compute='_compute_route')
    limitation_date = fields.Date("Time-barred On", compute='_compute_route',
                                  help="2 years against a consumer (C. conso L218-2) from the completion of the work "
                                       "or service, 5 years between businesses (C. com. L110-4) from the due date, "
                                       "unless interrupted.")
    is_time_barred = fields.Boolean(compute='_compute_route')
    disputed_move_ids = fields.Many2many('account.move', compute='_compute_route')

    # --- after the order ---------------------------------------------------------
    filing_date = fields.Date("Filed On", tracking=True, copy=False)
    court_name = fields.Char("Court", tracking=True,
                             help="The court the request is addressed to, as printed in its heading, e.g. "
                                  "« Tribunal de commerce de Lyon ».")
    order_date = fields.Date("Order Signed On", tracking=True, copy=False)
    order_attachment_id = fields.Many2one('ir.attachment', string="Order Scan", copy=False)
    bailiff_id = fields.Many2one('res.partner', string="Commissaire de justice", tracking=True)
    service_date = fields.Date("Served On", tracking=True, copy=False)
    service_mode = fields.Selection(
        [('person', "To the debtor in person (à personne)"),
         ('other', "Otherwise (à domicile, à étude, procès-verbal)")], string="Served", tracking=True, copy=False)
    personal_act_date = fields.Date(
        "First Act in Person / Seizure On", tracking=True, copy=False,
        help="When the order was not served in person: the first act served to the debtor in person, or the first "
             "enforcement measure making the debtor's property unavailable (CPC 1416 al. 2).")
    serve_deadline = fields.Date("Serve Before", compute='_compute_court_deadlines', store=True,
                                 help="The order lapses if not served within 6 months (CPC 1411).")
    opposition_deadline = fields.Date(
        "Opposition Ends", compute='_compute_court_deadlines', store=True,
        help="One month from service (CPC 1416 al. 1), plus the distance months of CPC 643-644: until then the "
             "order cannot be enforced (CPC 1422).")
    opposition_final_deadline = fields.Date(
        "Opposition Open Until", compute='_compute_court_deadlines', store=True,
        help="Not served in person: opposition stays open until one month after the first act served in person or "
             "the first enforcement measure making the debtor's property unavailable (CPC 1416 al. 2).")
    opposition_note = fields.Char(compute='_compute_opposition_note')
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
    @api.depends('move_ids.amount_residual', 'received_date', 'partner_id')
    def _compute_amounts(self):
        table = self.env['debt.recovery.rate']._get_table()
        for case in self:
            case.amount_principal = sum(case.move_ids.mapped('amount_residual'))
            case.amount_penalty = case.amount_indemnity = 0.0
            case.amount_warning = False
            for move in case.move_ids:
                try:
                    result = move.with_context(recovery_case_receipt_date=case.received_date)._recovery_penalty(
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

    @api.depends('state', 'receipt_status', 'receipt_attachment_id', 'notice_attachment_id', 'move_ids')
    def _compute_court_file_warning(self):
        court_file = self.env['report.l10n_fr_debt_recovery.report_injunction_request']
        for case in self:
            missing = court_file._missing_exhibits(case) if case.state not in ('draft', 'closed') else []
            case.court_file_warning = _("Missing from the court file: %s.", "; ".join(missing)) if missing else False

    @api.depends('receipt_status', 'receipt_date', 'presentation_date')
    def _compute_received_date(self):
        for case in self:
            case.received_date = case.presentation_date if case.receipt_status in ('unclaimed', 'refused') \
                else case.receipt_date

    @api.depends('amount_total', 'notice_deadline', 'notice_delay', 'company_id.recovery_notice_delay', 'court_type')
    def _compute_texts(self):
        for case in self:
            case.amount_total_text = format_fr_amount(case.amount_total, case.currency_id.name)
            case.notice_deadline_text = format_fr_date(case.notice_deadline) if case.notice_deadline else ''
            case.notice_delay_text = fr_days(case.notice_delay or case.company_id.recovery_notice_delay or 8)
            case.court_label = "tribunal de commerce" if case.court_type == 'commercial' else "tribunal judiciaire"

    @api.depends('enforcement_ids.amount', 'enforcement_ids.kind')
    def _compute_enforcement(self):
        for case in self:
            case.amount_recovered = sum(case.enforcement_ids.filtered(lambda e: e.kind == 'recovered').mapped('amount'))
            case.amount_fees = sum(case.enforcement_ids.filtered(lambda e: e.kind == 'fee').mapped('amount'))

    # -------------------------------------------------------------------------
    # Constraints
    # -------------------------------------------------------------------------
    @api.constrains('move_ids', 'partner_id', 'company_id')
    def _check_moves(self):
        """A case claims posted customer invoices of its debtor in its company: a draft
        or cancelled invoice is owed by nobody, a credit note is owed to the customer."""
        for case in self:
            other = case.move_ids.filtered(lambda m: m.commercial_partner_id != case.partner_id.commercial_partner_id)
            if other:
                raise ValidationError(_("%s belong to another customer: a case gathers the invoices of one debtor.",
                                        ", ".join(other.mapped('name'))))
            other = case.move_ids.filtered(lambda m: m.company_id != case.company_id)
            if other:
                raise ValidationError(_(
                    "%(invoices)s belong to another company than the case %(case)s (%(company)s): a case claims "
                    "the invoices of one creditor.", invoices=", ".join(other.mapped('display_name')),
                    case=case.name, company=case.company_id.name))
            not_claims = case.move_ids.filtered(lambda m: m.move_type != 'out_invoice' or m.state != 'posted')
            if not_claims and case.state != 'closed':
                raise ValidationError(_(
                    "%(invoices)s cannot be claimed in the case %(case)s: only posted customer invoices are owed "
                    "(a draft or cancelled invoice is owed by nobody, a credit note is owed to the customer).",
                    invoices=", ".join(not_claims.mapped('display_name')), case=case.name))
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
    def _recovery_is_draft_document(self):
        """The formal notice is a draft until it is validated."""
        self.ensure_one()
        return self.state == 'draft'

    def _recovery_is_draft_court_file(self):
        """The court file is a draft until the case says it is ready to be filed."""
        self.ensure_one()
        return self.state in ('draft', 'notice_ready', 'notice_sent', 'deadline_passed')

    def _log_event(self, note, channel='system'):
        """One event per invoice of the case (the history the court file is built
        from), through the invoices' status owner; a note on the case. ``note`` is a text
        or a lazy translation (``_lt``), kept so that the history is written in French."""
        Event = self.env['debt.recovery.event'].sudo()
        for case in self:
            if case.move_ids:
                case.move_ids._recovery_change(event_type='case', note=note,
                                               event_vals={'case_id': case.id, 'channel': channel})
            else:
                Event.create({
                    'event_type': 'case', 'case_id': case.id, 'partner_id': case.partner_id.id,
                    'company_id': case.company_id.id, 'channel': channel, 'currency_id': case.currency_id.id,
                    **Event._note_vals(note)})
            case.message_post(body=Event._note_text(note))

    def _check_manager(self):
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise UserError(_("Only a recovery manager can do this: formal notices and court files commit the company."))

    def _check_state(self, *states):
        for case in self:
            if case.state not in states:
                labels = dict(self._fields['state']._description_selection(self.env))
                raise UserError(_("The case %(case)s is “%(state)s”: this step is not possible now.",
                                  case=case.name, state=labels[case.state]))

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
