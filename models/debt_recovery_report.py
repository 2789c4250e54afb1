"""Recovery analysis: SQL views over the open overdue customer invoices.

``debt.recovery.report``         one row per open overdue posted customer invoice
                                 (graph and pivot: amount by stage, state, age bucket)
``debt.recovery.debtor.report``  one row per company and debtor (commercial partner),
                                 ranked by amount overdue, with its stage and next action

Both are read-only models without table (``_auto = False``) whose content is a
query (``_table_query``, as ``account.invoice.report``): every search, read_group
or pivot is one aggregate query in PostgreSQL, whatever the number of invoices.
The days late are counted against ``CURRENT_DATE`` in SQL, from
``recovery_due_date`` (the oldest unpaid instalment, the date the reminder plan
counts from), else the invoice's due date.
"""
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .account_move import RECOVERY_DISPLAY_STATES, recovery_next_action

AGE_BUCKETS = [
    ('0_30', "0-30 days"),
    ('31_60', "31-60 days"),
    ('61_90', "61-90 days"),
    ('90_plus', "Over 90 days"),
]
# open = not settled: the module's SETTLED_PAYMENT_STATES are paid, in_payment, reversed
OPEN_PAYMENT_STATES = ('not_paid', 'partial')
# "most advanced" recovery state of a debtor, for the debtors' list: what stops or
# changes the reminders first (insolvency, agency, case, never remind, dispute)
STATE_RANK = {'insolvency': 9, 'agency': 8, 'case': 7, 'blocked': 6, 'disputed': 5, 'suspended': 4,
              'running': 3, 'paused': 2, 'closed': 1, 'none': 0}

_DEPENDS = {
    'account.move': [
        'move_type', 'state', 'payment_state', 'company_id', 'commercial_partner_id', 'partner_id',
        'invoice_date', 'invoice_date_due', 'recovery_due_date', 'recovery_state', 'recovery_step_id',
        'recovery_next_step_id', 'recovery_next_date', 'amount_residual_signed', 'amount_total_signed',
        'amount_residual', 'currency_id', 'invoice_user_id',
    ],
    'debt.recovery.step': ['sequence', 'delay'],
    'res.partner': ['recovery_blocked', 'recovery_suspended'],
}


def overdue_invoices_query():
    """The open overdue posted customer invoices, with their age (SQL).

    The status is the one the screens show (``account_move.recovery_display_state``):
    a customer marked *Never remind* reads so, and has no next action."""
    blocked, suspended = (SQL("COALESCE((p.%s ->> m.company_id::text)::boolean, FALSE)", SQL.identifier(fname))
                          for fname in ('recovery_blocked', 'recovery_suspended'))
    return SQL(
        """
        SELECT m.id AS id,
               m.id AS move_id,
               m.company_id AS company_id,
               m.commercial_partner_id AS partner_id,
               m.partner_id AS contact_id,
               m.invoice_user_id AS invoice_user_id,
               m.recovery_step_id AS step_id,
               CASE WHEN %(blocked)s THEN NULL ELSE m.recovery_next_step_id END AS next_step_id,
               CASE WHEN %(blocked)s THEN NULL ELSE m.recovery_next_date END AS next_date,
               CASE
                   WHEN m.recovery_state IN ('running', 'paused') AND %(blocked)s THEN 'blocked'
                   WHEN m.recovery_state = 'running' AND %(suspended)s THEN 'suspended'
                   ELSE m.recovery_state
               END AS state,
               m.invoice_date AS invoice_date,
               COALESCE(m.recovery_due_date, m.invoice_date_due) AS due_date,
               CURRENT_DATE - COALESCE(m.recovery_due_date, m.invoice_date_due) AS days_late,
               CASE
                   WHEN CURRENT_DATE - COALESCE(m.recovery_due_date, m.invoice_date_due) <= 30 THEN '0_30'
                   WHEN CURRENT_DATE - COALESCE(m.recovery_due_date, m.invoice_date_due) <= 60 THEN '31_60'
                   WHEN CURRENT_DATE - COALESCE(m.recovery_due_date, m.invoice_date_due) <= 90 THEN '61_90'
                   ELSE '90_plus'
               END AS age_bucket,
               m.amount_residual_signed AS amount_residual,
               m.amount_total_signed AS amount_total,
               m.amount_residual AS amount_residual_currency,
               company.currency_id AS currency_id,
               m.currency_id AS invoice_currency_id
          FROM account_move m
          JOIN res_company company ON company.id = m.company_id
          JOIN res_partner p ON p.id = m.commercial_partner_id
         WHERE m.move_type = 'out_invoice'
           AND m.state = 'posted'
           AND m.payment_state IN %(open)s
           AND COALESCE(m.recovery_due_date, m.invoice_date_due) < CURRENT_DATE
        """,
        open=OPEN_PAYMENT_STATES, blocked=blocked, suspended=suspended,
    )


