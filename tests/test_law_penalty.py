"""Late-payment penalties (tools/penalty.py) against the reference's vectors.

Every expected figure is worked out by hand in a comment from the formula
base x rate x days / 36 500, rounded half-up to the cent per segment
(module conventions, sources in the README's legal section); none comes from
the code under test.
"""

import datetime
import unittest
from decimal import Decimal

from odoo.addons.l10n_fr_debt_recovery.tools import penalty

D = datetime.date

# ECB main refinancing rate changes since 2016 (reference, section 2); the
# "mid-Jun 2026 [M]" row is taken as effective on 2026-06-17.
ECB = [
    (D(2016, 3, 16), 0.00),
    (D(2022, 7, 27), 0.50),
    (D(2022, 9, 14), 1.25),
    (D(2022, 11, 2), 2.00),
    (D(2022, 12, 21), 2.50),
    (D(2023, 2, 8), 3.00),
    (D(2023, 3, 22), 3.50),
    (D(2023, 5, 10), 3.75),
    (D(2023, 6, 21), 4.00),
    (D(2023, 8, 2), 4.25),
    (D(2023, 9, 20), 4.50),
    (D(2024, 6, 12), 4.25),
    (D(2024, 9, 18), 3.65),
    (D(2024, 10, 23), 3.40),
    (D(2024, 12, 18), 3.15),
    (D(2025, 2, 5), 2.90),
    (D(2025, 3, 12), 2.65),
    (D(2025, 4, 23), 2.40),
    (D(2025, 6, 11), 2.15),
    (D(2026, 6, 17), 2.40),
]

# Taux d'interet legal (reference, section 3): (a) creditor individual not
# acting professionally, (b) all other cases. 2026-H2 is unknown.
LEGAL_CONSUMER = {
    (2020, 1): 3.15, (2020, 2): 3.11, (2021, 1): 3.14, (2021, 2): 3.12,
    (2022, 1): 3.13, (2022, 2): 3.15, (2023, 1): 4.47, (2023, 2): 6.82,
    (2024, 1): 8.01, (2024, 2): 8.16, (2025, 1): 7.21, (2025, 2): 6.65,
    (2026, 1): 6.67,
}
LEGAL_OTHER = {
    (2020, 1): 0.87, (2020, 2): 0.84, (2021, 1): 0.79, (2021, 2): 0.76,
    (2022, 1): 0.76, (2022, 2): 0.77, (2023, 1): 2.06, (2023, 2): 4.22,
    (2024, 1): 5.07, (2024, 2): 4.92, (2025, 1): 3.71, (2025, 2): 2.76,
    (2026, 1): 2.62,
}


def make_table():
    return penalty.RateTable(ecb=ECB, legal_other=LEGAL_OTHER,
                             legal_consumer=LEGAL_CONSUMER)


