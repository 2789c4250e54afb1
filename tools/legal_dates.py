"""Legal dates and thresholds of French debt recovery, without the ORM.

* Payment terms: C. com. L441-10 I.
* Procedural deadlines: CPC 640-642 (computation), 1411 (service of an
  injonction de payer), 1416 (opposition).
* Prescription: C. conso L218-2 (2 years, professional against consumer),
  C. com. L110-4 (5 years).
* Insolvency proceedings: the claim is declared within 2 months of the
  publication of the opening judgment at the BODACC, 4 for a creditor who does
  not live in the territory of the court (C. com. R622-24).
* Thresholds: CPCE L125-1 (petites creances), CPC 750-1 (prior amicable
  attempt before the tribunal judiciaire).

French public holidays come from the ``holidays`` library; months are added
with ``dateutil.relativedelta``, which already clips to the last day of a
shorter month as CPC 641 requires.

Not implemented: the contribution pour la justice economique (decret
2024-1225) of the tribunaux des activites economiques: the reference this
module follows gives neither the turnover/profit thresholds nor the rule
choosing between the 3 % and 5 % rates, so it cannot be computed here
without guessing.
"""

import datetime
import functools
from decimal import Decimal

import holidays
from dateutil.relativedelta import relativedelta

from .fr_format import to_date as _to_date

__all__ = [
    'AMICABLE_ATTEMPT_CAP', 'COURTS', 'DUE_DATE_METHODS', 'SMALL_CLAIMS_CAP',
    'add_days_deadline', 'add_months_deadline', 'claim_declaration_deadline',
    'default_due_date',
    'formal_notice_deadline', 'injunction_serve_deadline', 'is_working_day',
    'limitation_date', 'max_due_date', 'next_working_day',
    'opposition_deadline', 'requires_prior_amicable_attempt',
    'small_claims_eligible', 'place_of', 'distance_months',
]

#: Places whose public holidays differ (CPC 642 counts the days that a law makes
#: public holidays there): metropolitan France, Alsace-Moselle (Good Friday and 26
#: December, C. trav. L3134-13, local law), the overseas departments (the day of
#: the abolition of slavery, C. trav. L3422-2), and abroad.
METROPOLE = 'metropole'
ALSACE_MOSELLE = 'alsace_moselle'
ABROAD = 'abroad'
OVERSEAS_DEPARTMENTS = ('971', '972', '973', '974', '976')
#: ISO country codes Odoo may give an overseas department instead of FR.
_OVERSEAS_COUNTRIES = {'GP': '971', 'MQ': '972', 'GF': '973', 'RE': '974', 'YT': '976'}
#: Other French overseas collectivities (CPC 643, 644): not departments.
_OVERSEAS_COLLECTIVITIES = ('BL', 'MF', 'PM', 'PF', 'NC', 'WF', 'TF')

#: CPCE L125-1 / R125-1: petites creances up to 5 000 EUR (principal and
#: interest).
SMALL_CLAIMS_CAP = Decimal('5000')
#: CPC 750-1: claims up to 5 000 EUR before the tribunal judiciaire need a
#: prior conciliation, mediation or participatory procedure.
AMICABLE_ATTEMPT_CAP = Decimal('5000')

#: Courts / procedures understood by :func:`requires_prior_amicable_attempt`.
COURTS = (
    'tj',           # suit before the tribunal judiciaire
    'jcp',          # juge des contentieux de la protection (part of the TJ)
    'commercial',   # tribunal de commerce
    'tae',          # tribunal des activites economiques
    'injunction',   # requete en injonction de payer (any court)
)

#: Methods of :func:`max_due_date` (C. com. L441-10 I).
DUE_DATE_METHODS = ('60_days', '45_eom_a', '45_eom_b', '45_days')

_ONE_DAY = datetime.timedelta(days=1)


def _end_of_month(d):
    return d + relativedelta(day=31)


# ---------------------------------------------------------------------------
# Working days (CPC 642)
# ---------------------------------------------------------------------------

def place_of(country_code, zip_code):
    """The place whose holidays and distances count, from a country code and a
    postal code: ``'metropole'``, ``'alsace_moselle'`` (Moselle, Bas-Rhin,
    Haut-Rhin), an overseas department (``'971'`` ... ``'976'``), an overseas
    collectivity (its ISO code) or ``'abroad'``."""
    country = (country_code or 'FR').upper()
    zip_code = (zip_code or '').replace(' ', '')
    if country in _OVERSEAS_COUNTRIES:
        return _OVERSEAS_COUNTRIES[country]
    if country in _OVERSEAS_COLLECTIVITIES:
        return country
    if country not in ('FR', 'MC'):
        return ABROAD
    if zip_code[:3] in OVERSEAS_DEPARTMENTS:
        return zip_code[:3]
    if zip_code[:2] in ('57', '67', '68'):
        return ALSACE_MOSELLE
    return METROPOLE


