"""The route and the competent court (tools/court.py) and the French formatting
(tools/fr_format.py), without the ORM."""
import datetime
import unittest

from odoo.addons.l10n_fr_debt_recovery.tools import court, fr_format

D = datetime.date


class TestCourtDecision(unittest.TestCase):

    def test_cpc_1406_trader_goes_to_the_commercial_court(self):
        decision = court.decide('professional', True, False, 1200, D(2026, 1, 10), D(2026, 6, 1))
        self.assertEqual((decision.court_type, decision.cerfa), ('commercial', "Cerfa 12946*02"))
        self.assertEqual(decision.route, 'injunction')

    def test_cpc_1406_consumer_and_individual_go_to_the_tribunal_judiciaire(self):
        for debtor_type, is_company in (('consumer', False), ('professional', False)):
            decision = court.decide(debtor_type, is_company, False, 1200, D(2026, 1, 10), D(2026, 6, 1))
            self.assertEqual((decision.court_type, decision.cerfa), ('judicial', "Cerfa 12948*06"))

    def test_cpc_1405_contested_claim_goes_to_a_summons(self):
        decision = court.decide('professional', True, True, 1200, D(2026, 1, 10), D(2026, 6, 1))
        self.assertEqual(decision.route, 'summons')

    def test_cpce_l125_1_small_claims_up_to_5000_included(self):
        self.assertTrue(court.decide('professional', True, False, 5000, None, D(2026, 6, 1)).small_claims)
        self.assertFalse(court.decide('professional', True, False, 5000.01, None, D(2026, 6, 1)).small_claims)

    def test_c_conso_l218_2_and_c_com_l110_4_limitation(self):
        consumer = court.decide('consumer', False, False, 100, D(2024, 5, 31), D(2026, 5, 31))
        self.assertEqual(consumer.limitation_date, D(2026, 5, 31))
        self.assertFalse(consumer.time_barred, "the last day is still in time")
        later = court.decide('consumer', False, False, 100, D(2024, 5, 31), D(2026, 6, 1))
        self.assertTrue(later.time_barred)
        business = court.decide('professional', True, False, 100, D(2024, 5, 31), D(2026, 6, 1))
        self.assertEqual(business.limitation_date, D(2029, 5, 31))
        self.assertFalse(business.time_barred)
        self.assertIsNone(court.decide('professional', True, False, 100, None, D(2026, 6, 1)).limitation_date)


class TestFrenchFormat(unittest.TestCase):

    def test_dates_amounts_rates_the_french_way(self):
        self.assertEqual(fr_format.format_fr_date(D(2026, 5, 4)), "4 mai 2026")
        self.assertEqual(fr_format.format_fr_date('2026-12-25 10:00:00'), "25 décembre 2026")
        self.assertEqual(fr_format.format_fr_date(False), "")
        self.assertEqual(fr_format.format_fr_amount(1234.5, 'EUR').replace('\u202f', ' ').replace('\xa0', ' '),
                         "1 234,50 €")
        self.assertEqual(fr_format.format_fr_rate(12.4), "12,40 %")

    def test_to_date_refuses_what_is_not_a_date(self):
        self.assertEqual(fr_format.to_date(datetime.datetime(2026, 3, 1, 23, 59)), D(2026, 3, 1))
        with self.assertRaises(TypeError):
            fr_format.to_date(20260301)
