from . import res_company
from . import debt_recovery_channel
from . import debt_recovery_event
from . import snailmail_letter
from . import report_reminder_letter
