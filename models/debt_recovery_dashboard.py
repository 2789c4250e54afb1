"""Key figures of the recovery over a period, computed in PostgreSQL.

``debt.recovery.dashboard.get_figures(date_from, date_to, company_ids)`` returns a
dict. *Invoicing > Recovery > Dashboard* is a page of its own (the client action
``l10n_fr_debt_recovery.dashboard``, static/src/dashboard): it shows
``get_dashboard``, the same figures ready to display in the user's language, with
the open cases by state and the debtors who owe the most, for the companies
chosen in the company switcher. The transient model's fields give the figures
their labels (and keep the figures readable as a record). Every figure is one
aggregate query (``_read_group`` or SQL): the number of queries does not depend
on the number of invoices, and no Python loop runs over invoices.
"""
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round, formatLang

from .debt_recovery_case import CASE_STATES
from .debt_recovery_report import AGE_BUCKETS

DSO_MAX_MONTHS = 24
TOP_DEBTORS = 10   # debtors listed on the dashboard page


class DebtRecoveryDashboard(models.TransientModel):
    _name = 'debt.recovery.dashboard'
    _description = 'Debt Recovery Dashboard'

    date_from = fields.Date(
        "From", required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        'res.company', string="Companies", required=True, default=lambda self: self.env.companies,
        domain=lambda self: [('id', 'in', self.env.companies.ids)])
    currency_id = fields.Many2one('res.currency', compute='_compute_figures')

    overdue_amount = fields.Monetary("Overdue Now", compute='_compute_figures')
    overdue_0_30 = fields.Monetary("0-30 Days Late", compute='_compute_figures')
    overdue_31_60 = fields.Monetary("31-60 Days Late", compute='_compute_figures')
    overdue_61_90 = fields.Monetary("61-90 Days Late", compute='_compute_figures')
    overdue_90_plus = fields.Monetary("Over 90 Days Late", compute='_compute_figures')
    overdue_debtor_count = fields.Integer("Debtors Late", compute='_compute_figures')
    invoices_due_count = fields.Integer("Invoices Due in the Period", compute='_compute_figures')
    invoices_on_time_count = fields.Integer("Paid on Time", compute='_compute_figures')
    paid_on_time_rate = fields.Float(
        "Paid on Time (%)", compute='_compute_figures', digits=(16, 1),
        help="Customer invoices due in the period (last due date), not reversed, whose instalments are all "
             "reconciled, each no later than its own due date (latest reconciliation date, "
             "account.partial.reconcile max_date).")
    receivables_amount = fields.Monetary(
        "Receivables at Period End", compute='_compute_figures',
        help="Balance of the receivable accounts at the end of the period (posted entries).")
    dso = fields.Float(
        "DSO (days, countback)", compute='_compute_figures', digits=(16, 1),
        help="Days sales outstanding by the countback method: the receivables at the end of the period are "
             "counted back against the sales of the month of the period end, then of each previous month.")
    recovered_after_reminder = fields.Monetary(
        "Recovered after a Reminder", compute='_compute_figures',
        help="Payments dated in the period, reconciled with customer invoices on or after the day of "
             "their first reminder step done.")
    penalties_billed = fields.Monetary("Penalties Billed", compute='_compute_figures')
    penalties_collected = fields.Monetary("Penalties Collected", compute='_compute_figures')
    indemnities_billed = fields.Monetary("Indemnities Billed", compute='_compute_figures')
    indemnities_collected = fields.Monetary("Indemnities Collected", compute='_compute_figures')
    cases_open_count = fields.Integer("Open Cases", compute='_compute_figures')
    cases_by_state = fields.Html("Cases by Status", compute='_compute_figures', sanitize=False)

    @api.depends('date_from', 'date_to', 'company_ids')
    def _compute_figures(self):
        states = dict(self.env['debt.recovery.case']._fields['state']._description_selection(self.env))
        for board in self:
            board.currency_id = (board.company_ids[:1] or self.env.company).currency_id
            figures = {}
            if board.date_from and board.date_to and board.date_from <= board.date_to:
                figures = self.get_figures(board.date_from, board.date_to, board.company_ids.ids)
            buckets = figures.get('overdue_by_bucket', {})
            board.overdue_amount = figures.get('overdue_amount', 0.0)
            board.overdue_0_30 = buckets.get('0_30', 0.0)
            board.overdue_31_60 = buckets.get('31_60', 0.0)
            board.overdue_61_90 = buckets.get('61_90', 0.0)
            board.overdue_90_plus = buckets.get('90_plus', 0.0)
            board.overdue_debtor_count = figures.get('overdue_debtor_count', 0)
            board.invoices_due_count = figures.get('invoices_due', 0)
            board.invoices_on_time_count = figures.get('invoices_paid_on_time', 0)
            board.paid_on_time_rate = figures.get('paid_on_time_rate', 0.0)
            board.receivables_amount = figures.get('receivables', 0.0)
            board.dso = figures.get('dso', 0.0)
            board.recovered_after_reminder = figures.get('recovered_after_reminder', 0.0)
            board.penalties_billed = figures.get('penalties_billed', 0.0)
            board.penalties_collected = figures.get('penalties_collected', 0.0)
            board.indemnities_billed = figures.get('indemnities_billed', 0.0)
            board.indemnities_collected = figures.get('indemnities_collected', 0.0)
            board.cases_open_count = figures.get('cases_open', 0)
            rows = Markup('').join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>") % (states[state], count)
                for state, count in figures.get('cases_by_state', {}).items())
            board.cases_by_state = rows and Markup("<table class='table table-sm'><tbody>%s</tbody></table>") % rows

    # -------------------------------------------------------------------------
    # Figures
    # -------------------------------------------------------------------------
    @api.model
    def get_figures(self, date_from, date_to, company_ids=None):
        """Key figures of the recovery, amounts in company currency.

        :param date_from, date_to: the period (dates or ISO strings), both included
        :param company_ids: companies to include, within the active ones (default: the active ones)
        :return: dict with

        * ``overdue_amount``, ``overdue_by_bucket`` ``{'0_30'|'31_60'|'61_90'|'90_plus': amount}``,
          ``overdue_debtor_count``: open overdue posted customer invoices *now*
          (``debt.recovery.report``: days late against CURRENT_DATE from the oldest unpaid due date);
        * ``invoices_due``: posted customer invoices (not reversed) whose due date (the last
          instalment's) falls in the period; ``invoices_paid_on_time``: those whose receivable
          lines are all reconciled, each with its latest reconciliation date
          (``account.partial.reconcile.max_date``, i.e. the payment or credit-note date) no later
          than its own due date; ``paid_on_time_rate`` = 100 x on time / due (0 when none is due);
        * ``receivables``: R = balance of the receivable accounts (posted lines dated <= date_to);
          ``dso`` by the countback method: with S0 the sales (posted customer invoices minus credit
          notes, tax included, by invoice date) from the 1st of date_to's month to date_to and
          d0 = date_to.day, then S1, S2, ... the sales of each previous calendar month and d1, d2,
          ... their number of days: DSO = d0 + ... + d(k-1) + d(k) x (R - S0 - ... - S(k-1)) / S(k)
          for the first month k where the sales cover what is left of R (0 when R <= 0; capped
          at 24 months);
        * ``recovered_after_reminder``: sum of the reconciliations (amount in company currency)
          dated in the period between customer invoices and payments or bank entries (not credit
          notes), when a reminder step was done on the invoice on that day or before
          (``debt.recovery.event`` step, state done);
        * ``penalties_billed`` / ``indemnities_billed``: posted penalty-invoice lines
          (``recovery_claim_kind``) dated in the period (untaxed, company currency);
          ``penalties_collected`` / ``indemnities_collected``: their paid part to date, i.e. each
          line x (payments reconciled with its penalty invoice, credit notes excluded) / invoice total;
        * ``cases_open`` and ``cases_by_state`` ``{state: count}``: cases not closed, now.
        """
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_user'):
            raise AccessError(_("Only debt recovery users can see the recovery dashboard."))
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not date_from or not date_to or date_from > date_to:
            raise UserError(_("Choose a period whose start is before its end."))
        companies = self.env.companies
        if company_ids:
            companies = companies.filtered(lambda c: c.id in company_ids)
        ids = companies.ids or [0]
        self.env.flush_all()
        figures = {'date_from': date_from, 'date_to': date_to, 'company_ids': companies.ids}
        figures.update(self._figures_overdue(ids))
        figures.update(self._figures_on_time(ids, date_from, date_to))
        figures.update(self._figures_dso(ids, date_to))
        figures['recovered_after_reminder'] = self._figures_recovered(ids, date_from, date_to)
        figures.update(self._figures_penalties(ids, date_from, date_to))
        figures.update(self._figures_cases(ids))
        return figures

    @api.model
    def _figures_overdue(self, ids):
        Report = self.env['debt.recovery.report']
        domain = [('company_id', 'in', ids)]
        by_bucket = dict.fromkeys((key for key, __ in AGE_BUCKETS), 0.0)
        by_bucket.update(Report._read_group(domain, ['age_bucket'], ['amount_residual:sum']))
        [(total, debtors)] = Report._read_group(domain, [], ['amount_residual:sum', 'partner_id:count_distinct'])
        return {'overdue_amount': total or 0.0, 'overdue_by_bucket': by_bucket, 'overdue_debtor_count': debtors}

    @api.model
    def _figures_on_time(self, ids, date_from, date_to):
        [(due, on_time)] = self.env.execute_query(SQL(
            """
            SELECT COUNT(*), COUNT(*) FILTER (WHERE inv.on_time)
              FROM (
                SELECT m.id,
                       BOOL_AND(l.reconciled AND COALESCE(
                           (SELECT MAX(p.max_date) FROM account_partial_reconcile p WHERE p.debit_move_id = l.id),
                           m.invoice_date
                       ) <= COALESCE(l.date_maturity, m.invoice_date_due)) AS on_time
                  FROM account_move m
                  JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
                 WHERE m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.payment_state != 'reversed'
                   AND m.company_id = ANY(%(ids)s)
                   AND m.invoice_date_due BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY m.id
              ) inv
            """, ids=ids, date_from=date_from, date_to=date_to))
        rate = float_round(100.0 * on_time / due, 1) if due else 0.0
        return {'invoices_due': due, 'invoices_paid_on_time': on_time, 'paid_on_time_rate': rate}

    @api.model
    def _figures_dso(self, ids, date_to):
        [(receivables,)] = self.env.execute_query(SQL(
            """
            SELECT COALESCE(SUM(l.balance), 0)
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable'
               AND l.parent_state = 'posted'
               AND l.company_id = ANY(%(ids)s)
               AND l.date <= %(date_to)s
            """, ids=ids, date_to=date_to))
        month_start = date_to.replace(day=1)
        first = month_start - relativedelta(months=DSO_MAX_MONTHS - 1)
        sales = dict(self.env['account.move']._read_group(
            [('move_type', 'in', ('out_invoice', 'out_refund')), ('state', '=', 'posted'),
             ('company_id', 'in', ids), ('invoice_date', '>=', first), ('invoice_date', '<=', date_to)],
            ['invoice_date:month'], ['amount_total_signed:sum']))
        sales = {fields.Date.to_date(month): amount for month, amount in sales.items()}
        return {'receivables': receivables, 'dso': self._countback(receivables, sales, date_to)}

    @api.model
    def _countback(self, receivables, monthly_sales, date_to):
        """DSO by the countback method (see :meth:`get_figures`).

        :param monthly_sales: ``{first day of the month: sales}``
        """
        remaining, dso = receivables, 0.0
        month_start = date_to.replace(day=1)
        days = date_to.day  # the month of the period end counts up to date_to
        for __ in range(DSO_MAX_MONTHS):
            if remaining <= 0:
                break
            sales = monthly_sales.get(month_start, 0.0)
            if sales > 0 and remaining <= sales:
                dso += days * remaining / sales
                remaining = 0
                break
            dso += days
            remaining -= max(sales, 0.0)
            month_start -= relativedelta(months=1)
            days = ((month_start + relativedelta(months=1)) - month_start).days
        return float_round(dso, 1)

    @api.model
    def _figures_recovered(self, ids, date_from, date_to, payments=None):
        """What payments settled in the period on invoices that had received a reminder
        by then; ``payments``: an SQL condition on the payment's move ``cm`` (default: all)."""
        [(amount,)] = self.env.execute_query(SQL(
            """
            SELECT COALESCE(SUM(p.amount), 0)
              FROM account_partial_reconcile p
              JOIN account_move_line dl ON dl.id = p.debit_move_id
              JOIN account_move dm ON dm.id = dl.move_id
              JOIN account_move_line cl ON cl.id = p.credit_move_id
              JOIN account_move cm ON cm.id = cl.move_id
             WHERE dm.move_type = 'out_invoice'
               AND dm.company_id = ANY(%(ids)s)
               AND cm.move_type = 'entry'
               AND %(payments)s
               AND p.max_date BETWEEN %(date_from)s AND %(date_to)s
               AND EXISTS (
                   SELECT 1 FROM debt_recovery_event e
                    WHERE e.move_id = dm.id AND e.state = 'done' AND e.event_type = 'step'
                      AND e.date < p.max_date + 1)
            """, ids=ids, date_from=date_from, date_to=date_to, payments=payments or SQL("TRUE")))
        return amount

    @api.model
    def _figures_penalties(self, ids, date_from, date_to):
        rows = self.env.execute_query(SQL(
            """
            SELECT l.recovery_claim_kind,
                   COALESCE(SUM(-l.balance), 0),
                   COALESCE(SUM(-l.balance * LEAST(COALESCE(paid.amount, 0) / NULLIF(m.amount_total_signed, 0), 1)), 0)
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              LEFT JOIN LATERAL (
                   SELECT SUM(p.amount) AS amount
                     FROM account_move_line rl
                     JOIN account_partial_reconcile p ON p.debit_move_id = rl.id
                     JOIN account_move_line cl ON cl.id = p.credit_move_id
                     JOIN account_move cm ON cm.id = cl.move_id
                    WHERE rl.move_id = m.id AND rl.display_type = 'payment_term' AND cm.move_type = 'entry'
              ) paid ON TRUE
             WHERE l.recovery_claim_kind IS NOT NULL
               AND l.parent_state = 'posted'
               AND m.move_type = 'out_invoice'
               AND l.company_id = ANY(%(ids)s)
               AND l.date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY l.recovery_claim_kind
            """, ids=ids, date_from=date_from, date_to=date_to))
        figures = dict.fromkeys(('penalties_billed', 'penalties_collected',
                                 'indemnities_billed', 'indemnities_collected'), 0.0)
        currency = self.env['res.company'].browse(ids[0]).currency_id if ids[0] else self.env.company.currency_id
        for kind, billed, collected in rows:
            prefix = 'penalties' if kind == 'penalty' else 'indemnities'
            figures[f'{prefix}_billed'] = currency.round(billed)
            figures[f'{prefix}_collected'] = currency.round(collected)
        return figures

    @api.model
    def _figures_cases(self, ids):
        by_state = dict(self.env['debt.recovery.case']._read_group(
            [('company_id', 'in', ids), ('state', '!=', 'closed')], ['state'], ['__count']))
        ordered = {state: by_state[state] for state, __ in CASE_STATES if state in by_state}
        return {'cases_open': sum(ordered.values()), 'cases_by_state': ordered}

    # -------------------------------------------------------------------------
    # The page
    # -------------------------------------------------------------------------
    @api.model
    def get_dashboard(self, date_from=None, date_to=None):
        """What the dashboard page shows, ready to display in the user's language, for
        the companies of the company switcher (``self.env.companies``).

        :param date_from, date_to: the period (ISO strings or dates); default: from the
            1st of January to today
        :return: dict with ``date_from``, ``date_to`` (ISO), ``sections`` (each a ``title`` and
            ``rows`` of ``{name, label, value, help, open}``, ``open`` naming the list the row
            opens: ``overdue``, ``debtors``, ``cases`` or False), ``cases`` (open cases by state:
            ``{state, label, count}`` in the ladder's order, labels translated) and ``debtors``
            (the ones who owe the most: ``{id, name, amount, days_late, state, state_label,
            next_action, due_now}``, ``id`` being the ``debt.recovery.debtor.report`` row)
        """
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(date_from) or today.replace(month=1, day=1)
        date_to = fields.Date.to_date(date_to) or today
        figures = self.get_figures(date_from, date_to)
        currency = self.env.companies[:1].currency_id or self.env.company.currency_id
        buckets = figures['overdue_by_bucket']

        def money(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        def row(fname, value, open_=False):
            field = self._fields[fname]
            return {'name': fname, 'label': field._description_string(self.env),
                    'help': field._description_help(self.env) or '', 'value': value, 'open': open_}

        sections = [
            {'name': 'overdue', 'title': _("Overdue now"), 'rows': [
                row('overdue_amount', money(figures['overdue_amount']), 'overdue'),
                row('overdue_0_30', money(buckets['0_30']), 'overdue'),
                row('overdue_31_60', money(buckets['31_60']), 'overdue'),
                row('overdue_61_90', money(buckets['61_90']), 'overdue'),
                row('overdue_90_plus', money(buckets['90_plus']), 'overdue'),
                row('overdue_debtor_count', str(figures['overdue_debtor_count']), 'debtors'),
            ]},
            {'name': 'behaviour', 'title': _("Payment behaviour in the period"), 'rows': [
                row('invoices_due_count', str(figures['invoices_due'])),
                row('invoices_on_time_count', str(figures['invoices_paid_on_time'])),
                row('paid_on_time_rate', "%s %%" % formatLang(self.env, figures['paid_on_time_rate'], digits=1)),
                row('receivables_amount', money(figures['receivables'])),
                row('dso', formatLang(self.env, figures['dso'], digits=1)),
            ]},
            {'name': 'recovered', 'title': _("Recovered in the period"), 'rows': [
                row('recovered_after_reminder', money(figures['recovered_after_reminder'])),
                row('penalties_billed', money(figures['penalties_billed'])),
                row('penalties_collected', money(figures['penalties_collected'])),
                row('indemnities_billed', money(figures['indemnities_billed'])),
                row('indemnities_collected', money(figures['indemnities_collected'])),
            ]},
        ]
        sections += self._dashboard_more_sections(figures, money, row)
        labels = dict(self.env['debt.recovery.case']._fields['state']._description_selection(self.env))
        cases = [{'state': state, 'label': labels[state], 'count': count}
                 for state, count in figures['cases_by_state'].items()]
        return {
            'date_from': fields.Date.to_string(date_from),
            'date_to': fields.Date.to_string(date_to),
            'currency': currency.name,
            'sections': sections,
            'cases_title': _("Open cases"),
            'cases_open': figures['cases_open'],
            'cases': cases,
            'debtors': self._top_debtors(today),
        }

    @api.model
    def _dashboard_more_sections(self, figures, money, row):
        """Other sections of the page, from the same ``figures`` (hook)."""
        return []

    @api.model
    def _top_debtors(self, today):
        """The debtors who owe the most now (one query on the debtors' ranking)."""
        Debtors = self.env['debt.recovery.debtor.report']
        rows = Debtors.search(self._company_domain(), order='amount_overdue desc, id', limit=TOP_DEBTORS)
        states = dict(Debtors._fields['state']._description_selection(self.env))
        return [{
            'id': debtor.id,
            'name': debtor.partner_id.display_name,
            'amount': formatLang(self.env, debtor.amount_overdue, currency_obj=debtor.currency_id),
            'days_late': debtor.max_days_late,
            'state': debtor.state,
            'state_label': states.get(debtor.state, ''),
            'next_action': debtor.next_action or '',
            'due_now': bool(debtor.next_date and debtor.next_date <= today),
        } for debtor in rows]

    # -------------------------------------------------------------------------
    # Buttons (of the page, called on no record, and of a record)
    # -------------------------------------------------------------------------
    def _company_domain(self):
        companies = self.company_ids or self.env.companies
        return [('company_id', 'in', companies.ids)]

    def action_open_overdue_analysis(self):
        action = self.env['ir.actions.act_window']._for_xml_id('l10n_fr_debt_recovery.action_debt_recovery_report')
        action['domain'] = self._company_domain()
        return action

    def action_open_debtors(self):
        action = self.env['ir.actions.act_window']._for_xml_id(
            'l10n_fr_debt_recovery.action_debt_recovery_debtor_report')
        action['domain'] = self._company_domain()
        return action

    def action_open_cases(self, state=None):
        """The open cases; with ``state``, those in that state."""
        action = self.env['ir.actions.act_window']._for_xml_id('l10n_fr_debt_recovery.action_debt_recovery_case')
        action['domain'] = self._company_domain() + (
            [('state', '=', state)] if state in dict(CASE_STATES) else [('state', '!=', 'closed')])
        action['context'] = {'search_default_open': 0}
        return action
