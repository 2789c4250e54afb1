"""Dates and the French way of writing them, without the ORM.

``to_date`` is the one conversion the law functions share; the ``format_fr_*``
functions write dates, amounts and rates as French legal documents do
(``4 mai 2026``, ``1 234,56 €``, ``12,40 %``), whatever the user's language.
"""
import datetime
import re

__all__ = ['format_fr_amount', 'format_fr_date', 'format_fr_rate', 'fr_days', 'fr_number', 'fr_typography',
           'to_date']

NBSP = '\u00a0'
# French typography: a non-breaking space before the high punctuation and inside the
# guillemets; none before a comma or a full stop.
_HIGH_PUNCTUATION = re.compile(r'[ \u00a0\u202f]*([:;?!»%])')
_OPENING_GUILLEMET = re.compile(r'«[ \u00a0\u202f]*')
_SPACE_BEFORE_COMMA = re.compile(r'[ \u00a0]+([,.])(?=\s|$)')
_TEXT_NODE = re.compile(r'>([^<>]+)<')


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
    return "%s\u00a0%%" % ("%.2f" % (rate or 0.0)).replace('.', ',')


_UNITS = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
          "dix-sept dix-huit dix-neuf").split()
_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante"}


def fr_number(n):
    """A whole number from 0 to 99 in French words (``15`` -> ``quinze``), else digits."""
    if not 0 <= n < 100:
        return str(n)
    if n < 20:
        return _UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        word = _TENS[tens * 10]
        return word if not unit else "%s%s%s" % (word, " et " if unit == 1 else "-", _UNITS[unit])
    if n < 80:
        return "soixante" + (" et " if n == 71 else "-") + _UNITS[n - 60]
    word = "quatre-vingt" + ("s" if n == 80 else "")
    return word if n == 80 else "%s-%s" % (word, _UNITS[n - 80])


def fr_days(n):
    """``8`` -> ``huit jours``, ``1`` -> ``un jour``: a delay as a letter writes it."""
    return "%s jour%s" % (fr_number(n), "s" if n > 1 else "")


def _fr_text(text):
    """One text without markup, typeset the French way."""
    def high(match):
        # glued to a word (a time 12:30, an address https://) it stays as it is
        if match.group(0) == match.group(1) and match.group(1) != '»':
            return match.group(0)
        return NBSP + match.group(1)
    text = _HIGH_PUNCTUATION.sub(high, text)
    text = _OPENING_GUILLEMET.sub('«' + NBSP, text)
    return _SPACE_BEFORE_COMMA.sub(r'\1', text)


def fr_typography(html):
    """The text of an HTML document typeset the French way: a non-breaking space before
    « : ; ? ! % » and inside the guillemets, no space before a comma. Markup, styles
    and scripts are left alone."""
    parts = re.split(r'(<(?:style|script)\b.*?</(?:style|script)>)', html, flags=re.S | re.I)
    for index in range(0, len(parts), 2):
        parts[index] = _TEXT_NODE.sub(lambda m: '>' + _fr_text(m.group(1)) + '<', parts[index])
    return ''.join(parts)
