import base64
import io

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tools.pdf import PdfFileReader

from .common import DebtRecoveryCommon


def _pages(content):
    return len(PdfFileReader(io.BytesIO(content), strict=False).pages)


def _page_contents(content):
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    return [page.get_contents().get_data() for page in reader.pages]


class TestRecoveryCase(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write({
            'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
            'country_id': cls.env.ref('base.fr').id, 'company_registry': '73282932000074',
            'recovery_legal_form': 'SARL',
        })
        cls.debtor.write({
            'street': '5 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': cls.env.ref('base.fr').id,
            'company_registry': '54205118000066', 'recovery_legal_form': 'SAS',
        })
        cls.consumer.write({'street': '3 rue des Lilas', 'zip': '69003', 'city': 'Lyon',
                            'country_id': cls.env.ref('base.fr').id})
        cls.Case = cls.env['debt.recovery.case']

    def _case(self, partner=None, amounts=(1000.0, 500.0), due='2026-03-02'):
        partner = partner or self.debtor
        moves = self.env['account.move']
        for amount in amounts:
            moves |= self._invoice(partner, due, amount)
        return self.Case.create({'partner_id': partner.id, 'move_ids': [Command.set(moves.ids)]}), moves

    def _html(self, report, case):
        return self.env['ir.actions.report']._render_qweb_html(report, case.ids)[0].decode()

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
        # 2026-04-24 + 8 days = Saturday 2 May -> Monday 4 May (CPC 642)
        self.assertEqual(str(case.notice_deadline), '2026-05-04')
        self.assertEqual(case.recipient_city, 'Lyon', "the address is frozen on the case")
        html = self._html('l10n_fr_debt_recovery.action_report_formal_notice', case)
        for expected in ("Mise en demeure", "Lettre recommandée avec accusé de réception", "24 avril 2026",
                         "Atelier Durand SARL", "Boulangerie Martin SAS", "542 051 180", "732 829 320",
                         moves[0].name, moves[1].name, "L441-10", "D441-5", "40 euros", "4 mai 2026",
                         "injonction de payer", "12,15 %", "Total réclamé", "5 place Bellecour", "3 mars 2026"):
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
        self.assertNotIn("D441-5", html)
        self.assertEqual(case.amount_indemnity, 0.0)
        self.assertEqual(case.amount_penalty, 0.0, "no interest before the receipt of the notice")
        case.write({'lrar_number': '1A 123 456 7890 1', 'notice_date': '2026-04-24'})
        case.with_user(self.manager).action_record_posting()
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
            self.assertEqual(case.state, 'deadline_passed', "the daily run notices the deadline")
            with self.assertRaisesRegex(UserError, "no proof of receipt"):
                case.with_user(self.manager).action_prepare_court_file()
            case.write({'receipt_date': '2026-04-27'})
            case.action_record_receipt()
            with self.assertRaisesRegex(UserError, "recovery manager"):
                case.with_user(self.accountant).action_prepare_court_file()
            case.with_user(self.manager).action_prepare_court_file()
            self.assertEqual(case.state, 'court_file_ready')
            self.assertEqual(case.recommended_route, 'injunction')
            self.assertEqual(case.court_type, 'commercial')
            self.assertIn('12946', case.cerfa)
            html = self._html('l10n_fr_debt_recovery.action_report_injunction_file', case)
            for expected in ("Requête en injonction de payer", "Bordereau des pièces", "tribunal de commerce",
                             "Infogreffe", "542 051 180", "L441-10", "1405", "27 avril 2026", moves[0].name):
                self.assertIn(expected, html)
            case.filing_date = '2026-03-01'
            case.with_user(self.manager).action_mark_filed()
            case.order_date = '2026-03-10'
            case.with_user(self.manager).action_order_granted()
            self.assertEqual(str(case.serve_deadline), '2026-09-10')  # CPC 1411
            self.assertTrue(case.activity_ids.filtered(lambda a: str(a.date_deadline) == '2026-08-10'),
                            "a warning a month before the order lapses")
            bailiff = self.env['res.partner'].create({'name': 'Maître Huissier'})
            case.write({'service_date': '2026-04-02', 'bailiff_id': bailiff.id})
            case.action_order_served()
            self.assertEqual(str(case.opposition_deadline), '2026-05-04')  # 2 May is a Saturday
            case.action_enforceable()
            self.assertEqual(case.state, 'enforceable')
        events = case.event_ids
        self.assertGreaterEqual(len(events), 8 * 2, "every transition is an event on every invoice")

    def test_refusals_disputed_and_time_barred(self):
        with freeze_time('2026-04-24'):
            case, moves = self._case()
            case.with_user(self.manager).action_validate_notice()
            case.write({'lrar_number': 'X', 'notice_date': '2026-04-24'})
            case.with_user(self.manager).action_record_posting()
            case.write({'receipt_date': '2026-04-25'})
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
        self.assertEqual(str(consumer_case.limitation_date), '2026-05-13', "2 years against a consumer")
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

    def test_court_file_pdf_structure(self):
        """The court file is one PDF: request + list of exhibits, then each exhibit
        in the order of the list (pages checked, since wkhtmltopdf's PDFs carry no text)."""
        Report = self.env['ir.actions.report'].with_context(force_report_rendering=True)
        contract = self.env['ir.attachment'].create({
            'name': 'devis-signe.png', 'res_model': 'res.partner', 'res_id': self.debtor.id,
            'raw': base64.b64decode(
                'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
            'mimetype': 'image/png', 'recovery_evidence': 'contract',
        })
        with freeze_time('2026-04-24'):
            case, moves = self._case(amounts=(1000.0,))
            case.with_user(self.manager).with_context(force_report_rendering=True).action_validate_notice()
            self.assertEqual(case.notice_attachment_id.mimetype, 'application/pdf')
            case.write({'lrar_number': 'X', 'notice_date': '2026-04-24', 'notice_copy_by_email': False})
            case.with_user(self.manager).action_record_posting()
            case.write({'receipt_date': '2026-04-25'})
        with freeze_time('2026-05-06'):
            case.action_deadline_passed()
            case.with_user(self.manager).action_prepare_court_file()
            court_file = self.env['report.l10n_fr_debt_recovery.report_injunction_request']
            exhibits = court_file._exhibits(case)
            self.assertEqual([e['title'].split(' ')[0] for e in exhibits],
                             ['Devis', 'Facture', 'Historique', 'Mise'])
            self.assertIn(contract, [e.get('attachment') for e in exhibits])
            full, __ = Report._render_qweb_pdf('l10n_fr_debt_recovery.action_report_injunction_file', case.ids)
            request, __ = Report.with_context(report_pdf_no_attachment=True)._render_qweb_html(
                'l10n_fr_debt_recovery.action_report_injunction_file', case.ids)
            parts = court_file.with_context(force_report_rendering=True)._recovery_parts(case)
        self.assertEqual(len(parts), 4)
        part_pages = [_pages(stream.getvalue()) for __, stream in parts]
        total = _pages(full)
        request_pages = total - sum(part_pages)
        self.assertGreaterEqual(request_pages, 2, "request and list of exhibits start on separate pages")
        # the exhibits follow the request, in the order of the list
        merged = _page_contents(full)
        offset = request_pages
        for (title, stream), count in zip(parts, part_pages):
            self.assertEqual(merged[offset:offset + count], _page_contents(stream.getvalue()), title)
            offset += count
        self.assertEqual(offset, total)
        self.assertIn('Bordereau', request.decode())

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
