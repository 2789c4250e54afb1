"""Where and how the case goes to court: the route and the competent court (from the
pure decision of ``tools/court.py``, explained in the accountant's words), the
places whose holidays and distances count, and the deadlines after the order
(CPC 1406, 1411, 1416, 1422, 641-644)."""
from odoo import _, api, fields, models

from ..tools import court, legal_dates
from ..tools.fr_format import format_fr_date


class DebtRecoveryCase(models.Model):
    _inherit = 'debt.recovery.case'

    def _places(self):
        """``(debtor's place, court's place)`` for the deadlines (CPC 642-644): the
        court sits at the debtor's place (CPC 1406); for a debtor abroad, at the
        creditor's."""
        self.ensure_one()
        debtor = legal_dates.place_of(self.partner_id.country_id.code, self.partner_id.zip)
        if debtor != legal_dates.ABROAD:
            return debtor, debtor
        creditor = self.company_id.partner_id
        return debtor, legal_dates.place_of(creditor.country_id.code, creditor.zip)

    def _limitation_start(self):
        """The start of the limitation period: the oldest due date between businesses
        (C. com. L110-4), the completion of the oldest work or service for a consumer
        (C. conso L218-2)."""
        self.ensure_one()
        if self.debtor_type == 'consumer':
            dates = [move._recovery_limitation_start() for move in self.move_ids]
        else:
            dates = self.move_ids.mapped('invoice_date_due')
        dates = [d for d in dates if d]
        return min(dates) if dates else None

    @api.depends('move_ids.recovery_state', 'move_ids.recovery_due_date', 'move_ids.recovery_service_date',
                 'partner_id', 'debtor_type', 'partner_id.recovery_legal_form', 'partner_id.recovery_court_override')
    def _compute_route(self):
        today = fields.Date.context_today(self)
        for case in self:
            disputed = case.move_ids.filtered(lambda m: m.recovery_state == 'disputed' or m.recovery_dispute_reason)
            partner = case.partner_id
            decision = court.decide(
                case.debtor_type, partner.recovery_legal_form, partner.is_company, bool(disputed),
                case.amount_principal + case.amount_penalty, case._limitation_start(), today,
                override=partner.recovery_court_override, place=case._places()[0], zip_code=partner.zip)
            case.disputed_move_ids = disputed
            case.limitation_date = decision.limitation_date
            case.is_time_barred = decision.time_barred
            case.small_claims_available = decision.small_claims
            case.court_type = decision.court_type
            case.cerfa = decision.cerfa
            case.court_reason = case._court_reason(decision)
            case.court_note = case._court_note(decision)
            case.recommended_route = decision.route
            case.route_reason = _(
                "The debtor contests %s: a summons to pay (assignation en paiement) before the court, where the "
                "dispute is judged; an injunction would meet an opposition.", ", ".join(disputed.mapped('name'))
            ) if decision.route == 'summons' else _(
                "An uncontested claim of a fixed amount resulting from a contract (CPC 1405): the injunction to "
                "pay is quick, written and cheap. If time matters and the debt is not seriously contestable, a "
                "référé-provision (CPC 835 / 873) is an alternative.")

    def _court_reason(self, decision):
        """Why this court, in the accountant's words."""
        self.ensure_one()
        form = self.partner_id._recovery_legal_form_label()
        reasons = {
            'override': _("Chosen by hand on the customer."),
            'consumer': _("The debtor is a consumer: the tribunal judiciaire."),
            'commercial': _("%s is a commercial company by its form (C. com. L210-1): the commercial court.", form),
            'trader': _("The debtor is a registered trader: the commercial court (C. com. L721-3)."),
            'artisan': _("The debtor is a craftsman: the commercial court (C. com. L721-3)."),
            'sel': _("A professional-practice company (SEL) is civil by its purpose: the tribunal judiciaire, "
                     "despite its commercial form."),
            'civil': _("A civil company (%s) is not a trader: the tribunal judiciaire, even between "
                       "professionals.", form),
            'association': _("An association is not a trader: the tribunal judiciaire."),
            'liberal': _("A liberal profession is not a trader: the tribunal judiciaire."),
            'farmer': _("A farmer is not a trader: the tribunal judiciaire."),
            'public': _("A public body: the tribunal judiciaire (or the administrative court for public "
                        "contracts: check)."),
            'unknown_company': _("The customer's legal form is not set: a company is taken as commercial. Set the "
                                 "legal form on the customer to be sure."),
            'unknown_person': _("The customer's legal form is not set: taken as not a trader, the tribunal "
                                "judiciaire. Set the legal form on the customer to be sure."),
        }
        where = {
            'standard': _("The court of the place where the debtor lives or is established (CPC 1406)."),
            'alsace_moselle': _("In Alsace-Moselle there is no commercial court: the commercial chamber of the "
                                "tribunal judiciaire of the debtor's place (CPC 1406)."),
            'overseas': _("Overseas: the mixed commercial court (tribunal mixte de commerce) of the debtor's "
                          "place (CPC 1406)."),
        }[decision.local_court]
        return "%s %s" % (reasons[decision.reason], where)

    def _court_note(self, decision):
        self.ensure_one()
        if not decision.tae:
            return False
        note = _("If the debtor is in the territory of the tribunal des activités économiques de %s (pilot "
                 "commercial court for the cases brought from 1 January 2025 to 31 December 2028), the request "
                 "goes there: check the court's territory.", decision.tae)
        if self.amount_total > court.CJE_THRESHOLD:
            note += " " + _("The claim exceeds 50 000 EUR: the contribution pour la justice économique is due "
                            "before the tribunal des activités économiques if your company employs 250 people or "
                            "more (décret 2024-1225), or the request is inadmissible.")
        return note

    @api.depends('order_date', 'service_date', 'service_mode', 'personal_act_date', 'partner_id.country_id',
                 'partner_id.zip')
    def _compute_court_deadlines(self):
        for case in self:
            debtor, court_place = case._places()
            case.serve_deadline = case.order_date and legal_dates.injunction_serve_deadline(
                case.order_date, place=court_place)
            case.opposition_deadline = case.service_date and legal_dates.opposition_deadline(
                case.service_date, place=court_place, debtor_place=debtor)
            not_in_person = case.service_date and case.service_mode == 'other'
            case.opposition_final_deadline = not_in_person and case.personal_act_date and \
                legal_dates.opposition_deadline(case.personal_act_date, place=court_place, debtor_place=debtor)

    @api.depends('service_date', 'service_mode', 'opposition_final_deadline')
    def _compute_opposition_note(self):
        for case in self:
            not_in_person = case.service_date and case.service_mode == 'other'
            case.opposition_note = not_in_person and _(
                "Not served in person: the debtor may oppose until one month after the first act served in person "
                "or the first enforcement measure making its property unavailable (CPC 1416 al. 2)%s.",
                _(", i.e. until %s", format_fr_date(case.opposition_final_deadline))
                if case.opposition_final_deadline else "") or False
