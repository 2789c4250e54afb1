"""The route and the competent court (tools/court.py) and the French formatting
(tools/fr_format.py), without the ORM."""
import datetime
import unittest

from odoo.addons.l10n_fr_debt_recovery.tools import court, fr_format, legal_dates

D = datetime.date


class TestCourtDecision(unittest.TestCase):

    def decide(self, debtor_type='professional', legal_form='sas', **kw):
        args = dict(is_company=True, disputed=False, amount=1200, limitation_start=D(2026, 1, 10),
                    today=D(2026, 6, 1))
        args.update(kw)
        return court.decide(debtor_type, legal_form, **args)

    def test_l721_3_commercial_company_by_form_goes_to_the_commercial_court(self):
        for form in ('sa', 'sas', 'sasu', 'sarl', 'eurl', 'snc', 'scs', 'sca', 'ei_trader', 'ei_artisan'):
            decision = self.decide(legal_form=form)
            self.assertEqual((decision.court_type, decision.cerfa), ('commercial', "Cerfa 12946*02"), form)
        self.assertEqual(self.decide().route, 'injunction')

    def test_l721_3_civil_debtors_go_to_the_tribunal_judiciaire_even_between_professionals(self):
        for form in ('sci', 'scp', 'scm', 'association', 'ei_liberal', 'ei_farmer', 'sel'):
            decision = self.decide(legal_form=form)
            self.assertEqual((decision.court_type, decision.cerfa), ('judicial', "Cerfa 12948*06"), form)
        self.assertEqual(self.decide('consumer', None, is_company=False).reason, 'consumer')

    def test_unknown_form_is_a_guess_and_an_override_wins(self):
        self.assertEqual(self.decide(legal_form=None).reason, 'unknown_company')
        self.assertEqual(self.decide(legal_form=None, is_company=False).court_type, 'judicial')
        decision = self.decide(legal_form='sci', override='commercial')
        self.assertEqual((decision.court_type, decision.reason), ('commercial', 'override'))

    def test_cpc_1406_local_commercial_courts(self):
        self.assertEqual(self.decide(place='alsace_moselle').local_court, 'alsace_moselle')
        self.assertEqual(self.decide(place='974').local_court, 'overseas')
        self.assertEqual(self.decide(legal_form='sci', place='974').local_court, 'standard')

    def test_tae_pilot_courts_from_2025_to_2028(self):
        self.assertEqual(self.decide(zip_code='69002').tae, 'Lyon')
        self.assertIsNone(self.decide(zip_code='31000').tae)
        self.assertIsNone(self.decide(zip_code='69002', today=D(2024, 12, 31)).tae)
        self.assertIsNone(self.decide(zip_code='69002', today=D(2029, 1, 1)).tae)
        self.assertIsNone(self.decide(legal_form='sci', zip_code='69002').tae, "not for civil debtors")
        self.assertEqual(len(court.TAE_COURTS), 12)

    def test_cpc_1405_contested_claim_goes_to_a_summons(self):
        self.assertEqual(self.decide(disputed=True).route, 'summons')

    def test_cpce_l125_1_small_claims_up_to_5000_included(self):
        self.assertTrue(self.decide(amount=5000).small_claims)
        self.assertFalse(self.decide(amount=5000.01).small_claims)

    def test_c_conso_l218_2_and_c_com_l110_4_limitation(self):
        consumer = self.decide('consumer', None, limitation_start=D(2024, 5, 31), today=D(2026, 5, 31))
        self.assertEqual(consumer.limitation_date, D(2026, 5, 31))
        self.assertFalse(consumer.time_barred, "the last day is still in time")
        self.assertTrue(self.decide('consumer', None, limitation_start=D(2024, 5, 31)).time_barred)
        business = self.decide(limitation_start=D(2024, 5, 31))
        self.assertEqual(business.limitation_date, D(2029, 5, 31))
        self.assertFalse(business.time_barred)
        self.assertIsNone(self.decide(limitation_start=None).limitation_date)


class TestPlaces(unittest.TestCase):

    def test_cpc_642_places_and_their_holidays(self):
        self.assertEqual(legal_dates.place_of('FR', '57000'), 'alsace_moselle')
        self.assertEqual(legal_dates.place_of('FR', '67000'), 'alsace_moselle')
        self.assertEqual(legal_dates.place_of('FR', '97400'), '974')
        self.assertEqual(legal_dates.place_of('GP', '97110'), '971')
        self.assertEqual(legal_dates.place_of('BE', '4000'), 'abroad')
        self.assertEqual(legal_dates.place_of('FR', '75001'), 'metropole')
        # 27 May: abolition of slavery in Guadeloupe (C. trav. L3422-2), not Mi-Carême (custom)
        self.assertFalse(legal_dates.is_working_day(D(2026, 5, 27), place='971'))
        self.assertTrue(legal_dates.is_working_day(D(2026, 5, 27), place='metropole'))
        self.assertTrue(legal_dates.is_working_day(D(2026, 3, 12), place='971'))
        self.assertFalse(legal_dates.is_working_day(D(2025, 12, 26), place='alsace_moselle'))

    def test_cpc_643_644_distance_months(self):
        self.assertEqual(legal_dates.distance_months('974', 'metropole'), 1)
        self.assertEqual(legal_dates.distance_months('abroad', 'metropole'), 2)
        self.assertEqual(legal_dates.distance_months('metropole', '974'), 1)
        self.assertEqual(legal_dates.distance_months('974', '974'), 0)
        self.assertEqual(legal_dates.distance_months('alsace_moselle', 'metropole'), 0)
        # served Wednesday 4 March 2026 to a debtor abroad: 3 months -> Thursday 4 June
        self.assertEqual(legal_dates.opposition_deadline(D(2026, 3, 4), debtor_place='abroad'), D(2026, 6, 4))


class TestFrenchFormat(unittest.TestCase):

    def test_dates_amounts_rates_the_french_way(self):
        self.assertEqual(fr_format.format_fr_date(D(2026, 5, 4)), "4 mai 2026")
        self.assertEqual(fr_format.format_fr_date('2026-12-25 10:00:00'), "25 décembre 2026")
        self.assertEqual(fr_format.format_fr_date(False), "")
        self.assertEqual(fr_format.format_fr_amount(1234.5, 'EUR').replace('\u202f', ' ').replace('\xa0', ' '),
                         "1 234,50 €")
        self.assertEqual(fr_format.format_fr_rate(12.4), "12,40\xa0%", "a decimal comma and a non-breaking space")

    def test_to_date_refuses_what_is_not_a_date(self):
        self.assertEqual(fr_format.to_date(datetime.datetime(2026, 3, 1, 23, 59)), D(2026, 3, 1))
        with self.assertRaises(TypeError):
            fr_format.to_date(20260301)

    def test_delays_in_words(self):
        self.assertEqual(fr_format.fr_days(8), "huit jours")
        self.assertEqual(fr_format.fr_days(15), "quinze jours")
        self.assertEqual(fr_format.fr_days(21), "vingt et un jours")
        self.assertEqual(fr_format.fr_days(30), "trente jours")
        self.assertEqual(fr_format.fr_days(75), "soixante-quinze jours")
        self.assertEqual(fr_format.fr_days(90), "quatre-vingt-dix jours")
        self.assertEqual(fr_format.fr_days(1), "un jour")
