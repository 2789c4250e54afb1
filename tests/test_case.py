import re

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError

from .common import DebtRecoveryCommon


class TestRecoveryCase(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write({
            'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
            'country_id': cls.env.ref('base.fr').id, 'company_registry': '73282932000074',
            'recovery_legal_form': 'sarl',
        })
        cls.debtor.write({
            'street': '5 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': cls.env.ref('base.fr').id,
            'company_registry': '54205118000066', 'recovery_legal_form': 'sas',
        })
        cls.consumer.write({'street': '3 rue des Lilas', 'zip': '69003', 'city': 'Lyon',
                            'country_id': cls.env.ref('base.fr').id})
        cls.company.write({'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
                           'recovery_representative_name': 'Jean Durand', 'recovery_representative_capacity': 'gérant',
                           'recovery_mediator_name': 'CM2C', 'recovery_mediator_url': 'https://www.cm2c.net'})
        cls.Case = cls.env['debt.recovery.case']

    def _case(self, partner=None, amounts=(1000.0, 500.0), due='2026-03-02'):
        partner = partner or self.debtor
        moves = self.env['account.move']
        for amount in amounts:
            moves |= self._invoice(partner, due, amount)
        return self.Case.create({'partner_id': partner.id, 'move_ids': [Command.set(moves.ids)]}), moves

    def _html(self, report, case):
        # the QWeb source wraps lines: compare with ASCII white space folded (not the
        # non-breaking spaces of French typography)
        html = self.env['ir.actions.report']._render_qweb_html(report, case.ids)[0].decode()
        return re.sub(r'[ \t\r\n]+', ' ', html)

    def test_plan_reaches_formal_notice_gathers_overdue_invoices(self):
        first = self._invoice(self.debtor, '2026-03-02', 1000)
        later = self._invoice(self.debtor, '2026-04-10', 300)
        disputed = self._invoice(self.debtor, '2026-03-02', 200)
        disputed.recovery_dispute_reason = 'quality'
        self._run('2026-04-16')
        case = self.Case.search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(case.move_ids, first | later, "every overdue undisputed invoice of the debtor")
        self.assertTrue(case.name.startswith('DOS/'))
        self.assertEqual(case.state, 'draft')
        self.assertEqual(case.amount_principal, 1300.0)
        # a second run adds nothing twice and opens no second case
        self._run('2026-04-17')
        self.assertEqual(self.Case.search_count([('partner_id', '=', self.debtor.id)]), 1)

    def test_formal_notices_of_a_batch_open_their_cases_together(self):
        """Three debtors reach the formal notice in one run: a new case for the first,
        the second's draft case receives its new invoice; the third's case holds an
        invoice disputed behind the engine's back (an import): that debtor alone fails,
        with the reason, and the others' cases are opened."""
        third = self.debtor_b.copy({'name': 'Menuiserie Roux SARL', 'email': 'compta@roux.fr'})
        new_case_invoices = self._invoice(self.debtor, '2026-03-02', 100) | self._invoice(self.debtor, '2026-03-05', 50)
        draft, __ = self._case(self.debtor_b, amounts=(70.0,))
        added = self._invoice(self.debtor_b, '2026-03-02', 80)
        broken, __ = self._case(third, amounts=(90.0,))
        self.env.cr.execute("UPDATE account_move SET recovery_dispute_reason = 'quality' WHERE id = ANY(%s)",
                            [broken.move_ids.ids])
        broken.move_ids.invalidate_recordset(['recovery_dispute_reason'])
        blocked = self._invoice(third, '2026-03-02', 60)
        self._run('2026-04-20')

        case = self.Case.search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.move_ids, new_case_invoices)
        self.assertEqual(self._step_events(new_case_invoices, self.step_notice).case_id, case)
        self.assertEqual(self.Case.search([('partner_id', '=', self.debtor_b.id)]), draft)
        self.assertIn(added, draft.move_ids, "the draft case in progress receives the new invoice")
        self.assertEqual(self._step_events(added, self.step_notice).case_id, draft)
        self.assertEqual(self.Case.search([('partner_id', '=', third.id)]), broken)
        self.assertNotIn(blocked, broken.move_ids)
        failed = self._step_events(blocked, self.step_notice, state='failed')
        self.assertEqual(len(failed), 1)
        self.assertIn('disputed', failed.failure_reason)
        self.assertEqual(blocked.recovery_state, 'running', "a failed step leaves the invoice where it was")

    def test_disputed_invoice_cannot_enter_a_case(self):
        case, moves = self._case()
        disputed = self._invoice(self.debtor, '2026-03-02', 200)
        disputed.recovery_dispute_reason = 'amount'
        with self.assertRaisesRegex(ValidationError, "disputed"):
            case.move_ids = [Command.link(disputed.id)]

    @freeze_time('2026-04-24')
    def test_letter_content_business(self):
        case, moves = self._case()
        with self.assertRaisesRegex(UserError, "recovery manager"):
            case.with_user(self.accountant).action_validate_notice()
        case.with_user(self.manager).action_validate_notice()
        self.assertEqual(case.state, 'notice_ready')
        self.assertFalse(case.notice_deadline, "the deadline runs from the receipt, not known yet")
        self.assertEqual(case.notice_delay, 8)
        self.assertEqual(case.recipient_city, 'Lyon', "the address is frozen on the case")
        html = self._html('l10n_fr_debt_recovery.action_report_formal_notice', case)
        for expected in ("Mise en demeure", "Lettre recommandée avec demande d'avis de réception", "24 avril 2026",
                         "Atelier Durand SARL", "Boulangerie Martin SAS", "542 051 180", "732 829 320",
                         moves[0].name, moves[1].name, "L441-10", "D441-5", "40 euros",
                         "dans un délai de <strong>huit jours</strong> à compter de la réception de la présente lettre",
                         "au taux de 12,15\xa0% (taux BCE majoré de 10 points)",
                         "par facture ou échéance réglée après son terme", "représentée par Jean Durand, gérant",
                         "injonction de payer", "Total réclamé", "5 place Bellecour", "3 mars 2026"):
            self.assertIn(expected, html)
        # 1000 x 12.15 % x 53 d / 365 = 17.64 ; 500 -> 8.82 ; 2 x 40 ; total 1500 + 26.46 + 80
        self.assertEqual(case.amount_penalty, 26.46)
        self.assertEqual(case.amount_indemnity, 80.0)
        self.assertIn("1\u202f606,46\xa0€", html)

    @freeze_time('2026-04-24')
    def test_letter_content_consumer(self):
        case, __ = self._case(partner=self.consumer, amounts=(800.0,))
        case.with_user(self.manager).action_validate_notice()
        html = self._html('l10n_fr_debt_recovery.action_report_formal_notice', case)
        self.assertIn("Mise en demeure", html)
        self.assertIn("intérêts moratoires au taux légal", html)
        # C. conso L612-1: the consumer mediator is named
        self.assertIn("CM2C", html)
        self.assertIn("https://www.cm2c.net", html)
        self.assertNotIn("D441-5", html)
        self.assertEqual(case.amount_indemnity, 0.0)
        self.assertEqual(case.amount_penalty, 0.0, "no interest before the receipt of the notice")
        case.write({'lrar_number': '1A 123 456 7890 1', 'notice_date': '2026-04-24'})
        case.with_user(self.manager).action_record_posting()
        with freeze_time('2026-04-27'):
            case.receipt_date = '2026-04-27'
            case.action_record_receipt()
        with freeze_time('2026-05-27'):
            case.invalidate_recordset()
            # legal rate "other cases" 2026-H1 = 2.62 %: 800 x 2.62 % x 30 / 365 = 1.72
            self.assertEqual(case.amount_penalty, 1.72)

    def test_missing_address_blocks_validation(self):
        nowhere = self.env['res.partner'].create({'name': 'Sans Adresse SARL', 'is_company': True,
                                                  'email': 'x@example.fr'})
        case, __ = self._case(partner=nowhere, amounts=(100,))
        self.assertIn('postal address', case.address_warning)
        with self.assertRaisesRegex(UserError, "postal address"):
            case.with_user(self.manager).action_validate_notice()
        self.assertEqual(case.state, 'draft')
        self.assertFalse(case.event_ids)

    def test_full_lifecycle_and_court_deadlines(self):
        with freeze_time('2026-04-24'):
            case, moves = self._case()
            case.with_user(self.manager).action_validate_notice()
            case.write({'lrar_number': '1A 123 456 7890 1', 'notice_date': '2026-04-24'})
            case.with_user(self.manager).action_record_posting()
            self.assertEqual(case.state, 'notice_sent')
            copy = self.env['mail.mail'].search([('model', '=', 'debt.recovery.case'), ('res_id', '=', case.id)])
            self.assertEqual(len(copy), 1, "a copy of the notice by e-mail")
            with self.assertRaisesRegex(UserError, "not passed"):
                case.action_deadline_passed()
        with freeze_time('2026-05-05'):
            self.env['account.move']._cron_debt_recovery()
            self.assertEqual(case.state, 'notice_sent', "no receipt recorded: no deadline has started")
            case.write({'receipt_status': 'signed', 'receipt_date': '2026-04-27'})
            case.action_record_receipt()
            # 27 April + 8 days = Tuesday 5 May
            self.assertEqual(str(case.notice_deadline), '2026-05-05')
            self.env['account.move']._cron_debt_recovery()
            self.assertEqual(case.state, 'notice_sent', "the deadline day itself is still in time")
        with freeze_time('2026-05-06'):
            self.env['account.move']._cron_debt_recovery()
            self.assertEqual(case.state, 'deadline_passed', "the daily run notices the deadline")
            with self.assertRaisesRegex(UserError, "recovery manager"):
                case.with_user(self.accountant).action_prepare_court_file()
            with self.assertRaisesRegex(UserError, "Enter the court"):
                case.with_user(self.manager).action_prepare_court_file()
            case.court_name = "Tribunal de commerce de Lyon"
            case.with_user(self.manager).action_prepare_court_file()
            self.assertEqual(case.state, 'court_file_ready')
            self.assertEqual(case.recommended_route, 'injunction')
            self.assertEqual(case.court_type, 'commercial')
            self.assertIn("SAS is a commercial company by its form", case.court_reason)
            self.assertIn("Lyon", case.court_note, "Lyon is a pilot tribunal des activités économiques")
            self.assertIn('12946', case.cerfa)
            html = self._html('l10n_fr_debt_recovery.action_report_injunction_file', case)
            for expected in ("Requête en injonction de payer", "Président du Tribunal de commerce de Lyon",
                             "Bordereau des pièces produites à l'appui de la requête", "542 051 180", "L441-10",
                             "1405", "1406", "reçue le 27 avril 2026", "adressée le 24 avril 2026",
                             "échu le 5 mai 2026", "représentée par Jean Durand, gérant", moves[0].name):
                self.assertIn(expected, html)
            for advice in ("Infogreffe", "Cerfa", "petites créances"):
                self.assertNotIn(advice, html, "the request speaks to the judge only")
            case.filing_date = '2026-05-06'
            case.with_user(self.manager).action_mark_filed()
        with freeze_time('2026-05-15'):
            case.order_date = '2026-05-15'
            case.with_user(self.manager).action_order_granted()
            # CPC 1411: 15 November 2026 is a Sunday -> Monday 16 (CPC 642)
            self.assertEqual(str(case.serve_deadline), '2026-11-16')
            self.assertTrue(case.activity_ids.filtered(lambda a: str(a.date_deadline) == '2026-10-16'),
                            "a warning a month before the order lapses")
        with freeze_time('2026-06-02'):
            bailiff = self.env['res.partner'].create({'name': 'Maître Huissier'})
            case.write({'service_date': '2026-06-02', 'bailiff_id': bailiff.id})
            with self.assertRaisesRegex(UserError, "how the order was served"):
                case.action_order_served()
            case.service_mode = 'person'
            case.action_order_served()
            self.assertEqual(str(case.opposition_deadline), '2026-07-02')  # CPC 1416 al. 1
            self.assertFalse(case.opposition_final_deadline)
            todo = case.activity_ids.filtered(lambda a: 'non-opposition' in (a.summary or ''))
            self.assertEqual(str(todo.date_deadline), '2026-07-02', "CPC 1422: certificate, then enforcement")
        with freeze_time('2026-07-03'):
            case.action_enforceable()
            self.assertEqual(case.state, 'enforceable')
        events = case.event_ids
        self.assertGreaterEqual(len(events), 8 * 2, "every transition is an event on every invoice")

    @freeze_time('2026-04-24')
    def test_cpc_1416_served_not_in_person_opposition_stays_open(self):
        case, __ = self._case()
        case.write({'state': 'order_granted', 'order_date': '2026-03-10', 'service_date': '2026-03-13',
                    'service_mode': 'other'})
        # 13 March + 1 month = Monday 13 April (Easter Monday 6 April is before): al. 1
        self.assertEqual(str(case.opposition_deadline), '2026-04-13')
        self.assertIn("1416 al. 2", case.opposition_note)
        self.assertFalse(case.opposition_final_deadline, "no act in person yet: open-ended")
        # a bank-account seizure on 4 April 2026: + 1 month = Monday 4 May
        case.personal_act_date = '2026-04-04'
        self.assertEqual(str(case.opposition_final_deadline), '2026-05-04')
        self.assertIn("4 mai 2026", case.opposition_note)

    @freeze_time('2026-04-24')
    def test_cpc_642_deadlines_follow_the_holidays_of_the_debtors_place(self):
        moselle = self.env['res.partner'].create({
            'name': 'Brasserie de Metz SARL', 'is_company': True, 'recovery_legal_form': 'sarl',
            'street': "1 place d'Armes", 'zip': '57000', 'city': 'Metz', 'country_id': self.env.ref('base.fr').id})
        reunion = self.env['res.partner'].create({
            'name': 'Vanille de Bourbon SAS', 'is_company': True, 'recovery_legal_form': 'sas',
            'street': '2 rue de Paris', 'zip': '97400', 'city': 'Saint-Denis', 'country_id': self.env.ref('base.fr').id})
        cases = {}
        for partner in (self.debtor, moselle, reunion):
            with freeze_time('2025-12-10'):
                case, __ = self._case(partner=partner, amounts=(900.0,), due='2025-11-10')
                case.with_user(self.manager).action_validate_notice()
                case.write({'lrar_number': 'X', 'notice_date': '2025-12-10', 'notice_copy_by_email': False})
                case.with_user(self.manager).action_record_posting()
            with freeze_time('2025-12-18'):
                case.write({'receipt_status': 'signed', 'receipt_date': '2025-12-18'})
                case.action_record_receipt()
            cases[partner] = case
        # 18 December 2025 + 8 = Friday 26 December: a working day in Lyon, a public holiday in
        # Moselle (C. trav. L3134-13) -> Monday 29 December there
        self.assertEqual(str(cases[self.debtor].notice_deadline), '2025-12-26')
        self.assertEqual(str(cases[moselle].notice_deadline), '2025-12-29')
        # opposition: served Thursday 2 April 2026 -> 2 May is a Saturday -> Monday 4 May everywhere;
        # served 3 March -> 3 April: Good Friday, a holiday in Moselle only -> Monday 6 April is Easter Monday -> 7 April
        for partner, expected in ((self.debtor, '2026-04-03'), (moselle, '2026-04-07')):
            cases[partner].write({'order_date': '2026-02-20', 'service_date': '2026-03-03', 'service_mode': 'person'})
            self.assertEqual(str(cases[partner].opposition_deadline), expected, partner.name)
        # La Réunion: 20 December (abolition of slavery, C. trav. L3422-2) in 2027 is a Monday
        with freeze_time('2027-11-22'):
            cases[reunion].write({'order_date': '2027-06-20', 'service_date': '2027-11-20',
                                  'service_mode': 'person'})
        self.assertEqual(str(cases[reunion].opposition_deadline), '2027-12-21')

    @freeze_time('2026-04-24')
    def test_cpc_643_debtor_abroad_gets_two_more_months(self):
        belgian = self.env['res.partner'].create({
            'name': 'Chocolaterie de Liège SRL', 'is_company': True, 'recovery_legal_form': 'sarl',
            'street': 'Rue Léopold 3', 'zip': '4000', 'city': 'Liège', 'country_id': self.env.ref('base.be').id})
        case, __ = self._case(partner=belgian, amounts=(900.0,))
        case.write({'order_date': '2026-02-20', 'service_date': '2026-03-04', 'service_mode': 'person'})
        # 4 March + 1 month + 2 months (CPC 643) = Thursday 4 June
        self.assertEqual(str(case.opposition_deadline), '2026-06-04')

    @freeze_time('2026-04-24')
    def test_formal_notice_unclaimed_letter_goes_to_court_with_the_returned_envelope(self):
        case, __ = self._case()
        case.court_name = "Tribunal de commerce de Lyon"
        case.with_user(self.manager).action_validate_notice()
        case.write({'lrar_number': '1A 999', 'notice_date': '2026-04-24', 'notice_copy_by_email': False})
        case.with_user(self.manager).action_record_posting()
        case.receipt_status = 'unclaimed'
        with self.assertRaisesRegex(UserError, "first presented"):
            case.action_record_receipt()
        with self.assertRaises(ValidationError) as caught:
            case.write({'presentation_date': '2026-04-23'})
        self.assertIn("before it was posted", caught.exception.args[0])
        self.assertFalse(case.presentation_date, "the refused date is not kept")
        # first presented Tuesday 28 April: + 8 = Wednesday 6 May
        with freeze_time('2026-04-28'):
            case.presentation_date = '2026-04-28'
            case.action_record_receipt()
        self.assertEqual(str(case.received_date), '2026-04-28')
        self.assertEqual(str(case.notice_deadline), '2026-05-06')
        with freeze_time('2026-05-07'):
            self.env['account.move']._cron_debt_recovery()
            self.assertEqual(case.state, 'deadline_passed')
            with self.assertRaisesRegex(UserError, "returned envelope"):
                case.with_user(self.manager).action_prepare_court_file()
            envelope = self.env['ir.attachment'].create({
                'name': 'enveloppe.png', 'raw': b'\x89PNG fake', 'mimetype': 'image/png',
                'res_model': 'debt.recovery.case', 'res_id': case.id})
            case.receipt_attachment_id = envelope
            case.with_user(self.manager).action_prepare_court_file()
            exhibits = self.env['report.l10n_fr_debt_recovery.report_injunction_request']._exhibits(case)
            self.assertIn("Pli présenté le 28 avril 2026 et retourné avec la mention « pli avisé et non réclamé »",
                          [e['title'] for e in exhibits])
            html = self._html('l10n_fr_debt_recovery.action_report_injunction_file', case)
            self.assertIn("présentée le 28 avril 2026 et retournée avec la mention «\xa0pli avisé et non réclamé\xa0»",
                          html)

    @freeze_time('2026-04-24')
    def test_court_file_refused_without_proof_of_notice(self):
        case, __ = self._case()
        case.court_name = "Tribunal de commerce de Lyon"
        case.with_user(self.manager).action_validate_notice()
        case.write({'lrar_number': '1A 999', 'notice_date': '2026-04-24', 'notice_copy_by_email': False})
        case.with_user(self.manager).action_record_posting()
        case.state = 'deadline_passed'
        with self.assertRaisesRegex(UserError, "no proof that the debtor was put on notice"):
            case.with_user(self.manager).action_prepare_court_file()

    def test_formal_notice_delay_cannot_be_under_eight_days(self):
        with self.assertRaisesRegex(ValidationError, "between 8 and 90 days"):
            self.company.recovery_notice_delay = 7

    @freeze_time('2026-04-24')
    def test_l721_3_court_follows_the_legal_form(self):
        expected = {
            'sas': ('commercial', "commercial company by its form"), 'sarl': ('commercial', "commercial company"),
            'sci': ('judicial', "civil company"), 'association': ('judicial', "association"),
            'ei_trader': ('commercial', "registered trader"), 'ei_liberal': ('judicial', "liberal profession"),
            'sel': ('judicial', "SEL"),
        }
        for form, (court_type, reason) in expected.items():
            partner = self.env['res.partner'].create({
                'name': 'Débiteur %s' % form, 'is_company': True, 'recovery_legal_form': form,
                'street': '1 rue Neuve', 'zip': '31000', 'city': 'Toulouse', 'country_id': self.env.ref('base.fr').id})
            case, __ = self._case(partner=partner, amounts=(500.0,))
            self.assertEqual(case.court_type, court_type, form)
            self.assertIn(reason, case.court_reason, form)
            self.assertFalse(case.court_note, "Toulouse is not a pilot tribunal des activités économiques")
        case, __ = self._case(partner=self.consumer, amounts=(500.0,))
        self.assertEqual(case.court_type, 'judicial')
        self.assertIn("consumer", case.court_reason)
        strasbourg = self.env['res.partner'].create({
            'name': 'Winstub SARL', 'is_company': True, 'recovery_legal_form': 'sarl',
            'street': '1 rue des Frères', 'zip': '67000', 'city': 'Strasbourg', 'country_id': self.env.ref('base.fr').id})
        case, __ = self._case(partner=strasbourg, amounts=(500.0,))
        self.assertIn("commercial chamber of the tribunal judiciaire", case.court_reason)
        strasbourg.recovery_court_override = 'judicial'
        case.invalidate_recordset()
        self.assertEqual(case.court_type, 'judicial')
        self.assertIn("Chosen by hand", case.court_reason)

    @freeze_time('2026-04-24')
    def test_cpc_54_court_file_needs_the_creditors_identity(self):
        self.company.recovery_representative_name = False
        case, __ = self._case()
        case.write({'court_name': "Tribunal de commerce de Lyon", 'state': 'deadline_passed',
                    'receipt_status': 'signed', 'receipt_date': '2026-04-10', 'notice_date': '2026-04-08',
                    'notice_deadline': '2026-04-20'})
        with self.assertRaisesRegex(UserError, "legal representative"):
            case.with_user(self.manager).action_prepare_court_file()
        self.company.write({'recovery_creditor_is_individual': True, 'recovery_creditor_first_names': 'Jean',
                            'recovery_creditor_last_name': 'Durand'})
        with self.assertRaisesRegex(UserError, "profession, date of birth, place of birth"):
            case.with_user(self.manager).action_prepare_court_file()
        self.company.write({'recovery_creditor_profession': 'menuisier', 'recovery_creditor_birth_date': '1980-02-29',
                            'recovery_creditor_birth_place': 'Lyon (Rhône)'})
        case.with_user(self.manager).action_prepare_court_file()
        html = self._html('l10n_fr_debt_recovery.action_report_injunction_file', case)
        for expected in ("Jean Durand", "menuisier", "né(e) le 29 février 1980", "à Lyon (Rhône)",
                         "de nationalité française"):
            self.assertIn(expected, html)

    def test_refusals_disputed_and_time_barred(self):
        with freeze_time('2026-04-24'):
            case, moves = self._case()
            case.with_user(self.manager).action_validate_notice()
            case.write({'lrar_number': 'X', 'notice_date': '2026-04-24'})
            case.with_user(self.manager).action_record_posting()
        with freeze_time('2026-04-25'):
            case.write({'receipt_date': '2026-04-25', 'court_name': "Tribunal de commerce de Lyon"})
            case.action_record_receipt()
        with freeze_time('2026-05-06'):
            case.action_deadline_passed()
            self.env.cr.execute("UPDATE account_move SET recovery_dispute_reason = 'quality' WHERE id = %s",
                                [moves[0].id])
            moves.invalidate_recordset()
            case.invalidate_recordset()
            with self.assertRaisesRegex(UserError, "disputed"):
                case.with_user(self.manager).action_prepare_court_file()
            self.assertEqual(case.recommended_route, 'summons')
        self.env.cr.execute("UPDATE account_move SET recovery_dispute_reason = NULL WHERE id = %s", [moves[0].id])
        moves.invalidate_recordset()
        with freeze_time('2031-05-06'):
            case.invalidate_recordset()
            self.assertTrue(case.is_time_barred)
            with self.assertRaisesRegex(UserError, "time-barred"):
                case.with_user(self.manager).action_prepare_court_file()
        self.assertEqual(case.state, 'deadline_passed')

    def test_payment_during_the_case(self):
        case, moves = self._case()
        self.assertEqual(case.amount_principal, 1500.0)
        self._pay(moves[0], 400, '2026-04-20')
        self.assertEqual(case.amount_principal, 1100.0)
        self.assertNotEqual(case.state, 'closed')
        self._pay(moves[0], 600, '2026-04-21')
        self._pay(moves[1], 500, '2026-04-21')
        self.assertEqual(case.state, 'closed')
        self.assertEqual(case.close_reason, 'paid')

    def test_small_claims_and_limitation(self):
        """The small-claims procedure is open up to 5 000 EUR, principal and penalties
        included (CPCE R125-1)."""
        case, __ = self._case(amounts=(4950.0,))
        with freeze_time('2026-04-01'):
            case.invalidate_recordset()
            # 4950 x 12.15 % x 30 / 365 = 49.43: 4 999.43 <= 5 000
            self.assertEqual(case.amount_penalty, 49.43)
            self.assertTrue(case.small_claims_available)
        with freeze_time('2026-04-06'):
            case.invalidate_recordset()
            # 35 days: 57.67 of penalties, 5 007.67 > 5 000
            self.assertEqual(case.amount_penalty, 57.67)
            self.assertFalse(case.small_claims_available, "the penalties count towards the 5 000 EUR")
        old_case, __ = self._case(partner=self.debtor_b, amounts=(4000.0,), due='2024-01-10')
        self.assertEqual(str(old_case.limitation_date), '2029-01-10', "5 years between businesses")
        consumer_case, __ = self._case(partner=self.consumer, amounts=(100.0,), due='2024-05-13')
        # C. conso L218-2: 2 years from the completion of the service (the invoice date, 30 days
        # before the due date, when no completion date is recorded)
        self.assertEqual(str(consumer_case.limitation_date), '2026-04-13', "2 years against a consumer")
        self.assertEqual(consumer_case.court_type, 'judicial')
        self.assertIn('12948', consumer_case.cerfa)

    def test_deadline_passed_unpaid_moves_case_and_gives_responsible_a_todo(self):
        """The daily run moves a case whose notice deadline passed unpaid to
        *Deadline passed* and gives its responsible a to-do; not a day before."""
        with freeze_time('2026-04-24'):
            case, moves = self._case()
            case.user_id = self.manager
            case.with_user(self.manager).action_validate_notice()
            case.write({'lrar_number': '1A 123 456 7890 1', 'notice_date': '2026-04-24',
                        'notice_copy_by_email': False})
            case.with_user(self.manager).action_record_posting()
            case.write({'receipt_date': '2026-04-24'})
            case.action_record_receipt()
        self.assertEqual(str(case.notice_deadline), '2026-05-04')
        todo_type = self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice')

        def deadline_todos():
            return self.env['mail.activity'].search([
                ('res_model', '=', 'debt.recovery.case'), ('res_id', '=', case.id),
                ('activity_type_id', '=', todo_type.id), ('summary', '=', "Deadline passed: prepare the court file")])

        self._run('2026-05-04')
        self.assertEqual(case.state, 'notice_sent', "the deadline day itself is still in time")
        self.assertFalse(deadline_todos())
        self._run('2026-05-05')
        self.assertEqual(case.state, 'deadline_passed')
        todo = deadline_todos()
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.manager, "the case's responsible gets the to-do")
        self.assertEqual(str(todo.date_deadline), '2026-05-05')
        for move in moves:
            self.assertEqual(len(self.Event.search([
                ('move_id', '=', move.id), ('case_id', '=', case.id),
                ('note', '=', "Payment deadline of the formal notice passed without full payment.")])), 1)
        self._run('2026-05-06')
        self.assertEqual(len(deadline_todos()), 1, "one to-do, not one per run")

    @freeze_time('2026-03-20')
    def test_manager_opens_a_case_from_relancer(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        from odoo.exceptions import AccessError
        wizard = self.env['debt.recovery.remind'].with_user(self.accountant).browse(
            invoice.with_user(self.accountant).action_recovery_remind()['res_id'])
        wizard.line_ids.write({'step_id': self.step_notice.id})
        self.assertEqual(wizard.line_ids.channel, 'formal_notice')
        with self.assertRaisesRegex(AccessError, "recovery manager"):
            wizard.action_send()
        self.assertFalse(self.Case.search([('partner_id', '=', self.debtor.id)]))
        wizard = self.env['debt.recovery.remind'].with_user(self.manager).browse(
            invoice.with_user(self.manager).action_recovery_remind()['res_id'])
        wizard.line_ids.write({'step_id': self.step_notice.id})
        wizard.action_send()
        case = self.Case.search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(case.move_ids, invoice)
        self.assertEqual(invoice.recovery_state, 'case')
        self.assertEqual(invoice.recovery_case_id, case)

    @freeze_time('2026-04-24')
    def test_c_conso_l612_1_consumer_notice_refused_without_mediator(self):
        self.company.write({'recovery_mediator_name': False, 'recovery_mediator_url': False})
        case, __ = self._case(partner=self.consumer, amounts=(300.0,))
        with self.assertRaisesRegex(UserError, "mediator"):
            case.with_user(self.manager).action_validate_notice()
        self.assertEqual(case.state, 'draft', "nothing half-done")
        business, __ = self._case(amounts=(300.0,))
        business.with_user(self.manager).action_validate_notice()
        self.assertEqual(business.state, 'notice_ready', "a business debtor needs no mediator")
