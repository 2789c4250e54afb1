from . import debt_recovery_invoice_wizard
from . import debt_recovery_remind
from . import debt_recovery_dispute
from . import debt_recovery_call_outcome
from . import debt_recovery_pause
from . import debt_recovery_suspend
from . import debt_recovery_agency_wizard
