"""Late-payment penalties and moratory interest, without the ORM.

Law implemented (sources in the README's legal section):

* C. com. L441-10 II: between businesses, penalties are due from the day after
  the due date, without any reminder, at the ECB main refinancing (MRO) rate
  + 10 points (MRO in force on 1 January for January-June, on 1 July for
  July-December), or at a contractual rate which may not be lower than three
  times the taux d'interet legal; plus a 40 EUR recovery indemnity (D441-5)
  per late invoice or instalment, except when insolvency proceedings forbid
  payment at maturity.
* C. com. L622-28 (L641-3 in liquidation): the judgment opening insolvency
  proceedings stops, for good, legal and contractual interest and all late
  interest and surcharges of the claims born before it; it takes effect at
  zero hour of its date (R621-4, R631-7, R641-1), so the last day bearing
  interest is the day before the judgment.
* C. civ. 1231-6 and 1344-1: a debtor not acting professionally owes moratory
  interest at the legal rate only from the mise en demeure.
* CMF L313-2 / D313-1-A: the legal rate is set per half-year, one rate for
  creditors who are individuals not acting professionally, one for "all
  other cases" (which is ours: the creditor is a business).

Everything here is plain Python so that the Odoo layer (and its tests) can
feed the rate records in and read plain dicts out. Amounts are computed with
``decimal.Decimal`` and returned as floats rounded to the cent.
"""

import datetime
from bisect import bisect_right
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .fr_format import to_date as _to_date

__all__ = [
    'CENT', 'DEFAULT_MARGIN', 'FLOOR_MULTIPLIER', 'INDEMNITY', 'ROUNDING',
    'YEAR_DAYS', 'MissingRateError', 'RateTable', 'applicable_rate',
    'compute_claim', 'compute_instalment', 'default_rate', 'floor_rate',
    'half_year', 'half_year_bounds', 'interest_amount',
]

#: Rounding rule (module convention "Rounding"): each segment's interest is
#: rounded half-up to the cent (0.005 -> 0.01), as service-public F783 does
#: per period; the penalty is the sum of the rounded segments, never the
#: rounding of an unrounded total.
ROUNDING = ROUND_HALF_UP
#: Quantum of the rounding: one euro cent.
CENT = Decimal('0.01')
#: Year basis: 365 days, leap years included (service-public F783 divides by
#: 36 500 "even if the year is a leap year").
YEAR_DAYS = 365
#: C. com. L441-10 II: default rate = ECB MRO + 10 points.
DEFAULT_MARGIN = Decimal('10')
#: C. com. L441-10 II: a contractual rate may not be below 3 x the legal rate.
FLOOR_MULTIPLIER = Decimal('3')
#: C. com. L441-10 II and D441-5: fixed recovery indemnity per late invoice.
INDEMNITY = Decimal('40.00')

RATE_TYPES = ('ecb', 'legal_other', 'legal_consumer')
DEBTOR_TYPES = ('professional', 'consumer')

_RATE_LABELS = {
    'ecb': 'ECB main refinancing rate',
    'legal_other': 'legal interest rate (other cases)',
    'legal_consumer': 'legal interest rate (creditor not acting professionally)',
}
_LEGAL_KINDS = {
    'other': 'legal_other', 'legal_other': 'legal_other',
    'consumer': 'legal_consumer', 'legal_consumer': 'legal_consumer',
}
_ONE_DAY = datetime.timedelta(days=1)
_ZERO = Decimal('0')


class MissingRateError(Exception):
    """A rate the law needs for a half-year is not in the rate table.

    The law changes these rates every half-year (CMF L313-2 arrêtés, ECB
    decisions); the engine refuses to guess a missing one.

    :ivar rate_type: ``'ecb'``, ``'legal_other'`` or ``'legal_consumer'``
    :ivar period: ``(year, half)``, e.g. ``(2026, 2)``
    :ivar date: for the ECB rate, the date at which a rate was looked for
    """

    def __init__(self, rate_type, period, date=None):
        self.rate_type = rate_type
        self.period = tuple(period)
        self.date = date
        label = _RATE_LABELS.get(rate_type, rate_type)
        period_label = '%d-H%d' % self.period
        if rate_type == 'ecb' and date is not None:
            message = 'No %s is recorded on or before %s (needed for %s).' % (
                label, date.isoformat(), period_label)
        else:
            message = 'No %s is recorded for %s.' % (label, period_label)
        super().__init__(message)

    def __reduce__(self):
        # Keep the exception picklable despite the custom signature.
        return (self.__class__, (self.rate_type, self.period, self.date))


