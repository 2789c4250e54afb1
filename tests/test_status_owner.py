"""The one owner of the recovery status: every status change leaves its event,
tracked fields are tracked, no status is a dead end, to-dos that no longer apply
are cancelled, and the scheduled action is the engine's."""
from freezegun import freeze_time

from .common import DebtRecoveryCommon


class TestStatusOwner(DebtRecoveryCommon):

    def _tracked(self, move, fname):
        return self.env['mail.tracking.value'].sudo().search([
            ('mail_message_id.model', '=', 'account.move'), ('mail_message_id.res_id', '=', move.id),
            ('field_id.name', '=', fname)])

    def test_promise_and_dispute_are_tracked_on_the_invoice(self):
        promised = self._invoice(self.debtor, '2026-03-02', 1000)
        disputed = self._invoice(self.debtor_b, '2026-03-02', 500)
        # as if created in an earlier transaction: Odoo tracks no change in the one that creates a record
        self.env.flush_all()
        self.env.cr.precommit.run()
        # the test classes disable tracking by default (DISABLED_MAIL_CONTEXT): turn it on as in production
        tracked = {'tracking_disable': False, 'mail_notrack': False}
        with freeze_time('2026-03-18'):
            self.env['debt.recovery.call.outcome'].with_user(self.accountant).with_context(
                active_model='res.partner', active_id=self.debtor.id, **tracked,
            ).create({'outcome': 'promise', 'promise_date': '2026-03-25'}).action_confirm()
            self.env['debt.recovery.dispute'].with_user(self.accountant).with_context(
                active_model='account.move', active_ids=disputed.ids, **tracked,
            ).create({'reason': 'quality'}).action_confirm()
            self.env.flush_all()
            # tracking values are written when the transaction is about to commit
            self.env.cr.precommit.run()
        self.assertEqual(promised.recovery_state, 'paused')
        self.assertEqual(self._tracked(promised, 'recovery_promise_date').new_value_datetime.date().isoformat(),
                         '2026-03-25')
        self.assertEqual(self._tracked(promised, 'recovery_pause_until').new_value_datetime.date().isoformat(),
                         '2026-03-28')
        self.assertEqual(disputed.recovery_state, 'disputed')
        self.assertEqual(self._tracked(disputed, 'recovery_dispute_reason').new_value_char,
                         "Quality of the goods or services")

    def test_recovery_fields_do_not_flag_the_invoice_as_manually_modified(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        before = invoice.is_manually_modified
        self._run('2026-03-07')
        with freeze_time('2026-03-08'):
            invoice.write({'recovery_pause_until': '2026-03-20', 'recovery_pause_reason': 'Vacances'})
        self.assertEqual(invoice.recovery_step_id, self.step_courteous)
        self.assertEqual(invoice.recovery_state, 'paused')
        self.assertEqual(invoice.is_manually_modified, before)

    def test_agency_returns_the_claims_it_did_not_recover(self):
        agency = self.env['res.partner'].create({'name': 'Recouvrement Express', 'is_company': True,
                                                 'recovery_is_agency': True, 'recovery_agency_commission': 10.0})
        unpaid = self._invoice(self.debtor, '2026-03-02', 1000)
        recovered = self._invoice(self.debtor, '2026-03-02', 300)
        self._run('2026-03-07')
        with freeze_time('2026-03-10'):
            action = self.env['debt.recovery.agency.wizard'].with_user(self.manager).with_context(
                active_model='account.move', active_ids=(unpaid | recovered).ids,
            ).create({'agency_id': agency.id}).action_confirm()
        handoff = self.env['debt.recovery.agency.handoff'].browse(action['res_id'])
        self.assertEqual(set((unpaid | recovered).mapped('recovery_state')), {'agency'})
        self._run('2026-03-20')
        self.assertFalse(self._step_events(unpaid, self.step_call), "the agency recovers, not us")
        self._pay(recovered, 300, '2026-03-25')
        self.assertEqual(recovered.recovery_state, 'closed', "paid through the agency: closed")
        with freeze_time('2026-04-01'):
            handoff.write({'amount_recovered': 300.0})
            handoff.action_record_return()
        self.assertEqual(unpaid.recovery_state, 'running', "given back: our reminders resume")
        self.assertEqual(recovered.recovery_state, 'closed')
        returned = self.Event.search([('move_id', '=', unpaid.id), ('event_type', '=', 'agency')])
        self.assertEqual(len(returned), 2, "handed over, then returned")
        self.assertIn("Returned by the collection agency", returned.sorted('id')[-1].note)
        self._run('2026-04-02')
        self.assertTrue(self._step_events(unpaid, self.step_firm), "the plan goes on")

    def test_c_com_l622_21_insolvency_stops_claims_born_before_the_judgment(self):
        before = self._invoice(self.debtor, '2026-03-02', 1000, invoice_date='2026-02-01')
        after = self._invoice(self.debtor, '2026-04-30', 700, invoice_date='2026-04-01')
        self._run('2026-04-16')
        case = self.env['debt.recovery.case'].search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(before.recovery_state, 'case')
        with freeze_time('2026-04-20'):
            self.debtor.with_company(self.company).recovery_insolvency_date = '2026-03-15'
        self.assertEqual(before.recovery_state, 'insolvency')
        self.assertEqual(after.recovery_state, 'running', "a claim born after the judgment is paid as usual")
        self.assertEqual((case.state, case.close_reason), ('closed', 'insolvency'))
        self._run('2026-05-20')
        self.assertFalse(self._step_events(before).filtered(lambda e: e.date.date().isoformat() >= '2026-04-20'),
                         "nothing is claimed from a debtor in insolvency proceedings")
        self.assertTrue(self._step_events(after), "the later invoice is reminded")
        with freeze_time('2026-06-01'):
            self.debtor.with_company(self.company).recovery_insolvency_date = False
        self.assertEqual(before.recovery_state, 'running', "the status has an exit")

    def test_payment_cancels_the_call_todo_and_its_event_says_so(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        self._run('2026-03-07')
        self._run('2026-03-17')
        call_event = self._step_events(invoice, self.step_call)
        self.assertTrue(call_event.activity_id)
        self._pay(invoice, 1000, '2026-03-18')
        self.assertEqual(invoice.recovery_state, 'closed')
        self.assertFalse(call_event.activity_id, "the to-do is gone")
        self.assertEqual(call_event.state, 'cancelled')
        self.assertEqual(self._step_events(invoice, self.step_courteous).state, 'done', "what was sent stays done")

    def test_the_scheduled_action_runs_the_engine(self):
        cron = self.env.ref('l10n_fr_debt_recovery.ir_cron_debt_recovery')
        self.assertEqual(cron.model_id.model, 'debt.recovery.engine')
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        with freeze_time('2026-03-07'):
            cron.ir_actions_server_id.run()
        self.assertEqual(invoice.recovery_step_id, self.step_courteous)
        self.assertEqual(len(self._mails(self.debtor)), 1)
