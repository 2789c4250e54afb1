"""Dates and the French way of writing them, without the ORM.

``to_date`` is the one conversion the law functions share; the ``format_fr_*``
functions write dates, amounts and rates as French legal documents do
(``4 mai 2026``, ``1 234,56 €``, ``12,40 %``), whatever the user's language.
"""
import datetime

__all__ = ['format_fr_amount', 'format_fr_date', 'format_fr_rate', 'to_date']


def to_date(value):
    """Return a ``datetime.date`` from a date, a datetime or an ISO string."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    raise TypeError('Expected a date, got %r' % (value,))


def format_fr_date(value):
    """A date the way French legal documents write it: ``4 mai 2026``."""
    import babel.dates
    return babel.dates.format_date(to_date(value), format='d MMMM y', locale='fr_FR') if value else ''


def format_fr_amount(amount, currency_code):
    """An amount the way French documents write it: ``1 234,56 €``."""
    import babel.numbers
    return babel.numbers.format_currency(amount or 0.0, currency_code, locale='fr_FR')


def format_fr_rate(rate):
    """A rate with a decimal comma and two decimals: ``12,40 %``."""
    return "%s %%" % ("%.2f" % (rate or 0.0)).replace('.', ',')