def _place(place, alsace_moselle):
    return place or (ALSACE_MOSELLE if alsace_moselle else METROPOLE)


@functools.lru_cache(maxsize=512)
def _public_holidays(year, place):
    # An immutable per-year set: safe to share between Odoo worker threads,
    # unlike a holidays object that grows lazily when queried.
    days = set(holidays.France(years=year).keys())
    if place == ALSACE_MOSELLE:
        days |= set(holidays.France(years=year, subdiv='57').keys())
    elif place in OVERSEAS_DEPARTMENTS:
        # only the day a law makes a public holiday there (C. trav. L3422-2), not
        # the customary days the library also lists
        local = holidays.France(years=year, subdiv=place)
        days |= {day for day, name in local.items() if 'Slavery' in name}
    return frozenset(days)


def is_working_day(d, alsace_moselle=False, place=None):
    """Whether ``d`` is a working day in the sense of CPC 642 at ``place``.

    Not a Saturday, a Sunday or a French public holiday (C. trav. L3133-1);
    in Alsace-Moselle Good Friday and 26 December are holidays too, in an
    overseas department the day of the abolition of slavery.
    """
    d = _to_date(d)
    if d.weekday() >= 5:
        return False
    return d not in _public_holidays(d.year, _place(place, alsace_moselle))


def next_working_day(d, alsace_moselle=False, place=None):
    """End of a deadline falling on ``d``, after CPC 642 al. 2.

    A deadline that would end on a Saturday, a Sunday or a public holiday is
    extended to the next working day; ``d`` itself is returned when it is a
    working day.
    """
    d = _to_date(d)
    while not is_working_day(d, alsace_moselle, place):
        d += _ONE_DAY
    return d


def add_days_deadline(start, days, alsace_moselle=False, place=None):
    """Last day of a deadline of ``days`` days running from ``start``.

    CPC 641 al. 1: the day of the act or notification that starts the
    deadline does not count, so the deadline ends on ``start + days``; CPC
    642: extended to the next working day.
    """
    return next_working_day(_to_date(start) + datetime.timedelta(days=days),
                            alsace_moselle, place)


def add_months_deadline(start, months, alsace_moselle=False, place=None):
    """Last day of a deadline of ``months`` months running from ``start``.

    CPC 641 al. 2: it ends on the day of the last month bearing the same
    number as the starting day or, failing such a day, on the last day of
    that month; CPC 642: extended to the next working day.
    """
    end = _to_date(start) + relativedelta(months=months)
    return next_working_day(end, alsace_moselle, place)


def formal_notice_deadline(received_date, delay_days=8, alsace_moselle=False, place=None):
    """Deadline given by a mise en demeure (C. civ. 1344), counted from its receipt.

    The law sets no minimum; 8 days is the custom and the module's minimum.
    It runs from the day the debtor received the letter (the date on the
    acknowledgement, or its first presentation when it came back unclaimed or
    refused: module convention, see the README), like a procedural deadline
    (CPC 641) and extended to a working day of the debtor's place (CPC 642).
    """
    return add_days_deadline(received_date, delay_days, alsace_moselle, place)


def injunction_serve_deadline(order_date, alsace_moselle=False, place=None):
    """Last day to serve an ordonnance d'injonction de payer (CPC 1411).

    The order lapses if it is not served within 6 months of its date.
    """
    return add_months_deadline(order_date, 6, alsace_moselle, place)


def distance_months(debtor_place, court_place):
    """The months CPC 643 and 644 add to the opposition period.

    CPC 643 (court in metropolitan France): + 1 month for a person living in
    an overseas department or collectivity, + 2 months abroad. CPC 644 (court
    in an overseas department or collectivity): + 1 month for a person who
    does not live there, + 2 months abroad.
    """
    if debtor_place == ABROAD:
        return 2
    metropolitan = (METROPOLE, ALSACE_MOSELLE)
    if court_place in metropolitan:
        return 0 if debtor_place in metropolitan else 1
    return 0 if debtor_place == court_place else 1


def opposition_deadline(service_date, alsace_moselle=False, place=None, debtor_place=None):
    """Last day of the debtor's opposition to an injonction de payer (CPC 1416).

    One month from service (al. 1), or from the first act served in person or
    the first enforcement measure making the debtor's property unavailable when
    the order was not served in person (al. 2); + the distance months of CPC
    643-644 for a debtor living elsewhere than the court; extended to the next
    working day of the court's place (CPC 642).
    """
    court = _place(place, alsace_moselle)
    months = 1 + distance_months(debtor_place or court, court)
    return add_months_deadline(service_date, months, place=court)


