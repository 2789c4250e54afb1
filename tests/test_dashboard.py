"""Dashboard: the overdue analysis (SQL views), the debtors' ranking and the key
figures, on small datasets computed by hand; the query count does not grow with
the number of invoices."""
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command

from .common import DebtRecoveryCommon


def _segment(base, days, rate=12.15):
    """Penalty of one segment, half-up to the cent (ECB 2.15 + 10 points in 2026-H1)."""
    return round(base * rate * days / 36500 + 1e-9, 2)


class TestRecoveryDashboard(DebtRecoveryCommon):

    def _today_sql(self):
        self.env.cr.execute("SELECT CURRENT_DATE")
        return self.env.cr.fetchone()[0]

    def _figures(self, date_from, date_to):
        return self.env['debt.recovery.dashboard'].get_figures(date_from, date_to, self.company.ids)

    # -------------------------------------------------------------------------
    # Overdue analysis and debtors' ranking (days late against CURRENT_DATE)
    # -------------------------------------------------------------------------
    def test_overdue_buckets_stage_and_debtor_ranking(self):
        today = self._today_sql()

        def ago(days):
            return today - timedelta(days=days)

        a1 = self._invoice(self.debtor, ago(12), 1000)
        a2 = self._invoice(self.debtor, ago(40), 500)
        a5 = self._invoice(self.debtor, ago(30), 10)           # day 30: still 0-30
        not_due = self._invoice(self.debtor, today + timedelta(days=10), 400)
        paid = self._invoice(self.debtor, ago(20), 600)
        self._pay(paid, 600, ago(19))
        draft = self._invoice(self.debtor, ago(50), 5000, post=False)
        b1 = self._invoice(self.debtor_b, ago(70), 2000)
        b2 = self._invoice(self.debtor_b, ago(5), 300)
        self._pay(b2, 100, ago(6))                              # 200 left
        b3 = self._invoice(self.debtor_b, ago(31), 20)          # day 31: 31-60
        c1 = self._invoice(self.consumer, ago(100), 700)
        c2 = self._invoice(self.consumer, ago(90), 30)          # day 90: 61-90
        c3 = self._invoice(self.consumer, ago(91), 40)          # day 91: over 90
        self._run(today)

        # stages after the engine's run (catch-up rule, default plan)
        self.assertEqual(a1.recovery_step_id, self.step_courteous)
        self.assertEqual((a2 | a5).recovery_step_id, self.step_firm)
        self.assertEqual(b1.recovery_step_id, self.step_notice)
        self.assertEqual(set((b1 | b2 | b3 | c1 | c2 | c3).mapped('recovery_state')), {'case'})

        Report = self.env['debt.recovery.report']
        rows = Report.search([('company_id', '=', self.company.id)])
        self.assertEqual(rows.move_id, a1 | a2 | a5 | b1 | b2 | b3 | c1 | c2 | c3,
                         "open overdue posted customer invoices only (not the paid, the draft, the not yet due)")
        self.assertFalse((not_due | paid | draft) & rows.move_id)
        row_b2 = rows.filtered(lambda r: r.move_id == b2)
        self.assertEqual((row_b2.days_late, row_b2.age_bucket, row_b2.amount_residual), (5, '0_30', 200.0))
        self.assertEqual(row_b2.partner_id, self.debtor_b)
        self.assertEqual(row_b2.currency_id, self.company.currency_id)
        self.assertEqual(rows.filtered(lambda r: r.move_id == a5).age_bucket, '0_30')
        self.assertEqual(rows.filtered(lambda r: r.move_id == b3).age_bucket, '31_60')
        self.assertEqual(rows.filtered(lambda r: r.move_id == c2).age_bucket, '61_90')
        self.assertEqual(rows.filtered(lambda r: r.move_id == c3).age_bucket, '90_plus')

        by_bucket = dict(Report._read_group([('company_id', '=', self.company.id)], ['age_bucket'],
                                            ['amount_residual:sum']))
        self.assertEqual(by_bucket, {'0_30': 1000 + 200 + 10, '31_60': 500 + 20, '61_90': 2000 + 30,
                                     '90_plus': 700 + 40})
        by_step = dict(Report._read_group([('company_id', '=', self.company.id)], ['step_id'],
                                          ['amount_residual:sum']))
        self.assertEqual(by_step[self.step_courteous], 1000 + 200)
        self.assertEqual(by_step[self.step_firm], 500 + 10 + 20)
        self.assertEqual(by_step[self.step_notice], 2000 + 700 + 30 + 40)
        by_state = dict(Report._read_group([('company_id', '=', self.company.id)], ['state'],
                                           ['amount_residual:sum']))
        self.assertEqual(by_state, {'running': 1510, 'case': 2220 + 770})

        debtors = self.env['debt.recovery.debtor.report'].search([('company_id', '=', self.company.id)])
        self.assertEqual(debtors.partner_id.ids, [self.debtor_b.id, self.debtor.id, self.consumer.id],
                         "ranked by amount overdue, the largest first")
        self.assertEqual(debtors.mapped('amount_overdue'), [2220.0, 1510.0, 770.0])
        self.assertEqual(debtors.mapped('invoice_count'), [3, 3, 3])
        self.assertEqual(debtors.mapped('max_days_late'), [70, 40, 100])
        debtor_a, debtor_b = debtors[1], debtors[0]
        self.assertEqual(debtor_a.step_id, self.step_firm, "the most advanced step among its invoices")
        self.assertEqual(debtor_a.state, 'running')
        self.assertEqual(debtor_a.next_date, ago(12) + timedelta(days=15), "the earliest next reminder: a1's call")
        self.assertEqual(debtor_a.next_step_id, self.step_call)
        self.assertEqual((debtor_b.step_id, debtor_b.state), (self.step_notice, 'case'))
        self.assertFalse(debtor_b.next_date, "nothing planned by the reminders once in a case")

        figures = self._figures(today - timedelta(days=30), today)
        self.assertEqual(figures['overdue_amount'], 4500.0)
        self.assertEqual(figures['overdue_by_bucket'], {'0_30': 1210.0, '31_60': 520.0, '61_90': 2030.0,
                                                        '90_plus': 740.0})
        self.assertEqual(figures['overdue_debtor_count'], 3)
        self.assertEqual(figures['cases_open'], 2)
        self.assertEqual(figures['cases_by_state'], {'draft': 2})

    def test_record_rule_by_company(self):
        today = self._today_sql()
        other = self.setup_other_company(name='Other Company SAS')['company']
        mine = self._invoice(self.debtor, today - timedelta(days=10), 100)
        theirs = self._invoice(self.debtor, today - timedelta(days=10), 900, company=other)
        Report = self.env['debt.recovery.report']
        both = Report.with_context(allowed_company_ids=[self.company.id, other.id]).search([])
        self.assertEqual(both.move_id & (mine | theirs), mine | theirs)
        as_accountant = Report.with_user(self.accountant).search([])
        self.assertEqual(as_accountant.move_id, mine, "the user only sees his company's invoices")
        debtors = self.env['debt.recovery.debtor.report'].with_user(self.accountant).search([])
        self.assertEqual(debtors.mapped('amount_overdue'), [100.0])
        figures = self.env['debt.recovery.dashboard'].with_user(self.accountant).get_figures(
            today, today, [self.company.id, other.id])
        self.assertEqual(figures['company_ids'], self.company.ids, "only the companies the user works in")
        self.assertEqual(figures['overdue_amount'], 100.0)

    # -------------------------------------------------------------------------
    # Key figures on a known dataset
    # -------------------------------------------------------------------------
    def test_key_figures_on_known_dataset(self):
        d = self.d
        i1 = self._invoice(self.debtor, '2026-03-05', 1000, invoice_date=d('2026-02-05'))
        i2 = self._invoice(self.debtor, '2026-03-10', 2000, invoice_date=d('2026-02-10'))
        i3 = self._invoice(self.debtor_b, '2026-03-15', 500, invoice_date=d('2026-02-15'))
        i4 = self._invoice(self.debtor_b, '2026-03-31', 800, invoice_date=d('2026-03-01'))
        i5 = self._invoice(self.debtor_b, '2026-04-09', 1200, invoice_date=d('2026-03-10'))
        i6 = self._invoice(self.debtor, '2026-02-09', 3000, invoice_date=d('2026-01-10'))

        # the story, day by day
        self._run('2026-02-14')                        # i6: courteous reminder (first reminder)
        with freeze_time('2026-02-20'):
            self._pay(i6, 1000, '2026-02-20')          # after its reminder, in February
        with freeze_time('2026-03-04'):
            self._pay(i1, 1000, '2026-03-04')          # before its due date: on time
        with freeze_time('2026-03-10'):
            self._pay(i3, 200, '2026-03-10')           # partly, before any reminder
        self._run('2026-03-15')                        # i2: courteous; i6: firm
        with freeze_time('2026-03-20'):
            self._pay(i2, 2000, '2026-03-20')          # 10 days late, after its reminder
        self._run('2026-03-20')                        # i3: courteous (after its partial payment)
        with freeze_time('2026-03-25'):
            self._pay(i6, 500, '2026-03-25')           # after its reminders, in March
        with freeze_time('2026-03-31'):
            self._pay(i4, 800, '2026-03-31')           # on its due date: on time
        self.assertEqual(self._step_events(i6, self.step_courteous).date.date(), d('2026-02-14'))
        self.assertEqual(self._step_events(i2, self.step_courteous).date.date(), d('2026-03-15'))
        self.assertEqual(self._step_events(i3, self.step_courteous).date.date(), d('2026-03-20'))
        self.assertFalse(self._step_events(i1 | i4 | i5))

        # penalties billed on 2 April, the first bill paid at once, half of the second
        with freeze_time('2026-04-02'):
            bill1 = self.env['account.move'].browse(i2.action_recovery_bill_penalties()['res_id'])
            bill2 = self.env['account.move'].browse(i6.action_recovery_bill_penalties()['res_id'])
            (bill1 | bill2).action_post()
            self._pay(bill1, bill1.amount_total, '2026-04-02')
        with freeze_time('2026-04-10'):
            self._pay(bill2, round(bill2.amount_total / 2, 2), '2026-04-10')
        # by hand: i2 = 2000 x 12.15 % x 10 d (11 -> 20 March) / 365
        p2 = _segment(2000, 10)
        # i6: 3000 x 11 d (10 -> 20 Feb), 2000 x 33 d (21 Feb -> 25 Mar), 1500 x 8 d (26 Mar -> 2 Apr)
        p6 = _segment(3000, 11) + _segment(2000, 33) + _segment(1500, 8)
        self.assertEqual((p2, round(p6, 2)), (6.66, 36.94))
        self.assertAlmostEqual(bill1.amount_total, p2 + 40, places=2)
        self.assertAlmostEqual(bill2.amount_total, p6 + 40, places=2)

        # cases: one draft, one with the notice sent, one closed (not counted)
        Case = self.env['debt.recovery.case']
        Case.create({'partner_id': self.debtor_b.id})
        Case.create({'partner_id': self.consumer.id}).state = 'notice_sent'
        Case.create({'partner_id': self.debtor.id}).state = 'closed'

        march = self._figures('2026-03-01', '2026-03-31')
        # due in March: i1 (paid 4 Mar, on time), i2 (paid 20 Mar, late), i3 (partly paid), i4 (paid on its due date)
        self.assertEqual((march['invoices_due'], march['invoices_paid_on_time']), (4, 2))
        self.assertEqual(march['paid_on_time_rate'], 50.0)
        # receivables at 31 March: i3 300 + i5 1200 + i6 1500 = 3000
        self.assertEqual(march['receivables'], 3000.0)
        # countback: March sales (i4 800 + i5 1200 = 2000) cover 31 days, 1000 left;
        # February sales (i1 + i2 + i3 = 3500): 1000 / 3500 x 28 days = 8 days -> 39 days
        self.assertEqual(march['dso'], 39.0)
        # after a reminder, in March: i2 2000 (20 Mar >= 15 Mar) + i6 500 (25 Mar); not i3's 200 (10 Mar < 20 Mar)
        self.assertEqual(march['recovered_after_reminder'], 2500.0)
        self.assertEqual((march['penalties_billed'], march['indemnities_billed']), (0.0, 0.0))
        self.assertEqual(march['cases_open'], 2)
        self.assertEqual(march['cases_by_state'], {'draft': 1, 'notice_sent': 1})

        february = self._figures('2026-02-01', '2026-02-28')
        self.assertEqual(february['recovered_after_reminder'], 1000.0, "i6's 1 000 on 20 Feb, after 14 Feb")
        self.assertEqual((february['invoices_due'], february['invoices_paid_on_time']), (1, 0))
        # receivables at 28 Feb: 1000 + 2000 + 500 + 2000 (i6) = 5500 > Feb sales 3500 (28 d);
        # 2000 left against January's 3000 (31 d): 28 + 31 x 2000 / 3000 = 48.67
        self.assertEqual(february['dso'], 48.7)

        april = self._figures('2026-04-01', '2026-04-30')
        self.assertAlmostEqual(april['penalties_billed'], p2 + p6, places=2)
        self.assertEqual(april['indemnities_billed'], 80.0)
        self.assertAlmostEqual(april['penalties_collected'], p2 + p6 / 2, places=2, msg="bill 1 in full, half of bill 2")
        self.assertEqual(april['indemnities_collected'], 60.0)
        # due in April: i5 (unpaid), bill1 (due and paid on 2 Apr), bill2 (half paid)
        self.assertEqual((april['invoices_due'], april['invoices_paid_on_time']), (3, 1))
        self.assertEqual(april['paid_on_time_rate'], 33.3)
        self.assertEqual(april['recovered_after_reminder'], 0.0, "the penalty bills had no reminder")

        # the form shows the same figures
        board = self.env['debt.recovery.dashboard'].with_user(self.manager).create({
            'date_from': '2026-03-01', 'date_to': '2026-03-31', 'company_ids': [Command.set(self.company.ids)]})
        self.assertEqual((board.paid_on_time_rate, board.dso, board.recovered_after_reminder), (50.0, 39.0, 2500.0))
        self.assertEqual(board.cases_open_count, 2)
        self.assertIn('Notice sent', board.cases_by_state)
        self.assertEqual(board.action_open_debtors()['res_model'], 'debt.recovery.debtor.report')
        self.assertEqual(board.action_open_overdue_analysis()['res_model'], 'debt.recovery.report')

    def test_countback_formula(self):
        countback = self.env['debt.recovery.dashboard']._countback
        d = self.d
        sales = {d('2026-03-01'): 1500.0, d('2026-02-01'): 3000.0, d('2026-01-01'): 3100.0}
        # 15 March: the 15 days of March (1500), then 1000 of February's 3000 (28 d)
        self.assertEqual(countback(2500.0, sales, d('2026-03-15')), round(15 + 28 * 1000 / 3000, 1))
        self.assertEqual(countback(750.0, sales, d('2026-03-15')), 7.5)
        self.assertEqual(countback(0.0, sales, d('2026-03-15')), 0.0)
        # a month without sales counts whole
        self.assertEqual(countback(3100.0, {d('2026-01-01'): 3100.0}, d('2026-03-31')), 31 + 28 + 31)

    # -------------------------------------------------------------------------
    # Cost does not grow with the number of invoices
    # -------------------------------------------------------------------------
    def test_query_count_does_not_grow(self):
        today = self._today_sql()
        Dashboard = self.env['debt.recovery.dashboard']
        Debtors = self.env['debt.recovery.debtor.report']
        Report = self.env['debt.recovery.report']

        def create(count):
            for index in range(count):
                partner = (self.debtor, self.debtor_b)[index % 2]
                invoice = self._invoice(partner, today - timedelta(days=5 + 17 * index % 120), 100 + index)
                if index % 3 == 0:
                    self._pay(invoice, 50, today - timedelta(days=2))

        def cost():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Dashboard.get_figures(today - timedelta(days=200), today, self.company.ids)
            Report._read_group([], ['age_bucket', 'step_id'], ['amount_residual:sum'])
            Debtors.search_fetch([], ['partner_id', 'amount_overdue', 'step_id', 'next_date'], limit=80)
            return self.env.cr.sql_log_count - before

        create(5)
        cost()  # warm the caches (access rules, ...)
        small = cost()
        create(45)
        self.assertEqual(len(Report.search([])), 50)
        self.assertEqual(cost(), small, "the dashboard's query count does not depend on the invoices")
