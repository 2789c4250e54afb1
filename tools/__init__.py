from . import fr_format, legal_dates, penalty, court, ar24
