"""Guard rails: every date and amount a user can type is checked when it is written
(a constraint, whatever writes it: form, import, RPC, button, wizard), with a message
for the accountant, and nothing is saved when it is refused.

Calendar used below (2026): Friday 8 May is a public holiday (Victoire 1945); Sunday
15 November; 26 December 2025 is a public holiday in Moselle (C. trav. L3134-13)."""
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DebtRecoveryCommon


@tagged('post_install', '-at_install')
class TestGuardRails(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fr = cls.env.ref('base.fr')
        cls.debtor.write({'street': '5 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': cls.fr.id})
        cls.Case = cls.env['debt.recovery.case']

    # -------------------------------------------------------------------------
    # Helpers
    # -------------------------------------------------------------------------
    def _refused(self, record, vals, *fragments):
        """Write ``vals`` on ``record``: refused with a message holding ``fragments``,
        and nothing saved (the record is read again from the database)."""
        before = {fname: record[fname] for fname in vals}
        with self.assertRaises(ValidationError) as caught:
            record.write(vals)
        for fragment in fragments:
            self.assertIn(fragment, caught.exception.args[0])
        record.invalidate_recordset()
        self.assertEqual({fname: record[fname] for fname in vals}, before, "nothing saved")
        return caught.exception

    def _wizard(self, model, moves=None, partner=None, user=None, **vals):
        ctx = {'active_model': 'account.move', 'active_ids': moves.ids} if moves else \
            {'active_model': 'res.partner', 'active_id': partner.id}
        return self.env[model].with_user(user or self.accountant).with_context(**ctx).create(vals)

    def _events(self, moves, event_type):
        return self.Event.search([('move_id', 'in', moves.ids), ('event_type', '=', event_type)])

    def _settings(self, **vals):
        return self.env['res.config.settings'].create(vals).execute()

    def _posted_case(self, partner=None, due='2026-03-02'):
        """A case whose formal notice was validated and posted today."""
        partner = partner or self.debtor
        invoice = self._invoice(partner, due)
        case = self.Case.create({'partner_id': partner.id, 'move_ids': [Command.set(invoice.ids)]})
        case.with_user(self.manager).action_validate_notice()
        case.write({'lrar_number': '1A 234 567 8901 2', 'notice_date': case.notice_letter_date,
                    'notice_copy_by_email': False})
        case.with_user(self.manager).action_record_posting()
        return case

    # -------------------------------------------------------------------------
    # Case: its invoices
    # -------------------------------------------------------------------------
    def test_case_claims_posted_customer_invoices_only(self):
        posted = self._invoice(self.debtor, '2026-03-02')
        draft = self._invoice(self.debtor, '2026-03-02', post=False)
        cancelled = self._invoice(self.debtor, '2026-03-02', post=False)
        cancelled.button_cancel()
        credit_note = self._create_invoice_one_line(
            move_type='out_refund', price_unit=100.0, name='Avoir', tax_ids=self.env['account.tax'],
            partner_id=self.debtor, invoice_date='2026-02-20', post=True)
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(posted.ids)]})
        for move in (draft, cancelled, credit_note):
            with self.subTest(move=move.display_name):
                self._refused(case, {'move_ids': [Command.link(move.id)]}, move.display_name,
                              "only posted customer invoices are owed")
        self.assertEqual(case.move_ids, posted)
        with self.assertRaises(ValidationError):
            self.Case.create({'partner_id': self.debtor_b.id, 'move_ids': [Command.set(
                self._invoice(self.debtor_b, '2026-03-02', post=False).ids)]})
        self.assertFalse(self.Case.search([('partner_id', '=', self.debtor_b.id)]), "no case created")
        # an invoice reset to draft behind the case's back: the case's invoices cannot change
        # until it leaves the case
        posted.button_draft()
        other = self._invoice(self.debtor, '2026-03-05')
        self._refused(case, {'move_ids': [Command.link(other.id)]}, posted.display_name)
        self.assertEqual(other.recovery_state, 'running', "the other invoice stays in the reminders")
        case.move_ids = [Command.unlink(posted.id), Command.link(other.id)]
        self.assertEqual(case.move_ids, other)

    def test_case_claims_the_invoices_of_its_company(self):
        company_b = self.setup_other_company(name='Société B')['company']
        foreign = self.env['account.move'].with_company(company_b).create({
            'move_type': 'out_invoice', 'partner_id': self.debtor.id, 'invoice_date': '2026-02-01',
            'invoice_date_due': '2026-03-02',
            'invoice_line_ids': [Command.create({'name': 'Prestation', 'price_unit': 500.0, 'tax_ids': []})],
        })
        foreign.action_post()
        case = self.Case.create({'partner_id': self.debtor.id,
                                 'move_ids': [Command.set(self._invoice(self.debtor, '2026-03-02').ids)]})
        self._refused(case, {'move_ids': [Command.link(foreign.id)]}, "belong to another company",
                      "Atelier Durand SARL")
        self.assertEqual(foreign.recovery_state, 'running', "the foreign invoice did not enter the case")

    def test_engine_fails_only_the_debtor_whose_case_holds_a_draft_invoice(self):
        """The daily run adds a debtor's new overdue invoices to its draft case: a case
        holding an invoice reset to draft refuses them, that debtor's step fails with the
        reason, and the other debtors' cases open."""
        held = self._invoice(self.debtor, '2026-03-02', 100.0)
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(held.ids)]})
        held.button_draft()
        new = self._invoice(self.debtor, '2026-03-02', 80.0)
        other = self._invoice(self.debtor_b, '2026-03-02', 90.0)
        self._run('2026-04-20')
        failed = self._step_events(new, self.step_notice, state='failed')
        self.assertEqual(len(failed), 1)
        self.assertIn("only posted customer invoices are owed", failed.failure_reason)
        self.assertEqual((case.move_ids, new.recovery_state), (held, 'running'), "nothing half-done")
        self.assertEqual(self.Case.search([('partner_id', '=', self.debtor_b.id)]).move_ids, other)

    # -------------------------------------------------------------------------
    # Case: the dates of the procedure
    # -------------------------------------------------------------------------
    @freeze_time('2026-05-08')
    def test_case_dates_cannot_be_in_the_future(self):
        """Friday 8 May 2026 (a public holiday): Saturday 9 May is refused for every date
        of the procedure, today is accepted."""
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(
            self._invoice(self.debtor, '2026-03-02').ids)]})
        done = [('notice_date', '2026-04-20'), ('presentation_date', '2026-04-21'), ('receipt_date', '2026-04-22'),
                ('filing_date', '2026-04-30'), ('order_date', '2026-05-04'), ('service_date', '2026-05-06'),
                ('personal_act_date', '2026-05-08')]
        for fname, valid in done:
            with self.subTest(field=fname):
                self._refused(case, {fname: '2026-05-09'}, case.name, "cannot be in the future")
                self.assertFalse(case[fname])
                case.write({fname: valid})
        self.assertEqual(str(case.personal_act_date), '2026-05-08', "today is accepted")

    def test_case_receipt_cannot_precede_the_posting(self):
        """The refused receipt date is not kept on the case, and the button that computes
        the payment deadline has nothing to work on."""
        with freeze_time('2026-04-24'):
            case = self._posted_case()
        events = len(case.event_ids)
        with freeze_time('2026-04-27'):
            for vals in ({'receipt_status': 'signed', 'receipt_date': '2026-04-23'},
                         {'receipt_status': 'unclaimed', 'presentation_date': '2026-04-23'}):
                with self.subTest(vals=vals):
                    self._refused(case, vals, "cannot be received or presented (04/23/2026) before it was "
                                              "posted (04/24/2026)")
            self.assertEqual((case.state, case.received_date, case.notice_deadline), ('notice_sent', False, False))
            self.assertEqual(len(case.event_ids), events, "no event recorded")
            # signed on Monday 27 April, after the weekend: + 8 days = Tuesday 5 May
            case.write({'receipt_status': 'signed', 'receipt_date': '2026-04-27'})
            case.action_record_receipt()
        self.assertEqual(str(case.notice_deadline), '2026-05-05')
        # what came back needs the posting date first
        other = self.Case.create({'partner_id': self.debtor_b.id, 'move_ids': [Command.set(
            self._invoice(self.debtor_b, '2026-03-02').ids)]})
        self._refused(other, {'receipt_date': '2026-04-10'}, "enter the posting date of the registered letter")

    @freeze_time('2026-04-24')
    def test_case_letter_is_posted_after_it_is_dated(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(invoice.ids)]})
        case.with_user(self.manager).action_validate_notice()
        # Thursday 23 April: the day before the letter was validated and dated
        self._refused(case, {'notice_date': '2026-04-23'}, "the posting of the registered letter (04/23/2026) "
                                                           "cannot come before the letter (04/24/2026)")
        self.assertEqual(case.state, 'notice_ready')

    @freeze_time('2026-04-24')
    def test_case_court_dates_follow_each_other(self):
        """Receipt, filing, order, service, first act in person: each no earlier than the
        one before."""
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(
            self._invoice(self.debtor, '2026-01-30').ids)]})
        case.write({'notice_date': '2026-03-02', 'receipt_status': 'signed', 'receipt_date': '2026-03-04'})
        steps = [
            ('filing_date', '2026-03-03', "the filing of the request (03/03/2026) cannot come before the signature "
                                          "of the acknowledgement of receipt (03/04/2026)", '2026-03-20'),
            ('order_date', '2026-03-19', "the injunction order (03/19/2026) cannot come before the filing",
             '2026-03-25'),
            ('service_date', '2026-03-24', "the service of the order (03/24/2026) cannot come before the "
                                           "injunction order", '2026-03-27'),
            ('personal_act_date', '2026-03-26', "the first act in person or seizure (03/26/2026) cannot come "
                                                "before the service", '2026-04-02'),
        ]
        for fname, early, message, valid in steps:
            with self.subTest(field=fname):
                self._refused(case, {fname: early}, "the dates are out of order", message)
                case.write({fname: valid})
        # an earlier date moved after a later one is refused too
        self._refused(case, {'order_date': '2026-03-30'}, "the service of the order (03/27/2026) cannot come "
                                                          "before the injunction order (03/30/2026)")

    def test_case_request_filed_after_the_payment_deadline(self):
        """In Moselle, a letter received on Thursday 18 December 2025 gives until Monday 29
        December (26 December is a holiday there, then the weekend): the request cannot be
        filed on the 29th, it can on the 30th."""
        metz = self.env['res.partner'].create({
            'name': 'Brasserie de Metz SARL', 'is_company': True, 'street': "1 place d'Armes", 'zip': '57000',
            'city': 'Metz', 'country_id': self.fr.id, 'email': 'compta@brasserie-metz.fr'})
        with freeze_time('2025-12-10'):
            case = self._posted_case(metz, due='2025-11-10')
        with freeze_time('2025-12-18'):
            case.write({'receipt_status': 'signed', 'receipt_date': '2025-12-18'})
            case.action_record_receipt()
        self.assertEqual(str(case.notice_deadline), '2025-12-29')
        with freeze_time('2026-01-05'):
            self._refused(case, {'filing_date': '2025-12-29'}, "the request cannot be filed on 12/29/2025",
                          "until 12/29/2025 to pay")
            case.filing_date = '2025-12-30'
        self.assertEqual(str(case.filing_date), '2025-12-30')

    @freeze_time('2026-11-20')
    def test_case_order_served_within_six_months_cpc_1411(self):
        """Signed on 15 May 2026, the order is to be served by Monday 16 November (the
        15th is a Sunday): a service on the 17th is refused when written, not only by the
        button."""
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(
            self._invoice(self.debtor, '2026-03-02').ids)]})
        case.order_date = '2026-05-15'
        self.assertEqual(str(case.serve_deadline), '2026-11-16')
        self._refused(case, {'service_date': '2026-11-17', 'service_mode': 'person'},
                      "served on 11/17/2026, after 11/16/2026: the order has lapsed (CPC 1411")
        self.assertFalse(case.opposition_deadline)
        case.write({'service_date': '2026-11-16', 'service_mode': 'person'})
        self.assertEqual(str(case.opposition_deadline), '2026-12-16')

    @freeze_time('2026-07-03')
    def test_case_enforcement_steps_are_dated_and_not_negative(self):
        case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(
            self._invoice(self.debtor, '2026-03-02').ids)]})
        for vals, message in (({'date': '2026-07-04', 'kind': 'request'}, "cannot be dated in the future"),
                              ({'date': '2026-07-03', 'kind': 'recovered', 'amount': -50.0}, "cannot be negative")):
            with self.subTest(vals=vals):
                self._refused(case, {'enforcement_ids': [Command.create(vals)]}, case.name, message)
        self.assertFalse(self.env['debt.recovery.case.enforcement'].search([('case_id', '=', case.id)]))
        case.enforcement_ids = [Command.create({'date': '2026-07-03', 'kind': 'recovered', 'amount': 250.0})]
        self.assertEqual(case.amount_recovered, 250.0)

    # -------------------------------------------------------------------------
    # Invoice: the recovery tab
    # -------------------------------------------------------------------------
    @freeze_time('2026-03-16')
    def test_invoice_promise_date_not_in_the_past(self):
        """Monday 16 March: a promise for Sunday 15 March is refused, from the invoice's
        tab as from the call outcome; one for today is accepted."""
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._refused(invoice, {'recovery_promise_date': '2026-03-15'}, invoice.name,
                      "the promised payment date (03/15/2026) is already past")
        with self.assertRaises(ValidationError):
            self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='promise',
                         promise_date='2026-03-15').action_confirm()
        self.assertEqual((invoice.recovery_state, invoice.recovery_pause_until), ('running', False))
        self.assertFalse(self._events(invoice, 'promise') | self._events(invoice, 'call'))
        invoice.recovery_promise_date = '2026-03-16'
        self.assertEqual(invoice.recovery_state, 'paused')
        self.assertEqual(str(invoice.recovery_pause_until), '2026-03-19', "today + 3 days of grace")
        self.assertEqual(invoice.recovery_promise_amount, 1000.0, "all that is due by default")

    @freeze_time('2026-03-16')
    def test_invoice_promise_amount_within_what_is_due(self):
        """1000 invoiced, 400 paid: a promise is of more than 0 and at most 600."""
        invoice = self._invoice(self.debtor, '2026-03-02', 1000.0)
        self._pay(invoice, 400.0, '2026-03-10')
        self.assertEqual(invoice.amount_residual, 600.0)
        for amount, message in ((700.0, "is more than what is due on the invoice"),
                                (-50.0, "must be more than zero")):
            with self.subTest(amount=amount):
                self._refused(invoice, {'recovery_promise_date': '2026-03-20', 'recovery_promise_amount': amount},
                              invoice.name, message)
        for amount, message in ((700.0, "more than what is due on these invoices"), (-50.0, "cannot be negative")):
            with self.subTest(wizard_amount=amount), self.assertRaises(ValidationError) as caught:
                self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='promise',
                             promise_date='2026-03-20', promise_amount=amount).action_confirm()
            self.assertIn(message, caught.exception.args[0])
        invoice.invalidate_recordset()
        self.assertEqual((invoice.recovery_state, invoice.recovery_promise_date), ('running', False))
        self.assertFalse(self._events(invoice, 'promise'))
        # a promise already recorded: its amount cannot be raised above what is due
        invoice.write({'recovery_promise_date': '2026-03-20', 'recovery_promise_amount': 250.0})
        self._refused(invoice, {'recovery_promise_amount': 600.01}, "is more than what is due")
        self.assertEqual(invoice.recovery_promise_amount, 250.0)

    @freeze_time('2026-03-16')
    def test_invoice_pause_not_in_the_past(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._refused(invoice, {'recovery_pause_until': '2026-03-15', 'recovery_pause_reason': "Accord"},
                      invoice.name, "cannot be paused until 03/15/2026, a date already past")
        self.assertEqual(invoice.recovery_state, 'running')
        with self.assertRaises(ValidationError) as caught:
            self._wizard('debt.recovery.pause', invoice, date_until='2026-03-16', reason="Accord")
        self.assertIn("A pause ends on a date to come", caught.exception.args[0])
        self.assertFalse(self._events(invoice, 'state'))
        invoice.recovery_pause_until = '2026-03-17'
        self.assertEqual(invoice.recovery_state, 'paused')

    @freeze_time('2026-05-08')
    def test_invoice_dispute_date_not_in_the_future(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        with self.assertRaises(ValidationError) as caught:
            self._wizard('debt.recovery.dispute', invoice, reason='quality', date='2026-05-09',
                         note="Rayures").action_confirm()
        self.assertIn("the dispute date (05/09/2026) cannot be in the future", caught.exception.args[0])
        invoice.invalidate_recordset()
        self.assertEqual((invoice.recovery_state, invoice.recovery_dispute_reason), ('running', False))
        self.assertFalse(self._events(invoice, 'dispute'))
        self.assertFalse(invoice.activity_ids, "no to-do for a refused dispute")
        self._refused(invoice, {'recovery_dispute_date': '2026-05-09'}, "cannot be in the future")

    @freeze_time('2026-05-08')
    def test_invoice_mediation_date_not_in_the_future(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._refused(invoice, {'recovery_mediation_date': '2026-05-11'}, invoice.name,
                      "the amicable attempt (05/11/2026) cannot be dated in the future")
        invoice.recovery_mediation_date = '2026-05-07'
        self.assertEqual(str(invoice.recovery_mediation_date), '2026-05-07')

    @freeze_time('2026-05-08')
    def test_invoice_service_date_not_in_the_future(self):
        """C. conso L218-2: the work is completed, not to be completed; a draft invoice dated
        ahead keeps its own date as default."""
        invoice = self._invoice(self.consumer, '2026-05-31', invoice_date='2026-05-01')
        self._refused(invoice, {'recovery_service_date': '2026-05-09'}, invoice.name,
                      "cannot be completed on 05/09/2026, a date to come")
        self.assertEqual(str(invoice.recovery_service_date), '2026-05-01')
        invoice.recovery_service_date = '2026-04-24'
        ahead = self._invoice(self.consumer, '2026-06-30', invoice_date='2026-06-01', post=False)
        self.assertEqual(str(ahead.recovery_service_date), '2026-06-01', "the invoice date, Odoo's to check")

    # -------------------------------------------------------------------------
    # Customer and agency
    # -------------------------------------------------------------------------
    @freeze_time('2026-03-16')
    def test_customer_pause_not_in_the_past(self):
        debtor = self.debtor.with_company(self.company)
        self._refused(debtor, {'recovery_pause_until': '2026-03-13'}, debtor.display_name,
                      "cannot be paused until 03/13/2026, a date already past")
        with self.assertRaises(ValidationError):
            self._wizard('debt.recovery.pause', partner=self.debtor, date_until='2026-03-14', reason="Vacances")
        self.assertFalse(debtor.recovery_pause_until)
        debtor.recovery_pause_until = '2026-03-16'
        self.assertEqual(str(debtor.recovery_pause_until), '2026-03-16', "today is accepted")

    @freeze_time('2026-03-16')
    def test_customer_insolvency_dates_happened_in_order(self):
        debtor = self.debtor.with_company(self.company)
        for vals, message in (
            ({'recovery_insolvency_date': '2026-03-17'}, "the opening judgment (03/17/2026) cannot be in the future"),
            ({'recovery_insolvency_date': '2026-03-13', 'recovery_bodacc_date': '2026-03-17'},
             "the BODACC publication (03/17/2026) cannot be in the future"),
            ({'recovery_insolvency_date': '2026-03-13', 'recovery_declaration_date': '2026-03-17'},
             "the claim cannot be declared in the future (03/17/2026)"),
            ({'recovery_insolvency_date': '2026-03-13', 'recovery_declaration_date': '2026-03-12'},
             "the claim cannot be declared (03/12/2026) before the opening judgment (03/13/2026)"),
            ({'recovery_declaration_date': '2026-03-12'}, "enter the date of the opening judgment first"),
        ):
            with self.subTest(vals=vals):
                self._refused(debtor, vals, debtor.display_name, message)
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.assertEqual(invoice.recovery_state, 'running', "no insolvency recorded")

    def test_agency_commission_is_a_percentage(self):
        agency = self.env['res.partner'].create({'name': 'Recouvrement Express', 'is_company': True,
                                                 'recovery_is_agency': True, 'recovery_agency_commission': 15.0})
        for rate in (-5.0, 120.0):
            with self.subTest(rate=rate):
                self._refused(agency, {'recovery_agency_commission': rate}, "between 0 % and 100 %")
        with freeze_time('2026-04-20'):
            handoff = self.env['debt.recovery.agency.handoff'].create({
                'agency_id': agency.id, 'move_ids': [Command.set(self._invoice(self.debtor, '2026-03-02').ids)],
                'commission_rate': agency.recovery_agency_commission})
            for vals, message in (({'commission_rate': 150.0}, "between 0 % and 100 %"),
                                  ({'amount_recovered': -10.0}, "cannot be negative"),
                                  ({'date': '2026-04-21'}, "cannot be handed over in the future")):
                with self.subTest(vals=vals):
                    self._refused(handoff, vals, message)
        handoff.amount_recovered = 1000.0
        self.assertEqual(handoff.amount_commission, 150.0)

    @freeze_time('2026-03-20')
    def test_customer_suspension_deadline_after_the_warning(self):
        """The warning's fields are written by the wizard; written any other way (import,
        RPC), they are checked the same way (C. civ. 1219, 1226)."""
        debtor = self.debtor.with_company(self.company).sudo()
        for vals, message in (
            ({'recovery_suspension_warning_date': '2026-03-20', 'recovery_suspension_deadline': '2026-03-20'},
             "the last deadline (03/20/2026) must come after the warning (03/20/2026)"),
            ({'recovery_suspension_warning_date': '2026-03-20', 'recovery_suspension_deadline': '2026-03-25',
              'recovery_suspension_terminate': True}, "at least 8 days"),
        ):
            with self.subTest(vals=vals):
                self._refused(debtor, vals, message)
        debtor.write({'recovery_suspension_warning_date': '2026-03-20', 'recovery_suspension_deadline': '2026-03-28',
                      'recovery_suspension_terminate': True})

    # -------------------------------------------------------------------------
    # Settings and reminder plans
    # -------------------------------------------------------------------------
    def test_legal_steps_come_after_the_due_date(self):
        for delay in (0, -3):
            with self.subTest(delay=delay):
                self._refused(self.step_notice, {'delay': delay}, "at least 1 day after the due date")
                with self.assertRaises(ValidationError):
                    self.plan.write({'step_ids': [Command.create({
                        'name': "Injonction", 'action': 'injunction', 'delay': delay})]})
        self.assertEqual(self.step_notice.delay, 45)
        self.assertFalse(self.plan.step_ids.filtered(lambda s: s.action == 'injunction'))

    def test_minimum_amount_not_negative(self):
        self._refused(self.company, {'recovery_min_amount': -1.0}, "minimum amount to remind cannot be negative")
        with self.assertRaises(ValidationError):
            self._settings(recovery_min_amount=-100.0)
        self.company.invalidate_recordset()
        self.assertEqual(self.company.recovery_min_amount, 0.0)

    def test_company_delays_within_bounds(self):
        for fname, values, message in (
            ('recovery_promise_grace_days', (-1, 31), "between 0 and 30 days"),
            ('recovery_call_retry_delay', (0, 31), "after 1 to 30 days"),
            ('recovery_call_max_retries', (-1, 11), "at most 10 times"),
        ):
            for value in values:
                with self.subTest(field=fname, value=value):
                    self._refused(self.company, {fname: value}, message)
                    with self.assertRaises(ValidationError):
                        self._settings(**{fname: value})
        self.company.invalidate_recordset()
        self.assertEqual((self.company.recovery_promise_grace_days, self.company.recovery_call_retry_delay,
                          self.company.recovery_call_max_retries), (3, 3, 2))

    @freeze_time('2026-03-16')
    def test_creditor_birth_date_in_the_past(self):
        for birth in ('2026-03-17', '1890-05-01'):
            with self.subTest(birth=birth):
                self._refused(self.company, {'recovery_creditor_birth_date': birth}, "must be a past date, after 1900")
        self._settings(recovery_creditor_birth_date='1980-02-29')
        self.assertEqual(str(self.company.recovery_creditor_birth_date), '1980-02-29')

    # -------------------------------------------------------------------------
    # Wizards that turn a typed amount into accounting
    # -------------------------------------------------------------------------
    def test_dispute_settlement_amount_within_what_is_due(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 300.0)
        invoice.recovery_dispute_reason = 'amount'
        refunds = self.env['account.move'].search_count([('move_type', '=', 'out_refund')])
        for resolution in ('credit_note', 'write_off'):
            for amount, message in ((400.0, "more than what is due on the invoice"), (-10.0, "cannot be negative")):
                with self.subTest(resolution=resolution, amount=amount), \
                        self.assertRaises(ValidationError) as caught:
                    self._wizard('debt.recovery.dispute.resolve', invoice, user=self.manager, resolution=resolution,
                                 amount=amount).action_confirm()
                self.assertIn(message, caught.exception.args[0])
        self.assertEqual(self.env['account.move'].search_count([('move_type', '=', 'out_refund')]), refunds)
        invoice.invalidate_recordset()
        self.assertEqual((invoice.recovery_dispute_reason, invoice.payment_state), ('amount', 'not_paid'))
