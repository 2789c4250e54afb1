from . import debt_recovery_remind