class DebtRecoveryAnalysis(models.AbstractModel):
    """What the two analyses (SQL views of the open invoices) share."""
    _name = 'debt.recovery.analysis'
    _description = 'Debt Recovery Analysis'
    _auto = False

    company_id = fields.Many2one('res.company', string="Company", readonly=True)
    partner_id = fields.Many2one('res.partner', string="Debtor", readonly=True)

    _depends = _DEPENDS

    @api.depends('next_date')
    @api.depends_context('lang')
    def _compute_next_action(self):
        """``next_date`` and ``next_action`` are declared by each analysis."""
        today = fields.Date.context_today(self)
        for row in self:
            row.next_action = recovery_next_action(self.env, row.next_date, today)


class DebtRecoveryReport(models.Model):
    _name = 'debt.recovery.report'
    _inherit = 'debt.recovery.analysis'
    _description = 'Overdue Invoices Analysis'
    _auto = False
    _rec_name = 'move_id'
    _order = 'days_late desc, id'

    move_id = fields.Many2one('account.move', string="Invoice", readonly=True)
    contact_id = fields.Many2one('res.partner', string="Invoice Address", readonly=True)
    invoice_user_id = fields.Many2one('res.users', string="Salesperson", readonly=True)
    step_id = fields.Many2one('debt.recovery.step', string="Last Reminder Step", readonly=True)
    next_step_id = fields.Many2one('debt.recovery.step', string="Next Reminder Step", readonly=True)
    next_date = fields.Date("Next Reminder", readonly=True)
    next_action = fields.Char("Next Action", compute='_compute_next_action',
                              help="\"Due now\" once the next reminder's date has come; never a past date.")
    state = fields.Selection(RECOVERY_DISPLAY_STATES, string="Recovery Status", readonly=True)
    invoice_date = fields.Date("Invoice Date", readonly=True)
    due_date = fields.Date("Due Date", readonly=True)
    days_late = fields.Integer("Days Late", readonly=True, aggregator='max')
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    amount_residual = fields.Monetary("Amount Overdue", readonly=True, currency_field='currency_id',
                                      help="Amount due, in the company's currency.")
    amount_total = fields.Monetary("Invoice Total", readonly=True, currency_field='currency_id')
    amount_residual_currency = fields.Monetary(
        "Amount Due in Invoice Currency", readonly=True, currency_field='invoice_currency_id', aggregator=None)
    currency_id = fields.Many2one('res.currency', string="Company Currency", readonly=True)
    invoice_currency_id = fields.Many2one('res.currency', string="Invoice Currency", readonly=True)


    @property
    def _table_query(self):
        return overdue_invoices_query()

    def init(self):
        # The open customer invoices are a small part of a large database: a partial
        # index makes both analyses scale with them, not with the whole history.
        create_index(
            self.env.cr, 'account_move_recovery_open_invoice_idx', 'account_move',
            ['company_id', 'commercial_partner_id'],
            where="move_type = 'out_invoice' AND state = 'posted' AND payment_state IN ('not_paid', 'partial')",
        )

    def action_open_invoice(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'account.move',
            'res_id': self.move_id.id,
            'view_mode': 'form',
            'views': [(False, 'form')],
        }