class TestLawPenalty(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = make_table()

    def instalment(self, due, amount, movements, at, **policy):
        return penalty.compute_instalment(due, amount, movements, at, self.table, **policy)

    def assertSegments(self, result, expected):
        """expected: (date_from, date_to, days, rate, reason, base, amount)."""
        got = [(s['date_from'], s['date_to'], s['days'], s['rate'], s['rate_reason'],
                s['base'], s['amount']) for s in result['segments']]
        self.assertEqual(got, expected)

    # -- half-years and the rate table ------------------------------------

    def test_half_year_helpers(self):
        self.assertEqual(penalty.half_year(D(2026, 6, 30)), (2026, 1))
        self.assertEqual(penalty.half_year(D(2026, 7, 1)), (2026, 2))
        self.assertEqual(penalty.half_year_bounds(2024, 1), (D(2024, 1, 1), D(2024, 6, 30)))
        self.assertEqual(penalty.half_year_bounds(2024, 2), (D(2024, 7, 1), D(2024, 12, 31)))

    def test_rate_table_lookups(self):
        # The change of 2024-06-12 applies from that very day.
        self.assertEqual(self.table.ecb_rate_at(D(2024, 6, 11)), 4.50)
        self.assertEqual(self.table.ecb_rate_at(D(2024, 6, 12)), 4.25)
        self.assertEqual(self.table.legal_rate(2024, 2, 'other'), 4.92)
        self.assertEqual(self.table.legal_rate(2024, 2, 'consumer'), 8.16)

    def test_rate_table_from_rows(self):
        rows = [('ecb', d, r) for d, r in ECB]
        rows += [('legal_other', D(y, 1 if h == 1 else 7, 1), r) for (y, h), r in LEGAL_OTHER.items()]
        rows += [('legal_consumer', D(y, 1 if h == 1 else 7, 1), r)
                 for (y, h), r in LEGAL_CONSUMER.items()]
        table = penalty.RateTable.from_rows(rows)
        self.assertEqual(table.ecb_rate_at(D(2025, 1, 1)), 3.15)
        self.assertEqual(table.legal_rate(2026, 1, 'other'), 2.62)
        self.assertEqual(table.legal_rate(2026, 1, 'consumer'), 6.67)
        # A legal rate is fixed for a half-year: it starts on 1 Jan or 1 Jul.
        with self.assertRaises(ValueError):
            penalty.RateTable.from_rows([('legal_other', D(2026, 2, 1), 2.62)])
        with self.assertRaises(ValueError):
            penalty.RateTable.from_rows([('euribor', D(2026, 1, 1), 2.0)])

    # -- public vectors ---------------------------------------------------

    def test_vector_04_default_rates(self):
        # Due 2025-03-15: 2025-H1, MRO on 1 Jan 2025 = 3.15 (since 18 Dec 2024)
        # -> 13.15 %. Due 2024-08-10: 2024-H2, MRO on 1 Jul 2024 = 4.25
        # (since 12 Jun 2024) -> 14.25 %.
        self.assertEqual(penalty.default_rate(2025, 1, self.table), 13.15)
        self.assertEqual(penalty.default_rate(2024, 2, self.table), 14.25)
        # 1000 x 13.15 x 10 / 36500 = 3.6027 -> 3.60 (16..25 March = 10 days)
        result = self.instalment(D(2025, 3, 15), 1000, [], D(2025, 3, 25))
        self.assertSegments(result, [
            (D(2025, 3, 16), D(2025, 3, 25), 10, 13.15, 'default', 1000.0, 3.60)])
        # 1000 x 14.25 x 10 / 36500 = 3.9041 -> 3.90
        result = self.instalment(D(2024, 8, 10), 1000, [], D(2024, 8, 20))
        self.assertSegments(result, [
            (D(2024, 8, 11), D(2024, 8, 20), 10, 14.25, 'default', 1000.0, 3.90)])

    def test_vector_07_contractual_rate_against_floor(self):
        # 2026-H1 floor 3 x 2.62 = 7.86 <= 8: valid; 2025-H2 floor 3 x 2.76
        # = 8.28 > 8: the floor applies.
        self.assertEqual(penalty.floor_rate(2026, 1, self.table), 7.86)
        self.assertEqual(penalty.floor_rate(2025, 2, self.table), 8.28)
        self.assertEqual(penalty.applicable_rate(2026, 1, self.table, 8), (8.0, 'contractual'))
        self.assertEqual(penalty.applicable_rate(2025, 2, self.table, 8), (8.28, 'floor'))
        # Due 2025-09-30, paid 2025-10-30: 1..30 Oct = 30 days at 8.28:
        # 1000 x 8.28 x 30 / 36500 = 6.8055 -> 6.81
        result = self.instalment(D(2025, 9, 30), 1000, [(D(2025, 10, 30), 1000)],
                                 D(2025, 12, 31), contractual_rate=8)
        self.assertSegments(result, [
            (D(2025, 10, 1), D(2025, 10, 30), 30, 8.28, 'floor', 1000.0, 6.81)])
        # Same delay in 2026-H1 (due 2026-01-31, paid 2026-03-02: 28 + 2 =
        # 30 days) at 8 %: 1000 x 8 x 30 / 36500 = 6.5753 -> 6.58
        result = self.instalment(D(2026, 1, 31), 1000, [(D(2026, 3, 2), 1000)],
                                 D(2026, 3, 31), contractual_rate=8)
        self.assertSegments(result, [
            (D(2026, 2, 1), D(2026, 3, 2), 30, 8.0, 'contractual', 1000.0, 6.58)])

    def test_vector_08_indemnity(self):
        # 7 late instalments -> 7 x 40 = 280.
        instalments = [{'due_date': D(2026, 1, 1 + i), 'amount': 100, 'movements': []}
                       for i in range(7)]
        claim = penalty.compute_claim(instalments, D(2026, 2, 1), self.table)
        self.assertEqual(claim['indemnity'], 280.0)
        # 30 EUR, 2 days late: 30 x 12.15 x 2 / 36500 = 0.01997 -> 0.02, plus 40.
        small = self.instalment(D(2026, 2, 1), 30, [], D(2026, 2, 3))
        self.assertEqual((small['days'], small['penalty'], small['indemnity'], small['total']),
                         (2, 0.02, 40.0, 40.02))
        # Consumer: never the 40 EUR.
        consumer = self.instalment(D(2026, 2, 1), 30, [], D(2026, 2, 3), debtor_type='consumer')
        self.assertEqual(consumer['indemnity'], 0.0)
        # Debtor in redressement at maturity: no 40 EUR.
        insolvent = self.instalment(D(2026, 2, 1), 30, [], D(2026, 2, 3), insolvency=True)
        self.assertEqual(insolvent['indemnity'], 0.0)

    def test_vector_12_lexing_replay(self):
        # 3 months = 365 / 4 = 91.25 days:
        # 10000 x 10.25 x 91.25 / 36500 = 256.25 ; 10000 x 0.12 x 91.25 / 36500 = 3.00
        self.assertEqual(penalty.interest_amount(10000, 10.25, Decimal('91.25')), 256.25)
        self.assertEqual(penalty.interest_amount(10000, 0.12, Decimal('91.25')), 3.00)
        # The engine counts real days: due 2025-12-31, paid 2026-03-31 is
        # 31 + 28 + 31 = 90 days: 10000 x 10.25 x 90 / 36500 = 252.7397 -> 252.74
        result = self.instalment(D(2025, 12, 31), 10000, [(D(2026, 3, 31), 10000)],
                                 D(2026, 6, 30), contractual_rate=10.25)
        self.assertEqual((result['days'], result['penalty']), (90, 252.74))

    def test_vector_17_guide_example(self):
        # Due 2026-02-01, paid 2026-03-03: 2..28 Feb (27) + 1..3 Mar (3) = 30 days.
        # 1500 x 10 x 30 / 36500 = 12.3287 -> 12.33 (half-up, not truncated).
        result = self.instalment(D(2026, 2, 1), 1500, [(D(2026, 3, 3), 1500)],
                                 D(2026, 4, 30), contractual_rate=10)
        self.assertSegments(result, [
            (D(2026, 2, 2), D(2026, 3, 3), 30, 10.0, 'contractual', 1500.0, 12.33)])
        self.assertEqual((result['days'], result['penalty'], result['indemnity'], result['total']),
                         (30, 12.33, 40.0, 52.33))
        # Same clause in 2024-H1 (leap year): due 2024-02-01, paid 2024-03-02
        # = 28 (2..29 Feb) + 2 = 30 days, floor 3 x 5.07 = 15.21:
        # 1500 x 15.21 x 30 / 36500 = 18.7521 -> 18.75
        result = self.instalment(D(2024, 2, 1), 1500, [(D(2024, 3, 2), 1500)],
                                 D(2024, 4, 30), contractual_rate=10)
        self.assertSegments(result, [
            (D(2024, 2, 2), D(2024, 3, 2), 30, 15.21, 'floor', 1500.0, 18.75)])

    def test_vector_18_heropay(self):
        # 2024-H1 default 4.50 + 10 = 14.50 (not raised to the 15.21 floor).
        # Due 2024-03-01, paid 2024-03-31: 30 days.
        # 1000 x 14.5 x 30 / 36500 = 11.9178 -> 11.92
        self.assertEqual(penalty.applicable_rate(2024, 1, self.table), (14.5, 'default'))
        result = self.instalment(D(2024, 3, 1), 1000, [(D(2024, 3, 31), 1000)], D(2024, 5, 1))
        self.assertSegments(result, [
            (D(2024, 3, 2), D(2024, 3, 31), 30, 14.5, 'default', 1000.0, 11.92)])
        self.assertEqual(result['total'], 51.92)

    def test_service_public_f783_simple(self):
        # 2 000 x 30 x 3.11 / 36 500 = 5.1123 -> 5.11 (3.11 = 2020-H2, creditor
        # an individual).
        self.assertEqual(self.table.legal_rate(2020, 2, 'consumer'), 3.11)
        self.assertEqual(penalty.interest_amount(2000, 3.11, 30), 5.11)

    def test_service_public_f783_per_period_rounding(self):
        # F783 "majore" example, 2 000 EUR, each period rounded on its own:
        # 2000 x 4.29 x 61 / 36500 = 14.3392 -> 14.34 (simple rate 2015-H2)
        # 2000 x 9.29 x 44 / 36500 = 22.3978 -> 22.40 (4.29 + 5 points)
        # 2000 x 9.54 x 100 / 36500 = 52.2740 -> 52.27 (2016-H1 4.54 + 5)
        # 14.34 + 22.40 + 52.27 = 89.01
        parts = [penalty.interest_amount(2000, 4.29, 61),
                 penalty.interest_amount(2000, 9.29, 44),
                 penalty.interest_amount(2000, 9.54, 100)]
        self.assertEqual(parts, [14.34, 22.40, 52.27])
        # The module adds the rounded periods itself: the same three periods as three
        # claims of 2 000 each in its own half-year (rates of a table made for the
        # example, interest on a consumer from the notice), 61, 44 and 100 days.
        table = penalty.RateTable(ecb=ECB, legal_other={(2015, 2): 4.29, (2016, 1): 9.29, (2016, 2): 9.54})
        claim = penalty.compute_claim([
            {'due_date': D(2015, 8, 31), 'amount': 2000, 'movements': [(D(2015, 10, 31), 2000)]},
            {'due_date': D(2016, 2, 1), 'amount': 2000, 'movements': [(D(2016, 3, 16), 2000)]},
            {'due_date': D(2016, 8, 1), 'amount': 2000, 'movements': [(D(2016, 11, 9), 2000)]},
        ], D(2016, 12, 31), table, debtor_type='consumer', interest_start=D(2015, 1, 1))
        self.assertEqual([(s['days'], s['rate'], s['amount']) for s in claim['segments']],
                         [(61, 4.29, 14.34), (44, 9.29, 22.40), (100, 9.54, 52.27)])
        self.assertEqual((claim['penalty'], claim['indemnity'], claim['total']), (89.01, 0.0, 89.01))

    def test_penalty_is_sum_of_rounded_segments(self):
        # Contractual 13 % (above the 2025 floors 11.13 and 8.28), due
        # 2025-06-29, paid 2025-07-01: one day in each half-year.
        # 1000 x 13 x 1 / 36500 = 0.35616 -> 0.36 per segment; 0.36 + 0.36 =
        # 0.72, whereas rounding the total 0.71233 would give 0.71.
        result = self.instalment(D(2025, 6, 29), 1000, [(D(2025, 7, 1), 1000)],
                                 D(2025, 7, 31), contractual_rate=13)
        self.assertSegments(result, [
            (D(2025, 6, 30), D(2025, 6, 30), 1, 13.0, 'contractual', 1000.0, 0.36),
            (D(2025, 7, 1), D(2025, 7, 1), 1, 13.0, 'contractual', 1000.0, 0.36)])
        self.assertEqual(result['penalty'], 0.72)

    # -- edge cases -------------------------------------------------------

    def test_leap_year_still_divided_by_365(self):
        # Contractual 20 % (above floors 15.21 / 14.76), due 2023-12-31,
        # unpaid at 2024-12-31: 366 days, split at 30 June.
        # 1 Jan..30 Jun 2024 = 182 days: 1000 x 20 x 182 / 36500 = 99.7260 -> 99.73
        # 1 Jul..31 Dec 2024 = 184 days: 1000 x 20 x 184 / 36500 = 100.8219 -> 100.82
        # 99.73 + 100.82 = 200.55 (> 20 % of 1000: 366 days over 365)
        result = self.instalment(D(2023, 12, 31), 1000, [], D(2024, 12, 31), contractual_rate=20)
        self.assertSegments(result, [
            (D(2024, 1, 1), D(2024, 6, 30), 182, 20.0, 'contractual', 1000.0, 99.73),
            (D(2024, 7, 1), D(2024, 12, 31), 184, 20.0, 'contractual', 1000.0, 100.82)])
        self.assertEqual((result['days'], result['penalty']), (366, 200.55))

    def test_payment_on_due_date(self):
        result = self.instalment(D(2026, 3, 31), 1000, [(D(2026, 3, 31), 1000)], D(2026, 5, 1))
        self.assertEqual((result['days'], result['segments'], result['penalty'],
                          result['indemnity'], result['total']), (0, [], 0.0, 0.0, 0.0))
        self.assertEqual(result['paid_date'], D(2026, 3, 31))

    def test_payment_before_due_date(self):
        # 400 paid on 2026-03-20 before the 2026-03-31 due date: interest
        # only on 600, 1..10 April = 10 days at 12.15 (2026-H1: 2.15 + 10):
        # 600 x 12.15 x 10 / 36500 = 1.9973 -> 2.00
        result = self.instalment(D(2026, 3, 31), 1000,
                                 [(D(2026, 3, 20), 400), (D(2026, 4, 10), 600)], D(2026, 5, 1))
        self.assertSegments(result, [
            (D(2026, 4, 1), D(2026, 4, 10), 10, 12.15, 'default', 600.0, 2.00)])
        self.assertEqual((result['days'], result['indemnity'], result['total']), (10, 40.0, 42.0))
        # Fully paid early: never late.
        early = self.instalment(D(2026, 3, 31), 1000, [(D(2026, 3, 1), 1000)], D(2026, 5, 1))
        self.assertEqual((early['days'], early['total']), (0, 0.0))

    def test_partial_payments_across_half_year(self):
        # 10 000 due 2025-05-31; 3 000 paid 2025-06-10, 2 000 on 2025-07-15,
        # 5 000 on 2025-08-04. Rates: 2025-H1 3.15 + 10 = 13.15,
        # 2025-H2 2.15 + 10 = 12.15.
        # 1..10 Jun: 10 d x 10 000 x 13.15 / 36500 = 36.0274 -> 36.03
        #   (10 June, the payment day, still bears 10 000)
        # 11..30 Jun: 20 d x 7 000 x 13.15 / 36500 = 50.4384 -> 50.44
        # 1..15 Jul: 15 d x 7 000 x 12.15 / 36500 = 34.9521 -> 34.95
        # 16 Jul..4 Aug: 16 + 4 = 20 d x 5 000 x 12.15 / 36500 = 33.2877 -> 33.29
        # penalty = 36.03 + 50.44 + 34.95 + 33.29 = 154.71
        # days = 4 Aug - 31 May = 30 + 31 + 4 = 65
        result = self.instalment(
            D(2025, 5, 31), 10000,
            [(D(2025, 7, 15), 2000), (D(2025, 6, 10), 3000), (D(2025, 8, 4), 5000)],
            D(2025, 12, 31))
        self.assertSegments(result, [
            (D(2025, 6, 1), D(2025, 6, 10), 10, 13.15, 'default', 10000.0, 36.03),
            (D(2025, 6, 11), D(2025, 6, 30), 20, 13.15, 'default', 7000.0, 50.44),
            (D(2025, 7, 1), D(2025, 7, 15), 15, 12.15, 'default', 7000.0, 34.95),
            (D(2025, 7, 16), D(2025, 8, 4), 20, 12.15, 'default', 5000.0, 33.29)])
        self.assertEqual((result['days'], result['penalty'], result['indemnity'], result['total']),
                         (65, 154.71, 40.0, 194.71))
        self.assertEqual((result['outstanding'], result['paid_date']), (0.0, D(2025, 8, 4)))

    def test_credit_note(self):
        # 1 200 due 2026-01-31, credit note of 200 on 2026-02-10, unpaid at
        # 2026-02-28 (12.15 %):
        # 1..10 Feb: 1200 x 12.15 x 10 / 36500 = 3.9945 -> 3.99
        # 11..28 Feb: 1000 x 12.15 x 18 / 36500 = 5.9918 -> 5.99
        # penalty 9.98, days 28
        result = self.instalment(D(2026, 1, 31), 1200, [(D(2026, 2, 10), 200)], D(2026, 2, 28))
        self.assertSegments(result, [
            (D(2026, 2, 1), D(2026, 2, 10), 10, 12.15, 'default', 1200.0, 3.99),
            (D(2026, 2, 11), D(2026, 2, 28), 18, 12.15, 'default', 1000.0, 5.99)])
        self.assertEqual((result['days'], result['penalty'], result['outstanding']),
                         (28, 9.98, 1000.0))

    def test_movement_larger_than_outstanding(self):
        # A 1 500 credit note on a 1 000 instalment settles it; interest to
        # 2026-02-10 inclusive: 1000 x 12.15 x 10 / 36500 = 3.3288 -> 3.33
        result = self.instalment(D(2026, 1, 31), 1000, [(D(2026, 2, 10), 1500)], D(2026, 3, 31))
        self.assertEqual((result['days'], result['penalty'], result['outstanding']),
                         (10, 3.33, 0.0))

    def test_movement_after_as_of_date_is_ignored(self):
        # As of 2026-02-28 the 2026-03-15 payment is unknown: 28 days on 1000.
        # 1000 x 12.15 x 28 / 36500 = 9.3205 -> 9.32
        result = self.instalment(D(2026, 1, 31), 1000, [(D(2026, 3, 15), 1000)], D(2026, 2, 28))
        self.assertEqual((result['days'], result['penalty'], result['paid_date']),
                         (28, 9.32, None))

    def test_instalment_plan_two_due_dates(self):
        # Two instalments of 500 due 2026-01-31 and 2026-02-28, unpaid at
        # 2026-03-31, 12.15 %:
        # first: 1 Feb..31 Mar = 28 + 31 = 59 d: 500 x 12.15 x 59 / 36500 = 9.8199 -> 9.82
        # second: 1..31 Mar = 31 d: 500 x 12.15 x 31 / 36500 = 5.1596 -> 5.16
        # penalty 14.98, two indemnities 80, total 94.98, max days 59
        claim = penalty.compute_claim([
            {'due_date': D(2026, 1, 31), 'amount': 500, 'movements': []},
            {'due_date': D(2026, 2, 28), 'amount': 500, 'movements': []},
        ], D(2026, 3, 31), self.table)
        self.assertEqual((claim['days'], claim['penalty'], claim['indemnity'], claim['total']),
                         (59, 14.98, 80.0, 94.98))
        self.assertEqual([(s['due_date'], s['days'], s['amount']) for s in claim['segments']],
                         [(D(2026, 1, 31), 59, 9.82), (D(2026, 2, 28), 31, 5.16)])
        self.assertEqual([i['days'] for i in claim['instalments']], [59, 31])

    def test_consumer_without_receipt_date(self):
        # C. civ. 1344-1: nothing before a mise en demeure, and never 40 EUR.
        result = self.instalment(D(2026, 1, 31), 2000, [], D(2026, 3, 31), debtor_type='consumer')
        self.assertEqual((result['days'], result['segments'], result['penalty'],
                          result['indemnity'], result['total']), (59, [], 0.0, 0.0, 0.0))

    def test_consumer_with_receipt_date(self):
        # AR signed 2025-06-10: interest from 2025-06-11 at the legal rate
        # "other cases" (business creditor); contractual rate and freeze
        # have no effect for a consumer.
        # 11..30 Jun: 2000 x 3.71 x 20 / 36500 = 4.0658 -> 4.07 (2025-H1)
        # 1..10 Jul: 2000 x 2.76 x 10 / 36500 = 1.5123 -> 1.51 (2025-H2)
        # penalty 5.58, no indemnity
        result = self.instalment(D(2025, 5, 31), 2000, [], D(2025, 7, 10), debtor_type='consumer',
                                 interest_start=D(2025, 6, 10), contractual_rate=20,
                                 freeze_rate=True)
        self.assertSegments(result, [
            (D(2025, 6, 11), D(2025, 6, 30), 20, 3.71, 'legal', 2000.0, 4.07),
            (D(2025, 7, 1), D(2025, 7, 10), 10, 2.76, 'legal', 2000.0, 1.51)])
        self.assertEqual((result['days'], result['penalty'], result['indemnity'], result['total']),
                         (40, 5.58, 0.0, 5.58))
        # 2026-H1: AR 2026-02-15, as of 2026-03-17: 13 + 17 = 30 days:
        # 2000 x 2.62 x 30 / 36500 = 4.3068 -> 4.31
        result = self.instalment(D(2026, 1, 31), 2000, [], D(2026, 3, 17), debtor_type='consumer',
                                 interest_start=D(2026, 2, 15))
        self.assertEqual(result['total'], 4.31)

    def test_insolvency(self):
        # Penalty still computed (1000 x 12.15 x 10 / 36500 = 3.3288 -> 3.33),
        # no 40 EUR (L441-10 II last sentence).
        result = self.instalment(D(2026, 1, 31), 1000, [], D(2026, 2, 10), insolvency=True)
        self.assertEqual((result['penalty'], result['indemnity'], result['total']),
                         (3.33, 0.0, 3.33))

    def test_missing_legal_rate_raises(self):
        # 2026-H2: the ECB rate on 1 July 2026 is known (2.40, changed on
        # 17 June), the legal rates are not.
        self.assertEqual(penalty.default_rate(2026, 2, self.table), 12.40)
        # Default rate only: works. 1000 x 12.40 x 10 / 36500 = 3.3973 -> 3.40
        result = self.instalment(D(2026, 6, 30), 1000, [], D(2026, 7, 10))
        self.assertEqual(result['penalty'], 3.40)
        # A contractual rate needs the 2026-H2 floor.
        with self.assertRaises(penalty.MissingRateError) as caught:
            self.instalment(D(2026, 6, 30), 1000, [], D(2026, 7, 10), contractual_rate=15)
        self.assertEqual(caught.exception.rate_type, 'legal_other')
        self.assertEqual(caught.exception.period, (2026, 2))
        self.assertEqual(str(caught.exception),
                         'No legal interest rate (other cases) is recorded for 2026-H2.')
        with self.assertRaises(penalty.MissingRateError):
            penalty.applicable_rate(2026, 2, self.table, 15)
        with self.assertRaises(penalty.MissingRateError):
            self.table.legal_rate(2026, 2, 'consumer')
        # Consumer interest running into 2026-H2.
        with self.assertRaises(penalty.MissingRateError):
            self.instalment(D(2026, 5, 31), 1000, [], D(2026, 7, 10), debtor_type='consumer',
                            interest_start=D(2026, 6, 15))

    def test_missing_ecb_rate_raises(self):
        # No MRO recorded on 1 January 2016 (first row: 16 March 2016).
        with self.assertRaises(penalty.MissingRateError) as caught:
            penalty.default_rate(2016, 1, self.table)
        self.assertEqual((caught.exception.rate_type, caught.exception.period), ('ecb', (2016, 1)))
        self.assertIn('2016-01-01', str(caught.exception))

    def test_contractual_rate_below_floor_gets_floor(self):
        # 2024-H2 floor 3 x 4.92 = 14.76 > 12: floor; the default rate
        # (14.25) is not raised to it.
        self.assertEqual(penalty.applicable_rate(2024, 2, self.table, 12), (14.76, 'floor'))
        self.assertEqual(penalty.applicable_rate(2024, 2, self.table), (14.25, 'default'))
        # A rate equal to the floor is valid.
        self.assertEqual(penalty.applicable_rate(2024, 2, self.table, 14.76),
                         (14.76, 'contractual'))
        # 0 is the company's "legal default" setting.
        self.assertEqual(penalty.applicable_rate(2024, 2, self.table, 0), (14.25, 'default'))

    def test_freeze_rate(self):
        # 10 000 due 2024-06-20, paid 2024-07-10 (20 days).
        # Split: 21..30 Jun 10 d x 14.50: 10000 x 14.5 x 10 / 36500 = 39.7260 -> 39.73
        #        1..10 Jul 10 d x 14.25: 10000 x 14.25 x 10 / 36500 = 39.0411 -> 39.04
        #        = 78.77
        # Frozen at the first day of delay (21 Jun, 2024-H1, 14.50), one segment:
        #        10000 x 14.5 x 20 / 36500 = 79.4521 -> 79.45
        movements = [(D(2024, 7, 10), 10000)]
        split = self.instalment(D(2024, 6, 20), 10000, movements, D(2024, 8, 1))
        self.assertEqual(split['penalty'], 78.77)
        frozen = self.instalment(D(2024, 6, 20), 10000, movements, D(2024, 8, 1), freeze_rate=True)
        self.assertSegments(frozen, [
            (D(2024, 6, 21), D(2024, 7, 10), 20, 14.5, 'default', 10000.0, 79.45)])
        # Due 30 June: the first day of delay is 1 July, so 2024-H2 (14.25):
        # 1..10 Jul: 39.04
        frozen = self.instalment(D(2024, 6, 30), 10000, movements, D(2024, 8, 1), freeze_rate=True)
        self.assertSegments(frozen, [
            (D(2024, 7, 1), D(2024, 7, 10), 10, 14.25, 'default', 10000.0, 39.04)])

    # -- C. com. L622-28: the opening judgment stops interest ---------------

    def test_c_com_l622_28_interest_stops_at_the_opening_judgment(self):
        # 1000 due 2026-01-31, opening judgment 2026-03-02. The judgment takes
        # effect at zero hour of its date (R631-7): interest runs from 1 Feb to
        # 1 Mar = 28 + 1 = 29 days at 2026-H1 (ECB 2.15 on 1 Jan + 10 = 12.15):
        # 1000 x 12.15 x 29 / 36500 = 9.6534 -> 9.65
        opening = D(2026, 3, 2)
        at_opening = self.instalment(D(2026, 1, 31), 1000, [], opening, interest_stop=opening)
        self.assertSegments(at_opening, [
            (D(2026, 2, 1), D(2026, 3, 1), 29, 12.15, 'default', 1000.0, 9.65)])
        # the same as the unstopped penalty of the day before the judgment
        self.assertEqual(self.instalment(D(2026, 1, 31), 1000, [], D(2026, 3, 1))['penalty'], 9.65)
        # any later date: the same segments, the same penalty (nothing runs into
        # 2026-H2 either, whose legal rates are not recorded)
        for later in (D(2026, 3, 3), D(2026, 6, 30), D(2026, 9, 30)):
            result = self.instalment(D(2026, 1, 31), 1000, [], later, interest_stop=opening)
            self.assertEqual(result['segments'], at_opening['segments'], later)
            self.assertEqual((result['penalty'], result['indemnity'], result['total']), (9.65, 40.0, 49.65))
        # the delay itself still reads at the as-of date: 31 Jan -> 30 Sep =
        # 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 = 242 days, 1000 still due
        self.assertEqual((result['days'], result['outstanding']), (242, 1000.0))
        # without the stop, interest would run on: 1 Feb -> 30 Jun (150 days at
        # 12.15 = 49.93) + 1 Jul -> 30 Sep (92 days at 12.40 = 31.25)
        self.assertEqual(self.instalment(D(2026, 1, 31), 1000, [], D(2026, 9, 30))['penalty'], 81.18)

    def test_c_com_l622_28_stop_across_a_half_year(self):
        # 1000 due 2025-05-31, judgment 2025-08-01: interest 1 Jun -> 31 Jul.
        # June, 30 days at 2025-H1 (ECB 3.15 on 1 Jan + 10 = 13.15):
        #   1000 x 13.15 x 30 / 36500 = 10.8082 -> 10.81
        # July, 31 days at 2025-H2 (ECB 2.15 on 1 Jul + 10 = 12.15):
        #   1000 x 12.15 x 31 / 36500 = 10.3192 -> 10.32      total 21.13
        opening = D(2025, 8, 1)
        result = self.instalment(D(2025, 5, 31), 1000, [], D(2026, 1, 15), interest_stop=opening)
        self.assertSegments(result, [
            (D(2025, 6, 1), D(2025, 6, 30), 30, 13.15, 'default', 1000.0, 10.81),
            (D(2025, 7, 1), D(2025, 7, 31), 31, 12.15, 'default', 1000.0, 10.32)])
        self.assertEqual(result['penalty'], 21.13)

    def test_c_com_l622_28_payment_after_the_judgment_changes_no_interest(self):
        # 400 paid on 2026-04-15 (after the judgment of 2026-03-02): the
        # interest stopped on 1 Mar stays 9.65 (see above); 600 remain due.
        result = self.instalment(D(2026, 1, 31), 1000, [(D(2026, 4, 15), 400)], D(2026, 5, 1),
                                 interest_stop=D(2026, 3, 2))
        self.assertEqual((result['penalty'], result['outstanding']), (9.65, 600.0))
        # A payment before the judgment lowers the base from the next day:
        # 1 Feb -> 15 Feb 15 days on 1000: 1000 x 12.15 x 15 / 36500 = 4.9932 -> 4.99
        # 16 Feb -> 1 Mar 14 days on 600: 600 x 12.15 x 14 / 36500 = 2.7962 -> 2.80
        result = self.instalment(D(2026, 1, 31), 1000, [(D(2026, 2, 15), 400)], D(2026, 5, 1),
                                 interest_stop=D(2026, 3, 2))
        self.assertEqual([s['amount'] for s in result['segments']], [4.99, 2.80])
        self.assertEqual(result['penalty'], 7.79)

    def test_c_com_l622_28_not_due_at_the_judgment_bears_no_interest(self):
        # Due 2026-03-31, after the judgment of 2026-03-02: never any interest,
        # nor the 40 EUR (insolvency before the due date, L441-10 II).
        result = self.instalment(D(2026, 3, 31), 1000, [], D(2026, 5, 31),
                                 interest_stop=D(2026, 3, 2), insolvency=True)
        self.assertEqual((result['days'], result['segments'], result['total']), (61, [], 0.0))
        # Judgment on the first day of delay (1 Feb): no day bears interest.
        result = self.instalment(D(2026, 1, 31), 1000, [], D(2026, 5, 31), interest_stop=D(2026, 2, 1))
        self.assertEqual((result['penalty'], result['indemnity']), (0.0, 40.0))

    def test_c_com_l622_28_claim_passes_the_stop_to_each_instalment(self):
        # Two instalments of 500, due 31 Jan and 28 Feb 2026; judgment 2026-03-02.
        # 1st: 29 days (see above) on 500: 500 x 12.15 x 29 / 36500 = 4.8267 -> 4.83
        # 2nd: 1 Mar only: 500 x 12.15 x 1 / 36500 = 0.1664 -> 0.17
        instalments = [{'due_date': D(2026, 1, 31), 'amount': 500, 'movements': []},
                       {'due_date': D(2026, 2, 28), 'amount': 500, 'movements': []}]
        claim = penalty.compute_claim(instalments, D(2026, 6, 1), self.table, interest_stop=D(2026, 3, 2))
        self.assertEqual((claim['penalty'], claim['indemnity']), (5.00, 80.0))
