"""Which procedure and which court, without the ORM.

* CPC 1405: the injunction to pay is for a claim of a fixed amount resulting
  from a contract; a contested claim goes to a summons (the dispute is judged
  there, an injunction would meet an opposition).
* CPC 1406: the request goes to the court of the place where the debtor lives
  or is established. Subject matter (C. com. L721-3): the commercial court for
  traders, artisans and commercial companies; the tribunal judiciaire for the
  others (civil companies, associations, liberal professions, farmers,
  consumers), even between professionals: a claim between professionals is not
  always commercial. A trader suing a non-trader goes to the tribunal
  judiciaire. Professional-practice companies (SEL) go to the civil court
  despite their commercial form.
* Alsace-Moselle has no commercial court (the commercial chamber of the
  tribunal judiciaire); the overseas departments have mixed commercial courts.
* Tribunaux des activités économiques (loi 2023-1059 art. 26, décret
  2024-674, arrêté of 5 July 2024): twelve commercial courts renamed for the
  cases brought from 1 January 2025 to 31 December 2028; the contribution pour
  la justice économique (décret 2024-1225) for claims over 50 000 EUR by a
  claimant employing 250 people or more.
* CPCE L125-1: the small-claims procedure up to 5 000 EUR.
* C. com. L110-4 / C. conso L218-2: 5 years between businesses, 2 years
  against a consumer.
"""
import datetime
from dataclasses import dataclass

from . import legal_dates

__all__ = ['CERFA', 'LEGAL_FORMS', 'TAE_COURTS', 'CourtDecision', 'decide', 'tae_court']

#: The request forms: injunction before the commercial court, before the tribunal judiciaire.
CERFA = {'commercial': "Cerfa 12946*02", 'judicial': "Cerfa 12948*06"}

#: Legal forms: (label, INSEE category code of the "catégories juridiques", kind).
#: The kind decides the court: ``commercial`` (commercial company by form,
#: C. com. L210-1), ``trader`` and ``artisan`` (registered individual
#: entrepreneurs), ``sel`` / ``civil`` / ``association`` / ``liberal`` /
#: ``farmer`` / ``public`` (the tribunal judiciaire).
LEGAL_FORMS = {
    'sa': ("SA (société anonyme)", '5599', 'commercial'),
    'sas': ("SAS (société par actions simplifiée)", '5710', 'commercial'),
    'sasu': ("SASU (SAS unipersonnelle)", '5720', 'commercial'),
    'sarl': ("SARL (société à responsabilité limitée)", '5499', 'commercial'),
    'eurl': ("EURL (SARL unipersonnelle)", '5498', 'commercial'),
    'snc': ("SNC (société en nom collectif)", '5202', 'commercial'),
    'scs': ("SCS (société en commandite simple)", '5306', 'commercial'),
    'sca': ("SCA (société en commandite par actions)", '5308', 'commercial'),
    'sel': ("SEL (société d'exercice libéral: SELARL, SELAS...)", '5485', 'sel'),
    'sci': ("SCI (société civile immobilière)", '6540', 'civil'),
    'scp': ("SCP (société civile professionnelle)", '6585', 'civil'),
    'scm': ("SCM (société civile de moyens)", '6589', 'civil'),
    'sc_other': ("Other civil company", '6599', 'civil'),
    'association': ("Association (loi 1901)", '9220', 'association'),
    'ei_trader': ("Individual trader registered as such (commerçant)", '1000', 'trader'),
    'ei_artisan': ("Individual craftsman (artisan)", '1000', 'artisan'),
    'ei_liberal': ("Individual liberal profession", '1000', 'liberal'),
    'ei_farmer': ("Individual farmer", '1000', 'farmer'),
    'public': ("Public body", '7000', 'public'),
}
COMMERCIAL_KINDS = ('commercial', 'trader', 'artisan')

