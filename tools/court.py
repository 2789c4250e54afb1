"""Which procedure and which court, without the ORM.

* CPC 1405: the injunction to pay is for a claim of a fixed amount resulting
  from a contract; a contested claim goes to a summons (the dispute is judged
  there, an injunction would meet an opposition).
* CPC 1406: the request goes to the court of the place where the debtor lives
  or is established; the commercial court (tribunal de commerce, or tribunal
  des activités économiques in the pilot courts) between traders, the
  tribunal judiciaire otherwise.
* CPCE L125-1: the small-claims procedure up to 5 000 EUR.
* C. com. L110-4 / C. conso L218-2: 5 years between businesses, 2 years
  against a consumer.
"""
import datetime
from dataclasses import dataclass

from . import legal_dates

__all__ = ['CERFA', 'CourtDecision', 'decide']

#: The request forms: injunction before the commercial court, before the tribunal judiciaire.
CERFA = {'commercial': "Cerfa 12946*02", 'judicial': "Cerfa 12948*06"}


@dataclass(frozen=True)
class CourtDecision:
    """What the case proposes: the route, the court, the form and the limits."""
    route: str                  # 'injunction' | 'summons'
    court_type: str             # 'commercial' | 'judicial'
    cerfa: str
    small_claims: bool
    limitation_date: datetime.date | None
    time_barred: bool


def decide(debtor_type, is_company, disputed, amount, oldest_due_date, today):
    """The route and the competent court of a claim.

    :param debtor_type: ``'professional'`` or ``'consumer'``
    :param is_company: the debtor is a company (a trader for the commercial court)
    :param disputed: whether an invoice of the claim is contested
    :param amount: principal and interest claimed (small-claims cap)
    :param oldest_due_date: the oldest due date of the claim, or None
    :param today: the date the decision is made
    """
    debtor_type = debtor_type or 'professional'
    court_type = 'commercial' if debtor_type == 'professional' and is_company else 'judicial'
    limitation = oldest_due_date and legal_dates.limitation_date(oldest_due_date, debtor_type) or None
    return CourtDecision(
        route='summons' if disputed else 'injunction',
        court_type=court_type,
        cerfa=CERFA[court_type],
        small_claims=legal_dates.small_claims_eligible(amount),
        limitation_date=limitation,
        time_barred=bool(limitation and limitation < today),
    )
