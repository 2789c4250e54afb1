from . import penalty, legal_dates
