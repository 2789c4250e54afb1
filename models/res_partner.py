from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date, formatLang
from odoo.tools.translate import _lt

from stdnum.fr import siren, siret, tva

from ..tools import court, legal_dates, penalty


def _format_siren(number):
    return " ".join((number[:3], number[3:6], number[6:9]))


def _siren_of(registry, vat):
    """SIREN from a SIRET/SIREN registry number or a French VAT number (FRkk + SIREN)."""
    number = (registry or '').replace(' ', '')
    if number.isdigit() and len(number) in (9, 14) and siren.is_valid(number[:9]):
        return _format_siren(number[:9])
    vat = (vat or '').replace(' ', '').upper()
    if vat.startswith('FR') and tva.is_valid(vat) and vat[4:].isdigit():
        return _format_siren(vat[4:])
    return False

DEBTOR_TYPES = [
    ('professional', "Professional"),
    ('consumer', "Consumer"),
]


class ResPartner(models.Model):
    _inherit = 'res.partner'

    recovery_debtor_type = fields.Selection(
        DEBTOR_TYPES, string="Debtor Type", compute='_compute_recovery_debtor_type',
        store=True, readonly=False, precompute=True, recursive=True,
        help="A professional debtor owes late-payment penalties and the 40 EUR indemnity by law "
             "(C. com. L441-10); a consumer owes moratory interest only after a formal notice.")
    recovery_plan_id = fields.Many2one(
        'debt.recovery.plan', string="Reminder Plan", company_dependent=True,
        help="Empty: the company's default plan.")
    recovery_blocked = fields.Boolean(
        "Never Remind", company_dependent=True,
        help="No reminder of any kind is sent to this customer.")
    recovery_suspended = fields.Boolean(
        "Work Suspended", company_dependent=True,
        help="Work is suspended under the exception d'inexécution (C. civ. 1219).")
    recovery_pause_until = fields.Date(
        "Reminders Paused Until", company_dependent=True,
        help="No reminder is sent to this customer before this date; they resume by themselves on it.")
    recovery_pause_reason = fields.Char("Pause Reason", company_dependent=True)
    recovery_is_agency = fields.Boolean("Collection Agency", help="This partner recovers debts for you.")
    recovery_agency_commission = fields.Float("Agency Commission (%)", digits=(5, 2))
    recovery_penalty_rate = fields.Float(
        "Contractual Penalty Rate (%)", digits=(6, 2), company_dependent=True,
        help="Overrides the company's contractual rate for this customer; 0 uses the company's.")

    recovery_insolvency_date = fields.Date(
        "Insolvency Proceedings Opened On", company_dependent=True,
        help="Opening judgment of safeguard, receivership or liquidation proceedings: the invoices issued "
             "before it are no longer reminded, their interest stops on that day (C. com. L622-28), invoices due "
             "after it owe no 40 EUR indemnity (L441-10 II) and claims must be declared (L622-24).")
    recovery_bodacc_date = fields.Date(
        "Judgment Published at the BODACC On", company_dependent=True,
        help="Publication of the opening judgment at the BODACC: the deadline to declare the claim runs "
             "from it (C. com. R622-24).")
    recovery_declaration_deadline = fields.Date(
        "Declare the Claim By", company_dependent=True, compute='_compute_recovery_declaration_deadline',
        store=True, readonly=True,
        help="2 months after the BODACC publication, 4 when the company is not in the territory of the court "
             "(outside metropolitan France for a court there), moved to the next working day "
             "(C. com. R622-24). A declaration sent by post is on time when sent by that day.")
    recovery_mandataire_id = fields.Many2one(
        'res.partner', string="Mandataire Judiciaire / Liquidator", company_dependent=True,
        help="Who receives the declaration of claim: the mandataire judiciaire appointed by the opening "
             "judgment, or the liquidator in a liquidation (C. com. L622-24, L641-3).")
    recovery_declaration_date = fields.Date(
        "Claim Declared On", company_dependent=True,
        help="Date the declaration of claim was sent to the mandataire judiciaire or liquidator.")
    recovery_declaration_attachment_id = fields.Many2one(
        'ir.attachment', string="Declaration of Claim", company_dependent=True, readonly=True,
        help="The declaration of claim as sent, kept as evidence.")
    recovery_penalty_rate_warning = fields.Char(compute='_compute_recovery_penalty_rate_warning')
    recovery_legal_form = fields.Selection(
        [(key, label) for key, (label, __, __) in court.LEGAL_FORMS.items()], string="Legal Form",
        help="Decides the competent court (C. com. L721-3): commercial companies by form, registered traders and "
             "craftsmen go to the commercial court; civil companies, professional-practice companies (SEL), "
             "associations, liberal professions and farmers to the tribunal judiciaire.")
    recovery_legal_form_code = fields.Char("INSEE Legal Category", compute='_compute_recovery_legal_form_code')
    recovery_court_override = fields.Selection(
        [('commercial', "Commercial court"), ('judicial', "Tribunal judiciaire")], string="Court (Override)",
        help="Set only when the legal form does not decide the court right (e.g. a company whose activity is "
             "civil); the case says the choice was made by hand.")
    recovery_siren = fields.Char("SIREN", compute='_compute_recovery_siren',
                                 help="From the company registry number (SIRET/SIREN) or the French VAT number.")
    recovery_rcs = fields.Char("RCS", help="Trade register entry, e.g. RCS Lyon 123 456 789.")

    # Values for the reminder templates: the invoices of one message are passed
    # in the context by the engine, so one template renders one e-mail per debtor.
    recovery_mail_move_ids = fields.Many2many(
        'account.move', compute='_compute_recovery_mail_values', string="Invoices of the Reminder")
    recovery_mail_total = fields.Char(compute='_compute_recovery_mail_values', string="Total Due of the Reminder")
    recovery_mail_step_id = fields.Many2one('debt.recovery.step', compute='_compute_recovery_mail_values')
    recovery_mail_invoice_count = fields.Integer(compute='_compute_recovery_mail_values')
    recovery_mail_penalty_total = fields.Char(compute='_compute_recovery_mail_penalties')
    recovery_mail_indemnity_total = fields.Char(compute='_compute_recovery_mail_penalties')
    recovery_mail_company_id = fields.Many2one('res.company', compute='_compute_recovery_mail_values',
                                               string="Creditor of the Reminder")

    @api.depends('is_company', 'vat', 'parent_id.recovery_debtor_type')
    def _compute_recovery_debtor_type(self):
        for partner in self:
            if partner.parent_id:
                partner.recovery_debtor_type = partner.parent_id.recovery_debtor_type or 'professional'
            elif partner.is_company or partner.vat:
                partner.recovery_debtor_type = 'professional'
            elif not partner.recovery_debtor_type:
                partner.recovery_debtor_type = 'consumer'

    @api.depends_context('recovery_move_ids', 'recovery_moves_by_partner', 'recovery_step_id', 'company')
    def _compute_recovery_mail_values(self):
        """The invoices of the message come from the context: ``recovery_move_ids`` for
        one debtor, ``recovery_moves_by_partner`` ((partner id, (move ids)), ...) when the
        engine renders the e-mails of several debtors at once."""
        ctx = self.env.context
        Move = self.env['account.move']
        by_partner = dict(ctx.get('recovery_moves_by_partner') or ())
        moves = Move.browse(ctx.get('recovery_move_ids') or [id_ for ids in by_partner.values() for id_ in ids])
        step = self.env['debt.recovery.step'].browse(ctx.get('recovery_step_id'))
        for partner in self:
            if by_partner:
                own = Move.browse(by_partner.get(partner.id, ())).with_prefetch(moves._prefetch_ids)
            else:
                own = moves.filtered(lambda m: m.commercial_partner_id == partner.commercial_partner_id)
            own = own.sorted(lambda m: (m.recovery_due_date or m.invoice_date_due, m.name))
            partner.recovery_mail_move_ids = own
            partner.recovery_mail_step_id = step
            partner.recovery_mail_company_id = self.env.company
            partner.recovery_mail_invoice_count = len(own)
            partner.recovery_mail_total = own._recovery_format_total('amount_residual')

    @api.depends_context('recovery_move_ids', 'recovery_moves_by_partner', 'company')
    def _compute_recovery_mail_penalties(self):
        # apart from the other values: only the templates that quote the penalties pay for them
        for partner in self:
            own = partner.recovery_mail_move_ids
            penalty = own._recovery_format_total('recovery_penalty_amount')
            partner.recovery_mail_penalty_total = penalty if any(own.mapped('recovery_penalty_amount')) else False
            partner.recovery_mail_indemnity_total = own._recovery_format_total('recovery_indemnity_amount')

    @api.depends('recovery_legal_form')
    def _compute_recovery_legal_form_code(self):
        for partner in self:
            form = court.LEGAL_FORMS.get(partner.recovery_legal_form)
            partner.recovery_legal_form_code = form[1] if form else False

    def _recovery_legal_form_label(self):
        """The legal form as printed in court documents: its short name (SARL, SAS...)."""
        self.ensure_one()
        form = court.LEGAL_FORMS.get(self.recovery_legal_form)
        return form[0].split(' (')[0] if form else ''

    @api.depends('recovery_bodacc_date', 'country_id', 'zip')
    def _compute_recovery_declaration_deadline(self):
        """C. com. R622-24, for the current company (the field is company-dependent): the
        court sits at the debtor's place (at the creditor's for a debtor abroad, as for a
        case); the creditor is the company (a later move of the company is not followed:
        enter the BODACC date again)."""
        company = self.env.company
        creditor = legal_dates.place_of(company.country_id.code, company.zip)
        for partner in self:
            if not partner.recovery_bodacc_date:
                partner.recovery_declaration_deadline = False
                continue
            court_place = legal_dates.place_of(partner.country_id.code, partner.zip)
            if court_place == legal_dates.ABROAD:
                court_place = creditor
            partner.recovery_declaration_deadline = legal_dates.claim_declaration_deadline(
                partner.recovery_bodacc_date, creditor, court_place)

    @api.constrains('recovery_bodacc_date', 'recovery_insolvency_date', 'recovery_declaration_date')
    def _check_recovery_bodacc_date(self):
        """The judgment, its publication and the declaration of claim happened, in that
        order (a claim may be declared before the publication, not before the judgment)."""
        today = fields.Date.context_today(self)
        for partner in self:
            opening, bodacc = partner.recovery_insolvency_date, partner.recovery_bodacc_date
            declared = partner.recovery_declaration_date
            if opening and opening > today:
                raise ValidationError(_(
                    "%(partner)s: the opening judgment (%(date)s) cannot be in the future: enter it once it is "
                    "delivered.", partner=partner.display_name, date=format_date(self.env, opening)))
            if bodacc and bodacc > today:
                raise ValidationError(_("%(partner)s: the BODACC publication (%(date)s) cannot be in the future.",
                                        partner=partner.display_name, date=format_date(self.env, bodacc)))
            if declared and declared > today:
                raise ValidationError(_("%(partner)s: the claim cannot be declared in the future (%(date)s).",
                                        partner=partner.display_name, date=format_date(self.env, declared)))
            if bodacc and opening and bodacc < opening:
                raise ValidationError(_("The BODACC publication (%(bodacc)s) cannot precede the opening judgment "
                                        "(%(opening)s).", bodacc=format_date(self.env, bodacc),
                                        opening=format_date(self.env, opening)))
            if declared and not opening:
                raise ValidationError(_("%s: a claim is declared in insolvency proceedings: enter the date of the "
                                        "opening judgment first.", partner.display_name))
            if declared and declared < opening:
                raise ValidationError(_(
                    "%(partner)s: the claim cannot be declared (%(declared)s) before the opening judgment "
                    "(%(opening)s).", partner=partner.display_name, declared=format_date(self.env, declared),
                    opening=format_date(self.env, opening)))

    @api.constrains('recovery_pause_until')
    def _check_recovery_pause_until(self):
        """A pause of the customer's reminders ends today or later."""
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.recovery_pause_until and partner.recovery_pause_until < today:
                raise ValidationError(_(
                    "%(partner)s: reminders cannot be paused until %(date)s, a date already past.",
                    partner=partner.display_name, date=format_date(self.env, partner.recovery_pause_until)))

    @api.constrains('recovery_agency_commission')
    def _check_recovery_agency_commission(self):
        for partner in self:
            if not 0 <= partner.recovery_agency_commission <= 100:
                raise ValidationError(_(
                    "%(agency)s: the agency's commission is a share of what it recovers, between 0 %% and 100 %%; "
                    "%(rate)s %% is not one.", agency=partner.display_name, rate=partner.recovery_agency_commission))

    @api.depends('company_registry', 'vat')
    def _compute_recovery_siren(self):
        for partner in self:
            partner.recovery_siren = _siren_of(partner.company_registry, partner.vat)

    @api.constrains('company_registry')
    def _check_recovery_siret(self):
        for partner in self:
            number = (partner.company_registry or '').replace(' ', '')
            if partner.country_id.code == 'FR' and number.isdigit() and len(number) in (9, 14):
                validator = siren if len(number) == 9 else siret
                if not validator.is_valid(number):
                    raise ValidationError(_("%(number)s is not a valid %(kind)s number (check digit).",
                                            number=partner.company_registry,
                                            kind="SIREN" if len(number) == 9 else "SIRET"))

    @api.constrains('recovery_penalty_rate')
    def _check_recovery_penalty_rate(self):
        for partner in self:
            self._recovery_check_rate(partner.recovery_penalty_rate)

    @api.model
    def _recovery_check_rate(self, rate):
        """A contractual rate is a percentage a court could apply (0 = the default)."""
        if rate < 0 or rate > 100:
            raise ValidationError(_(
                "The contractual penalty rate must lie between 0 %% (legal default) and 100 %%; "
                "%s %% is not a rate a court would apply.", rate))

    @api.depends('recovery_penalty_rate')
    def _compute_recovery_penalty_rate_warning(self):
        for partner in self:
            partner.recovery_penalty_rate_warning = self._recovery_rate_floor_warning(partner.recovery_penalty_rate)

    @api.model
    def _recovery_rate_floor_warning(self, rate):
        """A contractual rate below 3 x the legal rate of the current half-year is not
        applied: the floor is (C. com. L441-10 II)."""
        if not rate:
            return False
        year, half = penalty.half_year(fields.Date.context_today(self))
        try:
            floor = penalty.floor_rate(year, half, self.env['debt.recovery.rate']._get_table())
        except penalty.MissingRateError as error:
            return self.env['debt.recovery.rate']._missing_rate_message(error)
        if rate < floor:
            return _("%(rate)s %% is below the legal floor of %(year)s-H%(half)s (3 x the legal interest rate = "
                     "%(floor)s %%): the floor applies instead.", rate=f"{rate:.2f}", year=year, half=half,
                     floor=f"{floor:.2f}")
        return False

    def _recovery_get_plan(self, company):
        """The plan that applies to this debtor in ``company``."""
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(company)
        return partner.recovery_plan_id or company.recovery_plan_id

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered('recovery_bodacc_date')._recovery_schedule_declaration()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if 'recovery_insolvency_date' in vals:
            self.env['account.move']._recovery_sync_insolvency(self.commercial_partner_id, self.env.company)
            if not vals['recovery_insolvency_date']:
                # the proceedings are cleared: there is no claim to declare any more
                self.sudo()._recovery_declaration_todos().unlink()
        if vals.get('recovery_bodacc_date'):
            self._recovery_schedule_declaration()
        if 'recovery_plan_id' in vals:
            moves = self.env['account.move'].sudo().search([
                ('commercial_partner_id', 'in', self.commercial_partner_id.ids),
                ('recovery_state', 'in', ('running', 'paused')),
            ])
            moves._recovery_recompute_schedule()
        return res

    def _recovery_declaration_todos(self, user=None):
        activity_type = self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_claim_declaration')
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', 'in', self.ids),
            ('activity_type_id', '=', activity_type.id)])
        return activities.filtered(lambda a: a.user_id == user) if user else activities

    def _recovery_schedule_declaration(self):
        """The BODACC date is entered: a to-do "declare the claim", due on the deadline, for the
        company's formal-notice manager (else the call to-do receiver), once: a corrected date moves
        its deadline, a claim already declared needs none."""
        company = self.env.company
        user = company.recovery_notice_user_id or company.recovery_call_user_id or self.env.user
        activity_type = self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_claim_declaration')
        for partner in self.with_company(company):
            if not partner.recovery_insolvency_date or not partner.recovery_bodacc_date \
                    or partner.recovery_declaration_date:
                continue
            deadline = partner.recovery_declaration_deadline
            todo = partner._recovery_declaration_todos(user)
            if todo:
                todo.sudo().write({'date_deadline': deadline})
                continue
            partner.sudo().activity_schedule(
                activity_type_id=activity_type.id, user_id=user.id, date_deadline=deadline,
                summary=_("Declare the claim to the mandataire judiciaire"),
                note=_("Insolvency proceedings opened on %(opening)s, published at the BODACC on %(bodacc)s: "
                       "%(company)s must declare its claim by %(deadline)s (C. com. L622-24, R622-24), with "
                       "the button Declare the claim.",
                       opening=format_date(self.env, partner.recovery_insolvency_date),
                       bodacc=format_date(self.env, partner.recovery_bodacc_date),
                       company=company.name, deadline=format_date(self.env, deadline)))

    def action_recovery_declare_claim(self):
        """Déclaration de créance (C. com. L622-24, L622-25, R622-23): render the French
        declaration to the mandataire, keep it on the customer as evidence, record the date
        it is sent, log it on the customer and on each declared invoice, close the to-do."""
        self.ensure_one()
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise AccessError(_("Only a recovery manager can declare a claim: the declaration commits the "
                                "company."))
        company = self.env.company
        partner = self.commercial_partner_id.with_company(company)
        document = self.env['report.l10n_fr_debt_recovery.report_claim_declaration']
        declaration = document._declaration(partner)  # refuses what cannot be declared, before rendering
        report = self.env.ref('l10n_fr_debt_recovery.action_report_claim_declaration')
        attachment = self.env['ir.actions.report']._recovery_attachment(
            report, partner, "Déclaration de créance - %s" % partner.name)
        today = fields.Date.context_today(self)
        partner.sudo().write({'recovery_declaration_date': today,
                              'recovery_declaration_attachment_id': attachment.id})
        total = formatLang(self.env, declaration['total'], currency_obj=declaration['currency'])
        note = _("Claim of %(total)s declared to %(mandataire)s (insolvency proceedings opened on %(opening)s): "
                 "%(invoices)s.", total=total, mandataire=declaration['mandataire'].display_name,
                 opening=format_date(self.env, declaration['opening']),
                 invoices=", ".join(line['move'].name for line in declaration['lines']))
        partner.sudo().message_post(body=note, attachment_ids=attachment.ids)
        moves = self.env['account.move'].union(*(line['move'] for line in declaration['lines']))
        moves.sudo()._recovery_change(event_type='declaration', note=_lt(
            "Claim declared to %(mandataire)s on %(date)s.", mandataire=declaration['mandataire'].display_name,
            date=today))
        partner._recovery_declaration_todos().action_feedback(feedback=_("Claim declared."))
        return {
            'type': 'ir.actions.act_url',
            'url': '/web/content/%s?download=true' % attachment.id,
            'target': 'self',
        }

    def action_open_recovery_events(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _("Recovery History"),
            'res_model': 'debt.recovery.event',
            'view_mode': 'list,form',
            'domain': [('partner_id', '=', self.commercial_partner_id.id)],
        }
