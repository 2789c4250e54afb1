"""19.0.1.2.0, before the module loads: ``account.move.recovery_service_date`` (work
or service completed on, C. conso L218-2) is a new stored field; its column is created
and filled here in SQL with the invoice date, so the upgrade does not recompute every
invoice in Python (the ORM only computes a stored field whose column it creates)."""


def migrate(cr, version):
    cr.execute("ALTER TABLE account_move ADD COLUMN IF NOT EXISTS recovery_service_date date")
    cr.execute("UPDATE account_move SET recovery_service_date = invoice_date "
               "WHERE recovery_service_date IS NULL AND invoice_date IS NOT NULL")
