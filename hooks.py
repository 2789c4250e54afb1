"""Install hooks: the stored columns are added and filled in SQL, so installing
on a database with hundreds of thousands of invoices does not recompute each
invoice in Python (the ORM only recomputes a stored field whose column it creates)."""
from odoo.tools import SQL


def _pre_init_hook(env):
    cr = env.cr
    cr.execute("""
        ALTER TABLE account_move
            ADD COLUMN IF NOT EXISTS recovery_state varchar,
            ADD COLUMN IF NOT EXISTS recovery_due_date date,
            ADD COLUMN IF NOT EXISTS recovery_plan_id integer,
            ADD COLUMN IF NOT EXISTS recovery_next_step_id integer,
            ADD COLUMN IF NOT EXISTS recovery_next_date date,
            ADD COLUMN IF NOT EXISTS recovery_service_date date;
        ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS recovery_debtor_type varchar;
    """)
    # Open customer invoices enter the recovery machine; the others stay out of it.
    cr.execute("""
        UPDATE account_move
           SET recovery_state = CASE
                   WHEN move_type = 'out_invoice' AND state = 'posted'
                        AND payment_state IN ('not_paid', 'partial') THEN 'running'
                   ELSE 'none' END
         WHERE recovery_state IS NULL
    """)
    # The work or service was completed, unless told otherwise, on the invoice date.
    cr.execute("UPDATE account_move SET recovery_service_date = invoice_date "
               "WHERE recovery_service_date IS NULL AND invoice_date IS NOT NULL")
    # Due date of the oldest unpaid instalment.
    cr.execute("""
        UPDATE account_move m
           SET recovery_due_date = COALESCE(l.due, m.invoice_date_due)
          FROM (SELECT line.move_id, MIN(line.date_maturity) AS due
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                 WHERE account.account_type = 'asset_receivable' AND NOT line.reconciled
                   AND line.date_maturity IS NOT NULL
              GROUP BY line.move_id) l
         WHERE l.move_id = m.id AND m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
    """)
    cr.execute("""
        UPDATE account_move SET recovery_due_date = invoice_date_due
         WHERE recovery_due_date IS NULL AND invoice_date_due IS NOT NULL
    """)
    cr.execute("""
        UPDATE res_partner p
           SET recovery_debtor_type = CASE WHEN c.is_company OR c.vat IS NOT NULL
                                           THEN 'professional' ELSE 'consumer' END
          FROM res_partner c
         WHERE c.id = COALESCE(p.commercial_partner_id, p.id) AND p.recovery_debtor_type IS NULL
    """)


def _post_init_hook(env):
    plan = env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default')
    companies = env['res.company'].search([('recovery_plan_id', '=', False)])
    companies.write({'recovery_plan_id': plan.id})
    # The late-payment mentions in French; the invoice report prints them on business
    # customers' invoices (never in the terms and conditions copied on every invoice).
    env['res.company'].search([])._recovery_set_default_mentions()
    env.flush_all()
    first_step = plan._get_active_steps()[:1]
    env.cr.execute(SQL("""
        UPDATE account_move m
           SET recovery_plan_id = c.recovery_plan_id
          FROM res_company c
         WHERE c.id = m.company_id AND m.recovery_plan_id IS NULL AND m.move_type = 'out_invoice'
    """))
    if first_step:
        env.cr.execute(SQL("""
            UPDATE account_move
               SET recovery_next_step_id = %(step)s,
                   recovery_next_date = recovery_due_date + %(delay)s
             WHERE recovery_state = 'running' AND recovery_plan_id = %(plan)s
               AND recovery_next_step_id IS NULL
        """, step=first_step.id, delay=first_step.delay, plan=plan.id))
    env['account.move'].invalidate_model(['recovery_plan_id', 'recovery_next_step_id', 'recovery_next_date'])
    # The columns were filled in SQL: the planner learns their distribution now rather
    # than at the next autovacuum (the engine selects on them, the dashboard on the
    # claim lines, which are none yet).
    env.cr.execute("ANALYZE account_move, account_move_line")