# ---------------------------------------------------------------------------
# Small conversions
# ---------------------------------------------------------------------------

def _dec(value):
    """Return a Decimal; floats go through ``str`` so 14.5 stays 14.5."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        raise ValueError('Expected a number, got %r' % (value,)) from None


def _money(value):
    return value.quantize(CENT, rounding=ROUNDING)


def _to_float(value):
    return float(_money(value))


# ---------------------------------------------------------------------------
# Half-years
# ---------------------------------------------------------------------------

def half_year(d):
    """Return ``(year, half)`` of a date, half being 1 (Jan-Jun) or 2 (Jul-Dec).

    C. com. L441-10 II and CMF L313-2 fix their rates per calendar half-year.
    """
    d = _to_date(d)
    return d.year, 1 if d.month <= 6 else 2


def half_year_bounds(year, half):
    """Return the first and last day of a half-year: ``(date_start, date_end)``.

    C. com. L441-10 II: the rate of January-June uses the MRO of 1 January,
    the rate of July-December the MRO of 1 July.
    """
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if half == 2:
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    raise ValueError('half must be 1 or 2, got %r' % (half,))


def _next_half_start(d):
    """First day of the half-year following the one containing ``d``."""
    if d.month <= 6:
        return datetime.date(d.year, 7, 1)
    return datetime.date(d.year + 1, 1, 1)


# ---------------------------------------------------------------------------
# Rate table
# ---------------------------------------------------------------------------

class RateTable:
    """The rates the law refers to, fed from plain data (the ORM's records).

    * ``ecb``: iterable of ``(effective_date, rate_percent)``, each a change of
      the ECB main refinancing rate (C. com. L441-10 II);
    * ``legal_other`` / ``legal_consumer``: mappings ``{(year, half): rate}``
      of the taux d'interet legal (CMF L313-2), "all other cases" and
      "creditor individual not acting professionally".

    Rates are percentages (``14.5`` means 14.5 %).
    """

    def __init__(self, ecb=(), legal_other=None, legal_consumer=None):
        if isinstance(ecb, dict):
            ecb = ecb.items()
        changes = {}
        for day, rate in ecb:
            day = _to_date(day)
            rate = _dec(rate)
            if day in changes and changes[day] != rate:
                raise ValueError('Two different ECB rates are given for %s.' % day)
            changes[day] = rate
        self._ecb_dates = sorted(changes)
        self._ecb_rates = [changes[d] for d in self._ecb_dates]
        self._legal = {
            'legal_other': self._half_year_map(legal_other),
            'legal_consumer': self._half_year_map(legal_consumer),
        }

    @staticmethod
    def _half_year_map(mapping):
        result = {}
        for (year, half), rate in (mapping or {}).items():
            if half not in (1, 2):
                raise ValueError('half must be 1 or 2, got %r' % (half,))
            result[(int(year), half)] = _dec(rate)
        return result

    @classmethod
    def from_rows(cls, rows):
        """Build a table from ``(rate_type, date_from, rate)`` rows.

        ``rate_type`` is ``'ecb'`` (``date_from`` = effective date of the ECB
        decision), ``'legal_other'`` or ``'legal_consumer'`` (``date_from`` =
        1 January or 1 July, the start of the half-year fixed by the arrêté
        under CMF L313-2).
        """
        ecb = []
        legal = {'legal_other': {}, 'legal_consumer': {}}
        for rate_type, date_from, rate in rows:
            date_from = _to_date(date_from)
            if rate_type == 'ecb':
                ecb.append((date_from, rate))
            elif rate_type in legal:
                if (date_from.month, date_from.day) not in ((1, 1), (7, 1)):
                    raise ValueError(
                        'A %s starts on 1 January or 1 July, not on %s.'
                        % (_RATE_LABELS[rate_type], date_from.isoformat()))
                period = half_year(date_from)
                if period in legal[rate_type] and legal[rate_type][period] != _dec(rate):
                    raise ValueError('Two different values of the %s are given for %d-H%d.'
                                     % ((_RATE_LABELS[rate_type],) + period))
                legal[rate_type][period] = rate
            else:
                raise ValueError('Unknown rate type %r (expected one of %s).'
                                 % (rate_type, ', '.join(RATE_TYPES)))
        return cls(ecb=ecb, legal_other=legal['legal_other'],
                   legal_consumer=legal['legal_consumer'])

    # Decimal accessors used by the engine -------------------------------
    def _ecb(self, d):
        index = bisect_right(self._ecb_dates, d)
        if not index:
            raise MissingRateError('ecb', half_year(d), d)
        return self._ecb_rates[index - 1]

    def _legal_rate(self, year, half, kind='other'):
        rate_type = _LEGAL_KINDS.get(kind)
        if rate_type is None:
            raise ValueError("kind must be 'other' or 'consumer', got %r" % (kind,))
        try:
            return self._legal[rate_type][(year, half)]
        except KeyError:
            raise MissingRateError(rate_type, (year, half)) from None

    # Public accessors -------------------------------------------------------
    def ecb_rate_at(self, d):
        """ECB main refinancing rate in force on ``d`` (C. com. L441-10 II).

        That is the rate of the last change effective on or before ``d``.
        Raises :class:`MissingRateError` when no change is recorded that early.
        """
        return float(self._ecb(_to_date(d)))

    def legal_rate(self, year, half, kind='other'):
        """Taux d'interet legal of a half-year (CMF L313-2).

        ``kind`` is ``'other'`` (all other cases: a business creditor) or
        ``'consumer'`` (creditor individual not acting professionally);
        ``'legal_other'`` / ``'legal_consumer'`` are accepted too.
        Raises :class:`MissingRateError` when the half-year is not recorded.
        """
        return float(self._legal_rate(year, half, kind))


# ---------------------------------------------------------------------------
# Rates
# ---------------------------------------------------------------------------

def _default_rate(year, half, table):
    start = half_year_bounds(year, half)[0]
    return table._ecb(start) + DEFAULT_MARGIN


def _floor_rate(year, half, table):
    return FLOOR_MULTIPLIER * table._legal_rate(year, half, 'other')


def _has_contractual_rate(contractual_rate):
    # None/False: nothing configured; 0 means "legal default" in the company
    # settings (design), and a 0 % clause would be below the floor anyway.
    return contractual_rate is not None and contractual_rate is not False \
        and _dec(contractual_rate) != 0


def _applicable_rate(year, half, table, contractual_rate=None):
    if not _has_contractual_rate(contractual_rate):
        # The default rate is never raised to the floor: the floor only
        # bounds contractual clauses (2024-H1: 14.50 % < floor 15.21 %).
        return _default_rate(year, half, table), 'default'
    contractual = _dec(contractual_rate)
    if contractual < 0:
        raise ValueError('A contractual rate cannot be negative.')
    floor = _floor_rate(year, half, table)
    if contractual < floor:
        return floor, 'floor'
    return contractual, 'contractual'


def default_rate(year, half, table):
    """Default B2B penalty rate of a half-year, in % (C. com. L441-10 II).

    ECB main refinancing rate in force on 1 January (half 1) or 1 July
    (half 2), plus 10 points. Raises :class:`MissingRateError` when no ECB
    rate is recorded on that day.
    """
    return float(_default_rate(year, half, table))


def floor_rate(year, half, table):
    """Minimum contractual penalty rate of a half-year, in % (C. com. L441-10 II).

    Three times the taux d'interet legal "all other cases" (CMF L313-2).
    Raises :class:`MissingRateError` when that legal rate is not recorded.
    """
    return float(_floor_rate(year, half, table))


def applicable_rate(year, half, table, contractual_rate=None):
    """Rate actually applied to a half-year of delay (C. com. L441-10 II).

    Returns ``(rate, reason)``:

    * ``'default'``: no contractual rate (``None``, ``False`` or ``0``, the
      company setting meaning "legal default"): ECB + 10 points, even when it
      is below the floor (2024-H1: 14.50 % although the floor is 15.21 %);
    * ``'contractual'``: the contractual rate, at or above the floor;
    * ``'floor'``: the contractual rate is below 3 x the legal rate, which is
      applied instead.

    A contractual rate needs the legal rate of its half-year: when it is
    missing, :class:`MissingRateError` is raised rather than guessed.
    """
    rate, reason = _applicable_rate(year, half, table, contractual_rate)
    return float(rate), reason


def _interest(base, rate, days):
    # Module convention: base x rate / 100 x days / 365, half-up to the cent.
    return _money(base * rate * _dec(days) / (Decimal(100) * YEAR_DAYS))


def interest_amount(base, rate, days):
    """Interest of one segment: ``base x rate/100 x days/365``, rounded half-up.

    The formula of service-public F783 and of the practice under C. com.
    L441-10 II (365-day year even in leap years, cent rounding per period).
    ``days`` may be fractional only to replay published examples expressed
    in months (3 months = 91.25 days); the engine always uses whole days.
    """
    return _to_float(_interest(_dec(base), _dec(rate), days))


# ---------------------------------------------------------------------------
# Engine
# ---------------------------------------------------------------------------

def _normalise_movements(movements, at_date):
    result = []
    for day, amount in movements or ():
        day = _to_date(day)
        amount = _dec(amount)
        if amount < 0:
            raise ValueError('Movements reduce the amount due: their amounts '
                             'must be positive (got %s on %s).' % (amount, day))
        # A movement after the as-of date is not known yet at that date.
        if amount and day <= at_date:
            result.append((day, amount))
    result.sort(key=lambda item: item[0])
    return result


def _paid_date(principal, moves, due):
    """The day the instalment is settled: the movement that brings it to 0."""
    if principal <= 0:
        # Nothing was ever owed: never late.
        return due
    remaining = principal
    for day, value in moves:
        remaining -= value
        if remaining <= 0:
            return day
    return None


def _first_interest_day(due, debtor_type, interest_start):
    """The first day bearing interest: the day after the due date between
    businesses; for a consumer, the day after the receipt of the formal notice
    (C. civ. 1344-1: like the due date, the day of receipt bears none), or
    None without one."""
    if debtor_type != 'consumer':
        return due + _ONE_DAY
    if interest_start is None or interest_start is False:
        return None
    return max(due, _to_date(interest_start)) + _ONE_DAY


def compute_instalment(due_date, amount, movements, at_date, table,
                       debtor_type='professional', contractual_rate=None,
                       freeze_rate=False, interest_start=None, insolvency=False,
                       interest_stop=None):
    """Penalty, indemnity and their detail for one instalment.

    Professional debtor (C. com. L441-10 II): interest runs without reminder
    from the day after ``due_date`` up to and including the day the amount is
    fully paid, or ``at_date`` (inclusive) if it is not paid by then. Each day
    bears the amount still outstanding at the start of that day: a payment's
    own day still bears the base before that payment, movements on or before
    the due date reduce the base before any interest. The rate is the
    :func:`applicable_rate` of each day's half-year; with ``freeze_rate`` the
    whole delay bears the rate of the half-year containing the first day of
    delay (the day after the due date, when penalties start to be owed).
    Plus the 40 EUR indemnity (D441-5) when the instalment is late (days > 0,
    even if paid since), unless ``insolvency`` (proceedings forbidding payment
    at maturity, L441-10 II last sentence).

    Consumer debtor (C. civ. 1231-6, 1344-1): nothing without a mise en
    demeure; with ``interest_start`` (the date its acknowledgment of receipt
    was signed), moratory interest at the legal rate "other cases" (the
    creditor is a business; CMF L313-2) from the next day, each half-year at
    its own rate; no contractual rate, no freeze, no indemnity. For a
    professional debtor ``interest_start`` is ignored: no reminder is needed.

    ``interest_stop`` (C. com. L622-28): the date of the judgment opening
    insolvency proceedings, for a claim born before it. It takes effect at zero
    hour of its date (R621-4, R631-7, R641-1): the last day bearing interest is
    the day before, so the penalty computed at any later ``at_date`` equals the
    one at the judgment's date. ``days``, ``outstanding`` and ``paid_date``
    still describe ``at_date``; the indemnity follows ``insolvency`` alone.
    ``None``: interest runs on (claims born after the judgment, loans and
    deferred payments of one year or more).

    ``movements``: ``(date, amount)`` pairs (payments, credit notes) with
    positive amounts; those after ``at_date`` are ignored. Segments are the
    maximal runs of days with the same base and rate; without a frozen rate
    a half-year boundary always starts a new one. Each segment is
    ``base x rate/100 x days/365`` rounded half-up to the cent; the penalty is
    the sum of the rounded segments.

    Returns ``{'due_date', 'days', 'segments', 'penalty', 'indemnity',
    'total', 'outstanding', 'paid_date'}``; each segment is ``{'date_from',
    'date_to', 'days', 'rate', 'rate_reason', 'base', 'amount'}`` with
    ``rate_reason`` in ``'default'``, ``'contractual'``, ``'floor'`` or
    ``'legal'`` (consumer). ``outstanding`` is what remains due at
    ``at_date``; ``paid_date`` the day the instalment was fully settled, or
    ``None``. Raises :class:`MissingRateError` when a needed rate is missing.
    """
    if debtor_type not in DEBTOR_TYPES:
        raise ValueError('debtor_type must be one of %s, got %r'
                         % (', '.join(DEBTOR_TYPES), debtor_type))
    due = _to_date(due_date)
    at = _to_date(at_date)
    principal = _dec(amount)
    moves = _normalise_movements(movements, at)

    paid_date = _paid_date(principal, moves, due)
    outstanding = max(_ZERO, principal - sum((v for _d, v in moves), _ZERO))
    end = paid_date if paid_date is not None else at
    days_late = max(0, (end - due).days)

    first = _first_interest_day(due, debtor_type, interest_start)
    last = end
    if interest_stop is not None and interest_stop is not False:
        # L622-28: the judgment stops interest from zero hour of its day.
        last = min(end, _to_date(interest_stop) - _ONE_DAY)

    segments = []
    if first is not None and principal > 0 and first <= last:
        segments = _segments(principal, moves, first, last, table, debtor_type,
                             contractual_rate, freeze_rate)

    penalty = sum((s['_amount'] for s in segments), _ZERO)
    late_professional = debtor_type == 'professional' and days_late > 0
    indemnity = INDEMNITY if late_professional and not insolvency else _ZERO
    for segment in segments:
        del segment['_amount']
    return {
        'due_date': due,
        'days': days_late,
        'segments': segments,
        'penalty': _to_float(penalty),
        'indemnity': _to_float(indemnity),
        'total': _to_float(penalty + indemnity),
        'outstanding': _to_float(outstanding),
        'paid_date': paid_date if principal > 0 else None,
    }


def _segments(principal, moves, first, last, table, debtor_type,
              contractual_rate, freeze_rate):
    """Split [first, last] into runs of equal base and rate, with amounts."""
    if debtor_type == 'consumer':
        def rate_for(day):
            year, half = half_year(day)
            return table._legal_rate(year, half, 'other'), 'legal'
        frozen = False
    elif freeze_rate:
        # Company option: the whole delay at the rate of the half-year of
        # the first day of delay, so half-year boundaries change nothing.
        fixed = _applicable_rate(*half_year(first), table, contractual_rate)

        def rate_for(day):
            return fixed
        frozen = True
    else:
        def rate_for(day):
            return _applicable_rate(*half_year(day), table, contractual_rate)
        frozen = False

    starts = {first}
    for day, _value in moves:
        # A movement lowers the base from the next day on.
        if first < day + _ONE_DAY <= last:
            starts.add(day + _ONE_DAY)
    if not frozen:
        boundary = _next_half_start(first)
        while boundary <= last:
            starts.add(boundary)
            boundary = _next_half_start(boundary)
    starts = sorted(starts)

    result = []
    for index, start in enumerate(starts):
        stop = starts[index + 1] - _ONE_DAY if index + 1 < len(starts) else last
        base = principal - sum((v for d, v in moves if d < start), _ZERO)
        if base <= 0:
            break
        rate, reason = rate_for(start)
        days = (stop - start).days + 1
        value = _interest(base, rate, days)
        result.append({
            'date_from': start,
            'date_to': stop,
            'days': days,
            'rate': float(rate),
            'rate_reason': reason,
            'base': _to_float(base),
            'amount': float(value),
            '_amount': value,
        })
    return result


def compute_claim(instalments, at_date, table, **policy):
    """Penalties of a whole invoice: one claim per instalment (L441-10 II).

    ``instalments``: dicts ``{'due_date', 'amount', 'movements'}`` (one per
    receivable line); ``policy``: the keyword arguments of
    :func:`compute_instalment` (``debtor_type``, ``contractual_rate``,
    ``freeze_rate``, ``interest_start``, ``insolvency``, ``interest_stop``).
    Each instalment has its own days late and its own 40 EUR (CJEU C-78/22).

    Returns ``{'days': max days late, 'segments': all segments (each with its
    instalment's 'due_date'), 'penalty', 'indemnity', 'total',
    'instalments': [compute_instalment results]}``; the penalty is the sum of
    the instalments' (already rounded) penalties.
    """
    results = []
    segments = []
    penalty = indemnity = _ZERO
    for instalment in instalments:
        result = compute_instalment(
            instalment['due_date'], instalment['amount'],
            instalment.get('movements') or (), at_date, table, **policy)
        results.append(result)
        for segment in result['segments']:
            segments.append(dict(segment, due_date=result['due_date']))
        penalty += _dec(result['penalty'])
        indemnity += _dec(result['indemnity'])
    return {
        'days': max((r['days'] for r in results), default=0),
        'segments': segments,
        'penalty': _to_float(penalty),
        'indemnity': _to_float(indemnity),
        'total': _to_float(penalty + indemnity),
        'instalments': results,
    }
