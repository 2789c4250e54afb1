from . import fr_format, legal_dates, penalty, court, pdf_stamp, ar24
