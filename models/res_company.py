import base64
from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from ..tools.fr_format import format_fr_amount
from ..tools.pdf_stamp import Letterhead

# The business mentions of C. com. L441-9, without the rate: the invoice report adds
# one rate sentence, the contractual rate when there is one, the legal default otherwise
# (account.move._recovery_invoice_rate_sentence). Printed only on business customers'
# invoices, never in the terms and conditions that Odoo copies on every invoice.
DEFAULT_INVOICE_MENTION = (
    "Payment due on the due date shown on this invoice. No discount for early payment. "
    "Any late payment makes due, by right and without reminder, late-payment penalties and a fixed "
    "indemnity for recovery costs of 40 euros (C. com. L441-10 II and D441-5)."
)
DEFAULT_INVOICE_MENTION_FR = (
    "Paiement à la date d'échéance indiquée sur la facture. Pas d'escompte pour paiement anticipé. "
    "Tout retard de paiement rend exigibles de plein droit, sans rappel, des pénalités de retard et une "
    "indemnité forfaitaire pour frais de recouvrement de 40 euros (C. com. L441-10 II et D441-5)."
)


class ResCompany(models.Model):
    _inherit = 'res.company'

    recovery_plan_id = fields.Many2one(
        'debt.recovery.plan', string="Default Reminder Plan",
        default=lambda self: self.env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default', raise_if_not_found=False),
        help="Plan followed by the customers that have none of their own.")
    recovery_min_amount = fields.Monetary(
        "Minimum Amount to Remind", currency_field='currency_id', default=0.0,
        help="Customers who owe less than this amount in total on overdue invoices are not reminded.")
    recovery_call_user_id = fields.Many2one(
        'res.users', string="Call To-dos For",
        help="Who receives the phone-call to-dos. Empty: the salesperson of the invoice.")
    recovery_notice_user_id = fields.Many2one(
        'res.users', string="Formal Notices Prepared By",
        help="Manager who receives the to-do to prepare a formal notice. Empty: the call to-do receiver.")
    recovery_penalty_rate = fields.Float(
        "Contractual Penalty Rate (%)", digits=(6, 2), default=0.0,
        help="Late-payment penalty rate of your terms of sale. 0 applies the legal default rate "
             "(ECB main refinancing rate + 10 points).")
    recovery_notice_delay = fields.Integer(
        "Formal Notice Delay (days)", default=8,
        help="Days given to the debtor by the formal notice (mise en demeure) to pay, from its receipt; "
             "at least 8 (the custom the module keeps as a minimum).")
    # --- the creditor in court documents (CPC 54, 57) --------------------------
    recovery_representative_name = fields.Char(
        "Legal Representative", help="Who represents the company (its manager, président...), or the person with "
                                     "a delegation, as named in court documents and signing the letters.")
    recovery_representative_capacity = fields.Char(
        "Capacity", help="In which capacity: « gérant », « président », « directeur financier, par délégation »...")
    recovery_share_capital = fields.Monetary(
        "Share Capital", help="The share capital printed in the letterhead of the recovery documents "
                              "(C. com. R123-237, R123-238: a company's documents state its form and capital).")
    recovery_creditor_is_individual = fields.Boolean(
        "The Company Is an Individual Entrepreneur",
        help="A micro-entrepreneur or sole trader: court documents then name the person (CPC 54).")
    recovery_creditor_first_names = fields.Char("First Names")
    recovery_creditor_last_name = fields.Char("Last Name")
    recovery_creditor_profession = fields.Char("Profession")
    recovery_creditor_birth_date = fields.Date("Date of Birth")
    recovery_creditor_birth_place = fields.Char("Place of Birth")
    recovery_creditor_nationality = fields.Char("Nationality", default="française")
    recovery_promise_grace_days = fields.Integer(
        "Promise Grace Period (days)", default=3,
        help="Days after a promised payment date before the promise counts as broken.")
    recovery_call_retry_delay = fields.Integer(
        "Call Retry Delay (days)", default=3, help="When the customer does not answer, call again after this delay.")
    recovery_call_max_retries = fields.Integer(
        "Call Retries", default=2, help="How many times an unanswered call is tried again before moving on.")
    recovery_penalty_freeze = fields.Boolean(
        "Freeze the Rate at the Due Date",
        help="Apply the rate of the due date's half-year to the whole delay instead of splitting it "
             "at 30 June and 31 December.")
    recovery_payment_term_limit = fields.Selection(
        [('60_days', "60 days from the invoice date"),
         ('45_eom_a', "45 days end of month (end of month, then 45 days)"),
         ('45_eom_b', "45 days end of month (45 days, then end of month)")],
        string="Legal Payment Term Limit", default='60_days', required=True,
        help="Maximum payment term agreed with business customers (C. com. L441-10 I); "
             "a later due date shows a warning before posting.")
    recovery_invoice_mention = fields.Text(
        "Late-Payment Mentions", translate=True,
        default=DEFAULT_INVOICE_MENTION,
        help="Printed on the invoices of business customers only (C. com. L441-9): late-payment penalties, "
             "40 EUR indemnity, early-payment discount conditions. The penalty rate follows in its own "
             "sentence (the contractual rate, or the legal default): do not state a rate here.")
    recovery_penalty_rate_warning = fields.Char(compute='_compute_recovery_penalty_rate_warning')
    recovery_title_reservation = fields.Boolean(
        "Reservation of Title Clause",
        help="Our terms of sale include a reservation of title clause: declarations of claims in insolvency "
             "proceedings say that the claim is covered by it.")
    recovery_notice_template_id = fields.Many2one(
        'mail.template', string="Formal Notice Text", domain=[('model', '=', 'debt.recovery.case')],
        help="Wording of the demand in the formal notice letter; empty: the shipped French text.")
    # --- the consumer mediator (C. conso L612-1, L616-1, R616-1) ---------------
    recovery_mediator_name = fields.Char(
        "Consumer Mediator", help="The consumer mediation body the company belongs to (C. conso L612-1), named "
                                  "in the letters to consumers.")
    recovery_mediator_url = fields.Char("Mediator's Website", help="Where a consumer refers a dispute to the "
                                                                   "mediator (C. conso R616-1).")
    recovery_mediator_address = fields.Char("Mediator's Address", help="Postal address of the mediator (optional).")
    # --- collection agencies ------------------------------------------------------
    recovery_agency_export_days = fields.Integer(
        "Keep Agency Exports (days)", default=90,
        help="Days the ZIP handed to a collection agency is kept, then the daily run deletes it (RGPD art. 5.1.e: "
             "the agency has its copy and the claims stay in Odoo); the log of the export, with the file's "
             "SHA-256, is kept.")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._recovery_set_default_mentions()
        return companies

    def _recovery_set_default_mentions(self):
        """The default mentions in French and English. They are printed by the invoice
        report on business customers' invoices only: never added to the terms and
        conditions, which Odoo copies on every invoice, consumers' included (no 40 EUR
        indemnity is due by a consumer, C. com. L441-10 II)."""
        if not self.env['res.lang']._lang_get('fr_FR'):
            return
        for company in self:
            if company.recovery_invoice_mention == DEFAULT_INVOICE_MENTION:
                company.update_field_translations('recovery_invoice_mention', {'fr_FR': DEFAULT_INVOICE_MENTION_FR})

    def _recovery_check_mediator(self, document=None):
        """A consumer must be told who its consumer mediator is (C. conso L612-1, L616-1):
        refuse to send ``document`` (default: a formal notice) to a consumer without it."""
        for company in self:
            if company.recovery_mediator_name and company.recovery_mediator_url:
                continue
            if document:
                raise UserError(_("Set the consumer mediator in Settings > Recouvrement before sending %s to a "
                                  "consumer (C. conso L612-1).", document))
            raise UserError(_("Set the consumer mediator in Settings > Recouvrement before sending a formal notice "
                              "to a consumer (C. conso L612-1)."))

    @api.constrains('recovery_penalty_rate')
    def _check_recovery_penalty_rate(self):
        for company in self:
            self.env['res.partner']._recovery_check_rate(company.recovery_penalty_rate)

    @api.constrains('recovery_notice_delay')
    def _check_recovery_notice_delay(self):
        for company in self:
            if not 8 <= company.recovery_notice_delay <= 90:
                raise ValidationError(_("The formal notice must give the debtor between 8 and 90 days to pay."))

    @api.constrains('recovery_agency_export_days')
    def _check_recovery_agency_export_days(self):
        for company in self:
            if company.recovery_agency_export_days < 1:
                raise ValidationError(_("Agency exports must be kept at least one day."))
    @api.constrains('recovery_min_amount')
    def _check_recovery_min_amount(self):
        for company in self:
            if company.currency_id.compare_amounts(company.recovery_min_amount, 0.0) < 0:
                raise ValidationError(_(
                    "The minimum amount to remind cannot be negative (%s): 0 reminds every customer who owes "
                    "something.", formatLang(self.env, company.recovery_min_amount, currency_obj=company.currency_id)))

    @api.constrains('recovery_promise_grace_days', 'recovery_call_retry_delay', 'recovery_call_max_retries')
    def _check_recovery_delays(self):
        """Delays the engine counts in days: within what a reminder plan can use."""
        for company in self:
            if not 0 <= company.recovery_promise_grace_days <= 30:
                raise ValidationError(_("The grace period after a promised payment date must lie between 0 and 30 "
                                        "days (%s days entered).", company.recovery_promise_grace_days))
            if not 1 <= company.recovery_call_retry_delay <= 30:
                raise ValidationError(_("An unanswered call is tried again after 1 to 30 days (%s days entered).",
                                        company.recovery_call_retry_delay))
            if not 0 <= company.recovery_call_max_retries <= 10:
                raise ValidationError(_("An unanswered call is tried again at most 10 times, and never a negative "
                                        "number of times (%s entered).", company.recovery_call_max_retries))

    @api.constrains('recovery_creditor_birth_date')
    def _check_recovery_creditor_birth_date(self):
        """The individual entrepreneur's date of birth, printed in court documents (CPC 54)."""
        today = fields.Date.context_today(self)
        for company in self:
            birth = company.recovery_creditor_birth_date
            if birth and not date(1900, 1, 1) <= birth < today:
                raise ValidationError(_("The creditor's date of birth (%s) must be a past date, after 1900.",
                                        format_date(self.env, birth)))

    def _recovery_check_creditor_identity(self):
        """What a request to the court must say of the creditor (CPC 54, 57): the person
        (names, profession, birth, nationality) or the company (form, registered office,
        representative)."""
        for company in self:
            if company.recovery_creditor_is_individual:
                required = [(_("first names"), company.recovery_creditor_first_names),
                            (_("last name"), company.recovery_creditor_last_name),
                            (_("profession"), company.recovery_creditor_profession),
                            (_("date of birth"), company.recovery_creditor_birth_date),
                            (_("place of birth"), company.recovery_creditor_birth_place),
                            (_("nationality"), company.recovery_creditor_nationality)]
            else:
                required = [(_("legal form"), company.partner_id.recovery_legal_form),
                            (_("legal representative"), company.recovery_representative_name),
                            (_("capacity"), company.recovery_representative_capacity)]
            required.append((_("registered office address"), company.street and company.zip and company.city))
            missing = [label for label, value in required if not value]
            if missing:
                raise UserError(_("A request to the court names the creditor fully (CPC 54): set %(missing)s in "
                                  "Settings > Recouvrement (and the legal form on the company's contact).",
                                  missing=", ".join(missing)))

    @api.depends('recovery_penalty_rate')
    def _compute_recovery_penalty_rate_warning(self):
        for company in self:
            company.recovery_penalty_rate_warning = self.env['res.partner']._recovery_rate_floor_warning(
                company.recovery_penalty_rate)

    def _recovery_invoice_mention(self):
        """The late-payment mentions in the environment's language: the company's text, or
        the French default when the company kept the default and no French text was
        stored (French installed after the module)."""
        self.ensure_one()
        mention = self.recovery_invoice_mention or ''
        if (self.env.lang or '').startswith('fr') and mention == DEFAULT_INVOICE_MENTION:
            return DEFAULT_INVOICE_MENTION_FR
        return mention

    def _recovery_signatory(self):
        """Who signs the module's letters and requests, as they print it: the individual
        entrepreneur, or the legal representative or the person with a delegation set in
        the settings, with the capacity (« Marie Durand, gérante »); never a login name."""
        self.ensure_one()
        if self.recovery_creditor_is_individual:
            name = " ".join(filter(None, (self.recovery_creditor_first_names, self.recovery_creditor_last_name)))
            if name:
                return name
        elif self.recovery_representative_name:
            return ", ".join(filter(None, (self.recovery_representative_name, self.recovery_representative_capacity)))
        raise UserError(_("Set who signs the recovery letters (the legal representative or the person with a "
                          "delegation, and the capacity) in Settings > Recouvrement."))

    def _recovery_letterhead(self):
        """The company as the top and the foot of every page of its recovery documents
        show it (C. com. R123-237, R123-238: name, legal form, share capital, SIREN and RCS, registered
        office), in French."""
        self.ensure_one()
        partner = self.partner_id
        address = ", ".join(filter(None, (self.street, self.street2, " ".join(filter(None, (self.zip, self.city))))))
        contact = " – ".join(filter(None, (
            self.phone and "Tél. %s" % self.phone, self.email, self.website)))
        identity = [self.name]
        form = partner._recovery_legal_form_label()
        if form:
            identity.append(form + (" au capital de %s" % format_fr_amount(self.recovery_share_capital,
                                                                           self.currency_id.name)
                                    if self.recovery_share_capital else ""))
        if partner.recovery_siren:
            identity.append("SIREN %s" % partner.recovery_siren)
        if partner.recovery_rcs:
            identity.append(partner.recovery_rcs)
        footer = [", ".join(identity)]
        second = ", ".join(filter(None, (address and "Siège : %s" % address,
                                         self.vat and "TVA intracommunautaire %s" % self.vat)))
        if second:
            footer.append(second)
        return Letterhead(name=self.name, header_lines=tuple(filter(None, (address, contact))),
                          footer_lines=tuple(footer), logo=base64.b64decode(self.logo) if self.logo else b'')