class DebtRecoveryDebtorReport(models.Model):
    _name = 'debt.recovery.debtor.report'
    _inherit = 'debt.recovery.analysis'
    _description = 'Debtors Ranked by Amount Overdue'
    _auto = False
    _rec_name = 'partner_id'
    _order = 'amount_overdue desc, id'

    amount_overdue = fields.Monetary("Amount Overdue", readonly=True, currency_field='currency_id')
    invoice_count = fields.Integer("Overdue Invoices", readonly=True)
    oldest_due_date = fields.Date("Oldest Due Date", readonly=True, aggregator='min')
    max_days_late = fields.Integer("Days Late", readonly=True, aggregator='max',
                                   help="Days late of the oldest overdue invoice.")
    step_id = fields.Many2one('debt.recovery.step', string="Stage", readonly=True,
                              help="The most advanced reminder step done among the debtor's overdue invoices.")
    state = fields.Selection(RECOVERY_DISPLAY_STATES, string="Recovery Status", readonly=True,
                             help="The most advanced status among the debtor's overdue invoices (insolvency "
                                  "proceedings, agency, case, never remind, disputed, work suspended, running, "
                                  "paused).")
    next_date = fields.Date("Next Action Date", readonly=True, aggregator='min',
                            help="Earliest next reminder date among the debtor's overdue invoices.")
    next_action = fields.Char("Next Action", compute='_compute_next_action',
                              help="\"Due now\" once the earliest next reminder's date has come; never a past "
                                   "date; empty for a customer never reminded.")
    next_step_id = fields.Many2one('debt.recovery.step', string="Next Step", readonly=True,
                                   help="The step due at the next action date.")
    currency_id = fields.Many2one('res.currency', string="Currency", readonly=True)


    @property
    def _table_query(self):
        state_rank = SQL("CASE inv.state %s ELSE 0 END", SQL(" ").join(
            SQL("WHEN %s THEN %s", state, rank) for state, rank in STATE_RANK.items()))
        return SQL(
            """
            SELECT MIN(inv.id) AS id,
                   inv.company_id,
                   inv.partner_id,
                   inv.currency_id,
                   SUM(inv.amount_residual) AS amount_overdue,
                   COUNT(*) AS invoice_count,
                   MIN(inv.due_date) AS oldest_due_date,
                   MAX(inv.days_late) AS max_days_late,
                   (ARRAY_AGG(inv.step_id ORDER BY step.sequence DESC, step.delay DESC, step.id DESC)
                        FILTER (WHERE inv.step_id IS NOT NULL))[1] AS step_id,
                   (ARRAY_AGG(inv.state ORDER BY %(state_rank)s DESC))[1] AS state,
                   MIN(inv.next_date) AS next_date,
                   (ARRAY_AGG(inv.next_step_id ORDER BY inv.next_date, next_step.sequence, next_step.delay)
                        FILTER (WHERE inv.next_date IS NOT NULL))[1] AS next_step_id
              FROM (%(invoices)s) inv
              LEFT JOIN debt_recovery_step step ON step.id = inv.step_id
              LEFT JOIN debt_recovery_step next_step ON next_step.id = inv.next_step_id
             GROUP BY inv.company_id, inv.partner_id, inv.currency_id
            """,
            invoices=overdue_invoices_query(),
            state_rank=state_rank,
        )

    def action_open_invoices(self):
        """The debtor's open invoices, in the recovery list (a click on the ranking's row)."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._("Open invoices of %s", self.partner_id.display_name),
            'res_model': 'account.move',
            'view_mode': 'list,kanban,form',
            'views': [(self.env.ref('l10n_fr_debt_recovery.view_move_list_debt_recovery').id, 'list'),
                      (self.env.ref('l10n_fr_debt_recovery.view_move_kanban_debt_recovery').id, 'kanban'),
                      (False, 'form')],
            'search_view_id': [self.env.ref('account.view_account_invoice_filter').id],
            'domain': [('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
                       ('company_id', '=', self.company_id.id),
                       ('commercial_partner_id', '=', self.partner_id.id),
                       ('payment_state', 'in', OPEN_PAYMENT_STATES)],
            'context': {'create': False, 'default_move_type': 'out_invoice'},
        }
