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
            'company_registry': '443061841', 'recovery_legal_form': 'sarl', 'recovery_rcs': 'RCS Lyon 443 061 841',
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
        with self.assertRaises(ValidationError) as caught:
            self._open(self.debtor, '2026-03-10', bodacc='2026-03-09', on='2026-03-12')
        self.assertIn("cannot precede the opening judgment", caught.exception.args[0])

    # -------------------------------------------------------------------------
    # L622-24, L622-25, R622-23: the declaration of claim
    # -------------------------------------------------------------------------
    def _claims(self):
        """Opening 2 March 2026, published 14 March. What the debtor owed:
        A 1000 invoiced 1 Jan, due 31 Jan: 1000 unpaid on 2 March (100 paid after it), interest
          1 Feb -> 1 Mar = 9.65 (see above), 40 EUR: 1049.65
        B 500 invoiced 1 Feb, due 3 March (after the judgment), 200 paid on 20 Feb: 300 to fall
          due on 3 March, no interest, no 40 EUR
        C 700 paid in full before the judgment; D invoiced after it: not declared.
        Total 1300 + 9.65 + 40 = 1349.65, of which 300 to fall due, 1049.65 due."""
        a = self._invoice(self.debtor, '2026-01-31', 1000, invoice_date='2026-01-01')
        b = self._invoice(self.debtor, '2026-03-03', 500, invoice_date='2026-02-01')
        c = self._invoice(self.debtor, '2026-02-04', 700, invoice_date='2026-01-05')
        d = self._invoice(self.debtor, '2026-04-09', 800, invoice_date='2026-03-10')
        self._pay(b, 200, '2026-02-20')
        self._pay(c, 700, '2026-02-10')
        self._open(self.debtor, '2026-03-02', bodacc='2026-03-14', mandataire=self.mandataire, on='2026-03-16')
        self._pay(a, 100, '2026-04-01')
        return a, b, c, d

    def _render(self):
        content, __ = self.env['ir.actions.report'].with_user(self.manager)._render_qweb_html(REPORT, self.debtor.ids)
        return lxml_html.fromstring(content)

    def test_c_com_l622_25_declaration_of_claim(self):
        a, b, c, d = self._claims()
        with freeze_time('2026-03-20'):
            doc = self._render()
        page = doc.xpath("//div[hasclass('o_recovery_claim_declaration')]")[0]
        text = text_of(page)
        for sentence in (
            "Fait à Lyon, le 20 mars 2026.",
            "Objet\xa0: Déclaration de créance – procédure collective de Boulangerie Martin SAS, ouverte par jugement "
            "du 2 mars 2026, publié au BODACC le 14 mars 2026.",
            "Maître,",
            "Conformément aux articles L622-24 et suivants du Code de commerce, nous déclarons entre vos mains notre "
            "créance au passif de la procédure collective ouverte à l'égard de Boulangerie Martin SAS par jugement "
            "du 2 mars 2026.",
            "Atelier Durand SARL, SARL, SIREN 443 061 841, RCS Lyon 443 061 841, 4 rue des Tanneurs, 69003 Lyon",
            "Boulangerie Martin SAS, SIREN 732 829 320, 12 place Bellecour, 69002 Lyon",
            f"Montant total déclaré\xa0: {eur('1 349,65')}, dont {eur('1 049,65')} échus au jour du jugement "
            f"d'ouverture et {eur('300,00')} à échoir.",
            f"Facture {b.name}\xa0: {eur('300,00')} à échéance du 3 mars 2026",
            "du lendemain de chaque échéance jusqu'à la veille du jugement d'ouverture, qui en arrête le cours "
            "(article L622-28 du Code de commerce).",
            "Créance chirographaire.",
            "Je certifie sincère et véritable la présente déclaration de créance.",
            "Jeanne Durand, gérante, pour Atelier Durand SARL",
        ):
            self.assertIn(sentence, text)
        address = text_of(doc.xpath("//div[hasclass('o_recovery_window_address')]")[0])
        self.assertEqual(address, "SELARL MJ Rhône Maître Anne Girard 20 quai Saint-Antoine 69002 Lyon")
        rows = [[text_of(cell) for cell in row.xpath('./td')]
                for row in page.xpath(".//table[hasclass('o_recovery_declaration_lines')]/tbody/tr")]
        self.assertEqual(rows, [
            [a.name, '1 janvier 2026', '31 janvier 2026', eur('1 000,00'), eur('9,65'), eur('40,00'),
             eur('1 049,65')],
            [b.name, '1 février 2026', '3 mars 2026', eur('300,00'), eur('0,00'), eur('0,00'), eur('300,00')],
            ['Total', eur('1 300,00'), eur('9,65'), eur('40,00'), eur('1 349,65')],
        ])
        exhibits = [[text_of(cell) for cell in row.xpath('./td')]
                    for row in page.xpath(".//table[hasclass('o_recovery_declaration_exhibits')]/tbody/tr")]
        self.assertEqual(exhibits, [['1', f"Copie de la facture {a.name} du 1 janvier 2026"],
                                    ['2', f"Copie de la facture {b.name} du 1 février 2026"]])
        for absent in (c, d):
            self.assertNotIn(absent.name, text)
        # French only: no English word of Odoo's or ours
        self.assertFalse(re.findall(r'\b(Invoice|Due|Amount|Claim|Interest|Page|Tax ID|the|and|of|to)\b',
                                    text_of(doc)), "no English word")
        # our terms reserve the title: the claim says so; the legal representative signs when set
        self.company.write({'recovery_title_reservation': True, 'recovery_representative_name': 'Jean Durand',
                            'recovery_representative_capacity': 'gérant'})
        with freeze_time('2026-03-20'):
            text = text_of(self._render())
        self.assertIn("Créance assortie d'une clause de réserve de propriété, stipulée dans nos conditions générales "
                      "de vente.", text)
        self.assertNotIn("chirographaire", text)
        self.assertIn("4 rue des Tanneurs, 69003 Lyon, représentée par Jean Durand, gérant", text)
        self.assertIn("Jean Durand, gérant, pour Atelier Durand SARL", text)

    def test_c_com_l622_25_foreign_currency_at_the_rate_of_the_opening_day(self):
        # 2000 USD due 31 Jan, 2.5 USD per EUR since 1 March: 800.00 EUR; interest 1 Feb -> 1 Mar:
        # 2000 x 12.15 x 29 / 36500 = 19.3068 -> 19.31 USD = 7.72 EUR; the indemnity is 40 euros
        usd = self.setup_other_currency('USD', rates=[('2016-01-01', 2.0), ('2026-03-01', 2.5)])
        invoice = self._invoice(self.debtor, '2026-01-31', 2000, invoice_date='2026-01-01', currency=usd)
        self._open(self.debtor, '2026-03-02', mandataire=self.mandataire)
        with freeze_time('2026-03-20'):
            declaration = self.env['report.l10n_fr_debt_recovery.report_claim_declaration']._declaration(self.debtor)
            text = text_of(self._render())
        line = declaration['lines'][0]
        self.assertEqual((line['move'], line['principal'], line['interest'], line['indemnity'], line['total']),
                         (invoice, 800.0, 7.72, 40.0, 847.72))
        self.assertIn("converties en euros au cours du jour du jugement d'ouverture (article L622-25", text)

    def test_c_com_l622_24_declaration_needs_a_mandataire_and_a_manager(self):
        self._invoice(self.debtor, '2026-01-31', 1000, invoice_date='2026-01-01')
        self._open(self.debtor, '2026-03-02', bodacc='2026-03-14')
        with freeze_time('2026-03-20'):
            with self.assertRaises(AccessError):
                self.debtor.with_user(self.accountant).action_recovery_declare_claim()
            with self.assertRaises(UserError) as caught:
                self.debtor.with_user(self.manager).action_recovery_declare_claim()
            self.assertEqual(caught.exception.args[0], (
                "Enter the mandataire judiciaire or liquidator of Boulangerie Martin SAS (name and address, as "
                "given in the opening judgment): the declaration of claim is addressed to them."))
            with self.assertRaisesRegex(UserError, "mandataire judiciaire or liquidator"):
                self._render()
        self.assertFalse(self.debtor.with_company(self.company).recovery_declaration_date)
        # a debtor who owed nothing on the day of the judgment: nothing to declare
        self._open(self.debtor_b, '2026-03-02', mandataire=self.mandataire)
        with freeze_time('2026-03-20'), self.assertRaisesRegex(UserError, "no claim to declare"):
            self.debtor_b.with_user(self.manager).action_recovery_declare_claim()

    def test_c_com_l622_24_declaring_keeps_records_and_logs_it(self):
        a, b, c, d = self._claims()
        self.assertEqual(len(self._todos(self.debtor)), 1)
        with freeze_time('2026-03-20'):
            action = self.debtor.with_user(self.manager).action_recovery_declare_claim()
        debtor = self.debtor.with_company(self.company)
        attachment = debtor.recovery_declaration_attachment_id
        self.assertEqual(action['url'], '/web/content/%s?download=true' % attachment.id)
        self.assertEqual(str(debtor.recovery_declaration_date), '2026-03-20')
        # Odoo renders HTML in test mode: the helper names the file after what it is (the PDF: below)
        self.assertEqual((attachment.name, attachment.res_model, attachment.res_id),
                         ("Déclaration de créance - Boulangerie Martin SAS.html", 'res.partner', self.debtor.id))
        self.assertIn("Je certifie sincère et véritable", attachment.raw.decode())
        message = self.debtor.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertEqual(len(message), 1)
        self.assertIn("Claim of 1,349.65", message.body)
        self.assertIn("declared to SELARL MJ Rhône, Maître Anne Girard", message.body)
        declared = self.Event.search([('event_type', '=', 'declaration')])
        self.assertEqual(declared.move_id, a | b)
        self.assertEqual(set(declared.mapped('note')),
                         {"Claim declared to SELARL MJ Rhône, Maître Anne Girard on 03/20/2026."})
        self.assertFalse(self._todos(self.debtor), "the to-do is done")
        self.assertEqual((a.recovery_state, b.recovery_state, d.recovery_state),
                         ('insolvency', 'insolvency', 'running'))

    def test_c_com_r622_23_declaration_as_a_pdf_with_the_invoices(self):
        a, b, __, __ = self._claims()
        with freeze_time('2026-03-20'):
            self.debtor.with_user(self.manager).with_context(
                force_report_rendering=True).action_recovery_declare_claim()
        attachment = self.debtor.with_company(self.company).recovery_declaration_attachment_id
        self.assertEqual((attachment.name, attachment.mimetype),
                         ("Déclaration de créance - Boulangerie Martin SAS.pdf", 'application/pdf'))
        text = subprocess.run(['pdftotext', '-layout', '-', '-'], input=attachment.raw, capture_output=True,
                              check=True).stdout.decode()
        text = re.sub(r'[ \u202f\xa0]+', ' ', text)
        declaration = text.split('Signature :')[0]
        self.assertNotEqual(declaration, text, "the declaration ends with the signature")
        for expected in ("Déclaration de créance", "Boulangerie Martin SAS", "2 mars 2026", a.name, b.name,
                         "1 049,65 €", "1 349,65 €", "300,00 €", "Créance chirographaire",
                         "Je certifie sincère et véritable la présente déclaration de créance"):
            self.assertIn(expected, declaration)
        self.assertFalse(re.findall(r'\b(Invoice|Due|Amount|Claim|Interest|the|and|of|to)\b', declaration),
                         "a French document")
        # the copies of the invoices follow the declaration: more pages than the letter
        pages = subprocess.run(['pdfinfo', '-'], input=attachment.raw, capture_output=True, check=True).stdout
        self.assertGreaterEqual(int(re.search(rb'Pages:\s+(\d+)', pages).group(1)), 3)
