"""Legal dates and thresholds (tools/legal_dates.py) against the reference.

Expected dates are counted by hand in the comments (calendar of the year
concerned); none comes from the code under test.
"""

import datetime
import unittest

from odoo.addons.l10n_fr_debt_recovery.tools import legal_dates

D = datetime.date


class TestLawDates(unittest.TestCase):

    # -- payment terms (C. com. L441-10 I) ----------------------------------

    def test_vector_01_default_due_date(self):
        # 10 Mar + 30 days: 21 days left in March (11..31) + 9 in April.
        self.assertEqual(legal_dates.default_due_date(D(2026, 3, 10)), D(2026, 4, 9))

    def test_vector_02_sixty_days(self):
        # 15 Jan + 60: 16 (16..31 Jan) + 28 (Feb) + 16 = 60 -> 16 March.
        self.assertEqual(legal_dates.max_due_date(D(2026, 1, 15), '60_days'), D(2026, 3, 16))
        self.assertEqual(legal_dates.max_due_date(D(2026, 1, 15)), D(2026, 3, 16))

    def test_vector_03_forty_five_days_end_of_month(self):
        # a) end of January (31 Jan) + 45: 28 (Feb) + 17 = 45 -> 17 March.
        self.assertEqual(legal_dates.max_due_date(D(2026, 1, 2), '45_eom_a'), D(2026, 3, 17))
        # b) 2 Jan + 45: 29 (3..31 Jan) + 16 -> 16 Feb, then end of February.
        self.assertEqual(legal_dates.max_due_date(D(2026, 1, 2), '45_eom_b'), D(2026, 2, 28))
        # Periodic invoices: 45 days flat: 2 Jan + 45 = 16 Feb.
        self.assertEqual(legal_dates.max_due_date(D(2026, 1, 2), '45_days'), D(2026, 2, 16))
        with self.assertRaises(ValueError):
            legal_dates.max_due_date(D(2026, 1, 2), '90_days')

    # -- working days (CPC 642) ---------------------------------------------

    def test_working_days(self):
        self.assertTrue(legal_dates.is_working_day(D(2026, 5, 4)))       # Monday
        self.assertFalse(legal_dates.is_working_day(D(2026, 5, 1)))      # Friday, 1 May
        self.assertFalse(legal_dates.is_working_day(D(2026, 5, 2)))      # Saturday
        self.assertFalse(legal_dates.is_working_day(D(2026, 5, 3)))      # Sunday
        self.assertFalse(legal_dates.is_working_day(D(2026, 5, 25)))     # Whit Monday
        self.assertFalse(legal_dates.is_working_day(D(2026, 7, 14)))     # Tuesday, 14 July

    def test_alsace_moselle_holidays(self):
        # Good Friday 2026 = 3 April (Easter 5 April); 26 Dec 2025 is a Friday.
        self.assertTrue(legal_dates.is_working_day(D(2026, 4, 3)))
        self.assertFalse(legal_dates.is_working_day(D(2026, 4, 3), alsace_moselle=True))
        self.assertTrue(legal_dates.is_working_day(D(2025, 12, 26)))
        self.assertFalse(legal_dates.is_working_day(D(2025, 12, 26), alsace_moselle=True))
        # Good Friday, Saturday, Easter Sunday, Easter Monday -> Tuesday 7 April.
        self.assertEqual(legal_dates.next_working_day(D(2026, 4, 3), alsace_moselle=True),
                         D(2026, 4, 7))
        self.assertEqual(legal_dates.next_working_day(D(2026, 4, 3)), D(2026, 4, 3))

    def test_next_working_day(self):
        # Friday 1 May (holiday), Saturday, Sunday -> Monday 4 May.
        self.assertEqual(legal_dates.next_working_day(D(2026, 5, 1)), D(2026, 5, 4))
        self.assertEqual(legal_dates.next_working_day(D(2026, 5, 4)), D(2026, 5, 4))
        # 25 Dec 2026 is a Friday -> Monday 28 Dec (26 Dec is a Saturday anyway).
        self.assertEqual(legal_dates.next_working_day(D(2026, 12, 25)), D(2026, 12, 28))

    def test_day_and_month_deadlines(self):
        # CPC 641: the starting day does not count: 2 Mar + 8 = Tuesday 10 Mar.
        self.assertEqual(legal_dates.add_days_deadline(D(2026, 3, 2), 8), D(2026, 3, 10))
        # 31 Jan + 1 month: no 31 Feb -> 28 Feb 2026, a Saturday -> Monday 2 Mar.
        self.assertEqual(legal_dates.add_months_deadline(D(2026, 1, 31), 1), D(2026, 3, 2))
        # Leap year: 31 Jan 2024 + 1 month -> Thursday 29 Feb 2024.
        self.assertEqual(legal_dates.add_months_deadline(D(2024, 1, 31), 1), D(2024, 2, 29))

    def test_formal_notice_deadline(self):
        # Sent Friday 24 April 2026 + 8 days = Saturday 2 May -> Monday 4 May.
        self.assertEqual(legal_dates.formal_notice_deadline(D(2026, 4, 24)), D(2026, 5, 4))
        # 15 days: 2 Mar + 15 = Tuesday 17 March.
        self.assertEqual(legal_dates.formal_notice_deadline(D(2026, 3, 2), 15), D(2026, 3, 17))

    def test_vector_13_injunction_deadlines(self):
        # CPC 1411: ordonnance 10 Mar 2026 + 6 months = Thursday 10 Sep 2026.
        self.assertEqual(legal_dates.injunction_serve_deadline(D(2026, 3, 10)), D(2026, 9, 10))
        # CPC 1416: served 2 Apr 2026 + 1 month = Saturday 2 May -> Monday 4 May.
        self.assertEqual(legal_dates.opposition_deadline(D(2026, 4, 2)), D(2026, 5, 4))

    # -- prescription -------------------------------------------------------

    def test_vector_14_limitation(self):
        # C. conso L218-2: 2 years; C. com. L110-4: 5 years.
        self.assertEqual(legal_dates.limitation_date(D(2024, 5, 13), 'consumer'), D(2026, 5, 13))
        self.assertEqual(legal_dates.limitation_date(D(2021, 6, 30), 'professional'),
                         D(2026, 6, 30))
        # 29 Feb 2024 + 2 years: no 29 Feb 2026 -> 28 Feb 2026.
        self.assertEqual(legal_dates.limitation_date(D(2024, 2, 29), 'consumer'), D(2026, 2, 28))
        with self.assertRaises(ValueError):
            legal_dates.limitation_date(D(2024, 2, 29), 'company')

    # -- thresholds -----------------------------------------------------------

    def test_vector_15_thresholds(self):
        # CPCE L125-1: 4 800 + 250 = 5 050 > 5 000: excluded; 4 950: eligible.
        self.assertFalse(legal_dates.small_claims_eligible(4800 + 250))
        self.assertTrue(legal_dates.small_claims_eligible(4950))
        self.assertTrue(legal_dates.small_claims_eligible(5000))
        # CPC 750-1: a TJ suit for 4 950 needs an amicable attempt; an
        # injunction request does not; above 5 000 neither.
        self.assertTrue(legal_dates.requires_prior_amicable_attempt(4950, 'tj'))
        self.assertFalse(legal_dates.requires_prior_amicable_attempt(4950, 'injunction'))
        self.assertFalse(legal_dates.requires_prior_amicable_attempt(5050, 'tj'))
        self.assertFalse(legal_dates.requires_prior_amicable_attempt(4950, 'commercial'))
        with self.assertRaises(ValueError):
            legal_dates.requires_prior_amicable_attempt(4950, 'cour_appel')

    # -- insolvency proceedings (C. com. R622-24) ------------------------------

    def test_c_com_r622_24_declaration_deadline(self):
        deadline = legal_dates.claim_declaration_deadline
        metropole, abroad = legal_dates.METROPOLE, legal_dates.ABROAD
        # BODACC Fri 13 Mar 2026 + 2 months = Wed 13 May 2026, a working day.
        self.assertEqual(deadline(D(2026, 3, 13)), D(2026, 5, 13))
        # Sat 14 Mar + 2 months = Thu 14 May 2026, Ascension (Easter 5 April + 39
        # days) -> Fri 15 May.
        self.assertEqual(deadline(D(2026, 3, 14)), D(2026, 5, 15))
        # 31 Dec 2025 + 2 months: no 31 Feb -> Sat 28 Feb 2026 -> Mon 2 March.
        self.assertEqual(deadline(D(2025, 12, 31)), D(2026, 3, 2))
        # A creditor abroad, or overseas, before a court in metropolitan France:
        # 4 months: 14 Mar + 4 = Tue 14 July 2026, national holiday -> Wed 15 July.
        self.assertEqual(deadline(D(2026, 3, 14), abroad), D(2026, 7, 15))
        self.assertEqual(deadline(D(2026, 3, 14), '974'), D(2026, 7, 15))
        # Alsace-Moselle is metropolitan France: 2 months.
        self.assertEqual(deadline(D(2026, 3, 14), legal_dates.ALSACE_MOSELLE), D(2026, 5, 15))
        # A court in La Réunion: 2 months for a creditor there, 4 for one in
        # metropolitan France.
        self.assertEqual(deadline(D(2026, 3, 14), '974', '974'), D(2026, 5, 15))
        self.assertEqual(deadline(D(2026, 3, 14), metropole, '974'), D(2026, 7, 15))
        # The court's holidays: in Alsace-Moselle, 3 Feb + 2 months = Fri 3 April
        # 2026, Good Friday there -> Sat, Sun, Mon 6 April (Easter Monday) -> Tue
        # 7 April; elsewhere 3 April is a working day.
        self.assertEqual(deadline(D(2026, 2, 3), metropole, legal_dates.ALSACE_MOSELLE), D(2026, 4, 7))
        self.assertEqual(deadline(D(2026, 2, 3)), D(2026, 4, 3))
        # In Guadeloupe, 27 Mar + 2 months = Wed 27 May 2026, abolition of
        # slavery there (C. trav. L3422-2) -> Thu 28 May.
        self.assertEqual(deadline(D(2026, 3, 27), '971', '971'), D(2026, 5, 28))
        self.assertEqual(deadline(D(2026, 3, 27)), D(2026, 5, 27))
