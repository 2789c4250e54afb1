"""Insolvency proceedings of a debtor (C. com. L622-7 to L622-28, R622-23, R622-24):
the interest stops at the opening judgment, nothing more is claimed from the debtor,
the claim is declared to the mandataire judiciaire by the deadline, with a French
declaration kept as evidence.

Every figure and date is worked out by hand in a comment (rates: ECB main
refinancing rate of the half-year + 10 points; 2026-H1: 2.15 + 10 = 12.15 %;
2026 calendar: Easter 5 April, Ascension Thursday 14 May, 14 July a Tuesday).
"""
import re
import subprocess

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import DebtRecoveryCommon

REPORT = 'l10n_fr_debt_recovery.action_report_claim_declaration'


def eur(amount):
    """A euro amount written the French way: eur('1 349,65') -> '1\u202f349,65\xa0€'."""
    return amount.replace(' ', '\u202f') + '\xa0€'


def text_of(node):
    """The text of an element, spaces and line breaks collapsed (no-break spaces kept)."""
    return re.sub(r'[ \t\r\n]+', ' ', node.text_content()).strip()


class TestInsolvency(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write({
            'street': '4 rue des Tanneurs', 'zip': '69003', 'city': 'Lyon', 'country_id': cls.env.ref('base.fr').id,
            'company_registry': '443061841', 'recovery_legal_form': 'SARL', 'recovery_rcs': 'RCS Lyon 443 061 841',
        })
        cls.debtor.write({
            'street': '12 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': cls.env.ref('base.fr').id,
            'company_registry': '732829320',
        })
        cls.office = cls.env['res.partner'].create({
            'name': 'SELARL MJ Rhône', 'is_company': True, 'street': '20 quai Saint-Antoine', 'zip': '69002',
            'city': 'Lyon', 'country_id': cls.env.ref('base.fr').id,
        })
        cls.mandataire = cls.env['res.partner'].create({
            'name': 'Maître Anne Girard', 'parent_id': cls.office.id, 'type': 'contact'})

    def _open(self, partner, opening, bodacc=None, mandataire=None, on=None):
        """The opening judgment (and its publication) entered on the customer."""
        vals = {'recovery_insolvency_date': opening}
        if mandataire:
            vals['recovery_mandataire_id'] = mandataire.id
        if bodacc:
            vals['recovery_bodacc_date'] = bodacc
        with freeze_time(on or bodacc or opening):
            partner.with_company(self.company).write(vals)
        return partner.with_company(self.company)

    def _todos(self, partner):
        return self._activities(partner, 'l10n_fr_debt_recovery.mail_activity_type_recovery_claim_declaration')

    # -------------------------------------------------------------------------
    # L622-28: interest stops at the opening judgment
    # -------------------------------------------------------------------------
    def test_c_com_l622_28_penalties_stop_at_the_opening_judgment(self):
        before = self._invoice(self.debtor, '2026-01-31', 1000, invoice_date='2026-01-01')
        after = self._invoice(self.debtor, '2026-04-09', 1000, invoice_date='2026-03-10')
        self._open(self.debtor, '2026-03-02')
        # 1 Feb -> 1 Mar (the judgment takes effect at zero hour of 2 March) = 29 days:
        # 1000 x 12.15 x 29 / 36500 = 9.6534 -> 9.65, and the 40 EUR (due before the judgment)
        at_opening = before._recovery_penalty('2026-03-02')
        self.assertEqual((at_opening['penalty'], at_opening['indemnity']), (9.65, 40.0))
        for later in ('2026-03-03', '2026-05-20', '2026-06-30'):
            result = before._recovery_penalty(later)
            self.assertEqual(result['segments'], at_opening['segments'], later)
            self.assertEqual((result['penalty'], result['indemnity']), (9.65, 40.0), later)
        with freeze_time('2026-05-20'):
            before.invalidate_recordset(['recovery_penalty_amount', 'recovery_indemnity_amount'])
            self.assertEqual((before.recovery_penalty_amount, before.recovery_indemnity_amount), (9.65, 40.0))
        # a claim born after the judgment is paid as usual (L622-17): due 9 April, on 9 May
        # 30 days: 1000 x 12.15 x 30 / 36500 = 9.9863 -> 9.99
        self.assertEqual(after._recovery_penalty('2026-05-09')['penalty'], 9.99)
        # the judgment cleared: interest runs on again; 1 Feb -> 20 May = 28 + 31 + 30 + 20 = 109 days:
        # 1000 x 12.15 x 109 / 36500 = 36.2836 -> 36.28
        with freeze_time('2026-05-21'):
            self.debtor.with_company(self.company).recovery_insolvency_date = False
        self.assertEqual(before._recovery_penalty('2026-05-20')['penalty'], 36.28)

    def test_c_com_l622_28_deferred_payment_of_one_year_keeps_its_interest(self):
        # invoiced 2025-01-10, due 2026-01-31: a payment deferred by more than a year, the
        # exception of L622-28: 1 Feb -> 20 May 2026 = 109 days -> 36.28 (as above)
        deferred = self._invoice(self.debtor, '2026-01-31', 1000, invoice_date='2025-01-10')
        self._open(self.debtor, '2026-03-02')
        self.assertEqual(deferred._recovery_penalty('2026-05-20')['penalty'], 36.28)

    # -------------------------------------------------------------------------
    # L622-7, L622-21: nothing more is claimed from the debtor
    # -------------------------------------------------------------------------
    def test_c_com_l622_7_relancer_refuses_an_invoice_in_insolvency(self):
        invoice = self._invoice(self.debtor, '2026-01-31', 1000, invoice_date='2026-01-01')
        self._open(self.debtor, '2026-03-02')
        self.assertEqual(invoice.recovery_state, 'insolvency')
        self.assertEqual(self.accountant.lang, 'en_US')
        with freeze_time('2026-03-20'), self.assertRaises(UserError) as caught:
            invoice.with_user(self.accountant).action_recovery_remind()
        self.assertEqual(caught.exception.args[0], (
            f"{invoice.name} cannot be reminded: insolvency proceedings were opened against Boulangerie Martin SAS "
            "on 03/02/2026. A claim born before the opening judgment may no longer be claimed from the customer "
            "(C. com. L622-7, L622-21): it must be declared to the mandataire judiciaire (L622-24) from the "
            "customer's form."))
        self.assertFalse(self.env['debt.recovery.remind'].search([]), "no wizard was opened")

    def test_c_com_l622_21_the_engine_reminds_nothing_born_before_the_judgment(self):
        before = self._invoice(self.debtor, '2026-02-27', 1000, invoice_date='2026-01-28')
        after = self._invoice(self.debtor, '2026-04-09', 700, invoice_date='2026-03-10')
        self._open(self.debtor, '2026-03-02')
        for day in ('2026-03-05', '2026-03-14', '2026-03-29', '2026-04-16', '2026-04-30', '2026-05-25'):
            self._run(day)
        self.assertEqual(before.recovery_state, 'insolvency')
        self.assertFalse(self._step_events(before), "no reminder, call or formal notice for a frozen claim")
        self.assertFalse(self.env['debt.recovery.case'].search([('move_ids', 'in', before.ids)]))
        self.assertTrue(self._step_events(after, self.step_courteous), "the later invoice is reminded")
        for mail in self._mails(self.debtor):
            self.assertNotIn(before.name, mail.body_html)

    # -------------------------------------------------------------------------
    # R622-24: the deadline to declare, and the to-do
    # -------------------------------------------------------------------------
    def test_c_com_r622_24_deadline_and_one_todo(self):
        debtor = self._open(self.debtor, '2026-03-10', mandataire=self.mandataire, on='2026-03-12')
        self.assertFalse(debtor.recovery_declaration_deadline)
        self.assertFalse(self._todos(self.debtor), "no deadline before the BODACC publication")
        # published Saturday 14 March 2026: + 2 months = Thursday 14 May, Ascension -> Friday 15 May
        with freeze_time('2026-03-16'):
            debtor.recovery_bodacc_date = '2026-03-14'
        self.assertEqual(str(debtor.recovery_declaration_deadline), '2026-05-15')
        todo = self._todos(self.debtor)
        self.assertEqual(len(todo), 1)
        self.assertEqual((todo.user_id, str(todo.date_deadline)), (self.manager, '2026-05-15'))
        self.assertEqual(todo.summary, "Declare the claim to the mandataire judiciaire")
        # corrected to Friday 13 March: + 2 months = Wednesday 13 May; still one to-do, moved
        with freeze_time('2026-03-17'):
            debtor.recovery_bodacc_date = '2026-03-13'
        self.assertEqual(str(debtor.recovery_declaration_deadline), '2026-05-13')
        self.assertEqual(self._todos(self.debtor), todo)
        self.assertEqual(str(todo.date_deadline), '2026-05-13')
        # published 31 December 2025: no 31 February -> Saturday 28 February 2026 -> Monday 2 March
        other = self.env['res.partner'].create({'name': 'Menuiserie Roux SARL', 'is_company': True,
                                                'country_id': self.env.ref('base.fr').id, 'zip': '38000'})
        self.company.recovery_notice_user_id = False
        self._open(other, '2025-12-15', bodacc='2025-12-31', on='2026-01-05')
        self.assertEqual(str(other.with_company(self.company).recovery_declaration_deadline), '2026-03-02')
        self.assertEqual(self._todos(other).user_id, self.accountant, "no formal-notice manager: the call user")

    def test_c_com_r622_24_two_more_months_outside_the_territory_of_the_court(self):
        # The company in La Réunion, the debtor's court in Lyon: + 4 months.
        # 14 March + 4 months = Tuesday 14 July 2026, national holiday -> Wednesday 15 July
        self.company.partner_id.write({'zip': '97400', 'city': 'Saint-Denis'})
        debtor = self._open(self.debtor, '2026-03-10', bodacc='2026-03-14')
        self.assertEqual(str(debtor.recovery_declaration_deadline), '2026-07-15')
        self.assertEqual(str(self._todos(self.debtor).date_deadline), '2026-07-15')

    def test_c_com_r622_24_holidays_of_the_court_in_alsace_moselle(self):
        # Court in Strasbourg: 3 February + 2 months = Friday 3 April 2026, Good Friday there ->
        # Saturday, Sunday, Monday 6 April (Easter Monday) -> Tuesday 7 April.
        strasbourg = self.env['res.partner'].create({'name': 'Brasserie Koenig SAS', 'is_company': True,
                                                     'country_id': self.env.ref('base.fr').id, 'zip': '67000'})
        self.assertEqual(str(self._open(strasbourg, '2026-01-20', bodacc='2026-02-03')
                             .recovery_declaration_deadline), '2026-04-07')
        # in Lyon, Friday 3 April is a working day
        self.assertEqual(str(self._open(self.debtor_b, '2026-01-20', bodacc='2026-02-03')
                             .recovery_declaration_deadline), '2026-04-03')

    def test_c_com_r622_24_the_publication_follows_the_judgment(self):
        with self.assertRaises(ValidationError):
            self._open(self.debtor, '2026-03-10', bodacc='2026-03-09')