# ---------------------------------------------------------------------------
# Insolvency proceedings (C. com. R622-24)
# ---------------------------------------------------------------------------

def claim_declaration_deadline(bodacc_date, creditor_place=METROPOLE, court_place=METROPOLE):
    """Last day to declare a claim in insolvency proceedings (C. com. R622-24).

    Two months from the publication of the opening judgment at the BODACC;
    two more months for a creditor who does not live in the territory of the
    court: metropolitan France (Alsace-Moselle included) for a court sitting
    there, the overseas department or collectivity of the court otherwise
    (places as :func:`place_of` gives them). The extension makes one deadline
    of four months (CPC 641: same day number, or the last day of the month),
    moved to the next working day of the court's place like a procedural
    deadline (CPC 642; that it reaches this C. com. deadline is the module's
    convention). A declaration sent by post is on time when it is sent by that
    day.
    """
    court = court_place if court_place and court_place != ABROAD else METROPOLE
    creditor = creditor_place or court
    metropolitan = (METROPOLE, ALSACE_MOSELLE)
    inside = creditor in metropolitan if court in metropolitan else creditor == court
    return add_months_deadline(bodacc_date, 2 if inside else 4, place=court)


# ---------------------------------------------------------------------------
# Payment terms (C. com. L441-10 I)
# ---------------------------------------------------------------------------

def default_due_date(receipt_date):
    """Due date when no payment term is agreed (C. com. L441-10 I al. 1).

    30 days after receipt of the goods or performance of the service.
    A contractual due date is not a procedural deadline: no CPC 642 shift.
    """
    return _to_date(receipt_date) + datetime.timedelta(days=30)


def max_due_date(invoice_date, method='60_days'):
    """Latest due date that may be agreed (C. com. L441-10 I al. 2).

    * ``'60_days'``: 60 days from the invoice date;
    * ``'45_eom_a'``: 45 days end of month, computed as end of the invoice's
      month, then + 45 days;
    * ``'45_eom_b'``: 45 days end of month, computed as invoice date + 45
      days, then end of that month (both readings are accepted, F23211);
    * ``'45_days'``: periodic invoices (CGI 289 I-3), 45 days from the
      invoice date.
    """
    d = _to_date(invoice_date)
    if method == '60_days':
        return d + datetime.timedelta(days=60)
    if method == '45_eom_a':
        return _end_of_month(d) + datetime.timedelta(days=45)
    if method == '45_eom_b':
        return _end_of_month(d + datetime.timedelta(days=45))
    if method == '45_days':
        return d + datetime.timedelta(days=45)
    raise ValueError('method must be one of %s, got %r'
                     % (', '.join(DUE_DATE_METHODS), method))


# ---------------------------------------------------------------------------
# Prescription
# ---------------------------------------------------------------------------

def limitation_date(start_date, debtor_type):
    """Day the claim becomes time-barred unless interrupted.

    2 years against a consumer (C. conso L218-2), 5 years otherwise
    (C. com. L110-4), from ``start_date`` (same day number; 29 February
    gives 28 February). Not shifted to a working day: the safe date to act by.
    Only acknowledgment (C. civ. 2240), a court claim (2241) or enforcement
    (2244) interrupt it, not a mise en demeure.
    """
    if debtor_type == 'consumer':
        years = 2
    elif debtor_type == 'professional':
        years = 5
    else:
        raise ValueError("debtor_type must be 'professional' or 'consumer', "
                         "got %r" % (debtor_type,))
    return _to_date(start_date) + relativedelta(years=years)


# ---------------------------------------------------------------------------
# Thresholds
# ---------------------------------------------------------------------------

def _amount(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def small_claims_eligible(amount):
    """Whether the petites creances procedure is open (CPCE L125-1, R125-1).

    ``amount`` is principal plus interest; the cap is 5 000 EUR included.
    """
    value = _amount(amount)
    return Decimal(0) < value <= SMALL_CLAIMS_CAP


def requires_prior_amicable_attempt(amount, court):
    """Whether a suit needs a prior amicable attempt (CPC 750-1).

    Only suits before the tribunal judiciaire (``'tj'``, ``'jcp'``) for up
    to 5 000 EUR; an injunction request (``'injunction'``, a non-contradictory
    decision) and the commercial courts (``'commercial'``, ``'tae'``) do not.
    The statutory exceptions (urgency, no conciliator within 3 months, ...)
    are left to the user.
    """
    if court not in COURTS:
        raise ValueError('court must be one of %s, got %r' % (', '.join(COURTS), court))
    if court not in ('tj', 'jcp'):
        return False
    return _amount(amount) <= AMICABLE_ATTEMPT_CAP

