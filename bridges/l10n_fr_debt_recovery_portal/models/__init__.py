from . import debt_recovery_dashboard