#: The twelve pilot tribunaux des activités économiques (arrêté of 5 July 2024),
#: with the départements where most of their territory lies: a suggestion to
#: check against the court's own territory (annuaire of justice.fr).
TAE_COURTS = {
    'Auxerre': ('89',), 'Avignon': ('84',), 'Le Havre': ('76',), 'Le Mans': ('72',),
    'Limoges': ('87',), 'Lyon': ('69',), 'Marseille': ('13',), 'Nancy': ('54',),
    'Nanterre': ('92',), 'Paris': ('75',), 'Saint-Brieuc': ('22',), 'Versailles': ('78',),
}
TAE_START, TAE_END = datetime.date(2025, 1, 1), datetime.date(2028, 12, 31)
#: Décret 2024-1225: the contribution applies above this claim (EUR), for a
#: claimant with at least this many employees.
CJE_THRESHOLD, CJE_EMPLOYEES = 50000, 250


@dataclass(frozen=True)
class CourtDecision:
    """What the case proposes: the route, the court, why, the form and the limits."""
    route: str                  # 'injunction' | 'summons'
    court_type: str             # 'commercial' | 'judicial'
    reason: str                 # 'override' | 'consumer' | a legal-form kind | 'unknown_company' | 'unknown_person'
    local_court: str            # 'standard' | 'alsace_moselle' (chambre commerciale du TJ) | 'overseas' (tribunal mixte)
    cerfa: str
    tae: str | None             # the pilot TAE the debtor's département suggests
    small_claims: bool
    limitation_date: datetime.date | None
    time_barred: bool


def tae_court(zip_code, on_date):
    """The pilot tribunal des activités économiques suggested by a postal code on a date."""
    if not zip_code or not TAE_START <= on_date <= TAE_END:
        return None
    department = zip_code.replace(' ', '')[:2]
    return next((city for city, departments in TAE_COURTS.items() if department in departments), None)


def decide(debtor_type, legal_form, is_company, disputed, amount, limitation_start, today,
           override=None, place=legal_dates.METROPOLE, zip_code=None):
    """The route and the competent court of a claim.

    :param debtor_type: ``'professional'`` or ``'consumer'``
    :param legal_form: a key of :data:`LEGAL_FORMS`, or None when unknown
    :param is_company: the debtor is a company (used only when the form is unknown)
    :param disputed: whether an invoice of the claim is contested
    :param amount: principal and interest claimed (small-claims cap)
    :param limitation_start: when the limitation period starts (oldest claim), or None
    :param today: the date the decision is made
    :param override: ``'commercial'`` or ``'judicial'`` chosen by the user
    :param place: the debtor's place (:func:`legal_dates.place_of`)
    :param zip_code: the debtor's postal code (pilot TAE)
    """
    debtor_type = debtor_type or 'professional'
    if override:
        court_type, reason = override, 'override'
    elif debtor_type == 'consumer':
        court_type, reason = 'judicial', 'consumer'
    elif legal_form in LEGAL_FORMS:
        reason = LEGAL_FORMS[legal_form][2]
        court_type = 'commercial' if reason in COMMERCIAL_KINDS else 'judicial'
    else:
        # the form is not known: a company is most often a commercial one; the case says it is a guess
        court_type, reason = ('commercial', 'unknown_company') if is_company else ('judicial', 'unknown_person')
    local_court = 'standard'
    if court_type == 'commercial' and place == legal_dates.ALSACE_MOSELLE:
        local_court = 'alsace_moselle'
    elif court_type == 'commercial' and place in legal_dates.OVERSEAS_DEPARTMENTS:
        local_court = 'overseas'
    tae = tae_court(zip_code, today) if court_type == 'commercial' and local_court == 'standard' else None
    limitation = limitation_start and legal_dates.limitation_date(limitation_start, debtor_type) or None
    return CourtDecision(
        route='summons' if disputed else 'injunction',
        court_type=court_type,
        reason=reason,
        local_court=local_court,
        cerfa=CERFA[court_type],
        tae=tae,
        small_claims=legal_dates.small_claims_eligible(amount),
        limitation_date=limitation,
        time_barred=bool(limitation and limitation < today),
    )
