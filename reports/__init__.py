from . import french_document
from . import report_formal_notice
from . import report_injunction_file
from . import report_customer_statement
from . import report_suspension_notice
from . import report_claim_declaration
from . import report_payment_plan
