"""Payment plans (échéanciers) through time: agreed, reminded, paid in order,
completed, or broken by a missed instalment; bad input refused whole."""
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError

from .common import DebtRecoveryCommon


class TestPaymentPlan(DebtRecoveryCommon):

    def _plan(self, moves, instalments, **vals):
        """A draft plan of ``moves`` with ``instalments`` as ``[(date, amount)]``."""
        return self.env['debt.recovery.payment.plan'].create(dict({
            'partner_id': moves.commercial_partner_id.id,
            'move_ids': [Command.set(moves.ids)],
            'instalment_ids': [Command.create({'sequence': index, 'date': date, 'amount': amount})
                               for index, (date, amount) in enumerate(instalments)],
        }, **vals))

    def _plan_events(self, moves, note=None):
        domain = [('move_id', 'in', moves.ids), ('event_type', '=', 'payment_plan')]
        if note:
            domain.append(('note', 'ilike', note))
        return self.Event.search(domain)

    def _plan_mails(self, plan):
        return self.env['mail.mail'].search([('model', '=', plan._name), ('res_id', '=', plan.id)])

    def test_plan_reminded_missed_and_broken(self):
        first = self._invoice(self.debtor, '2026-03-02', 600)
        second = self._invoice(self.debtor, '2026-03-02', 900)
        moves = first | second
        self._run('2026-03-08')
        self.assertEqual(self._step_events(moves).step_id, self.step_courteous)
        with freeze_time('2026-03-18'):
            plan = self.env['debt.recovery.payment.plan'].create({
                'partner_id': self.debtor.id, 'move_ids': [Command.set(moves.ids)],
                'generate_count': 3, 'generate_first_date': '2026-04-10'})
            plan.action_generate_instalments()
            self.assertEqual(plan.instalment_ids.mapped('amount'), [500.0, 500.0, 500.0])
            self.assertEqual([d.isoformat() for d in plan.instalment_ids.mapped('date')],
                             ['2026-04-10', '2026-05-10', '2026-06-10'])
            plan.action_confirm()
        self.assertEqual(plan.state, 'active')
        self.assertEqual(plan.amount_total, 1500.0)
        self.assertEqual(moves.mapped('recovery_state'), ['paused', 'paused'])
        self.assertEqual(moves.recovery_payment_plan_id, plan)
        self.assertEqual(first.recovery_pause_until.isoformat(), '2026-06-13', "last instalment + 3 days of grace")
        self.assertEqual(len(self._plan_events(moves, 'agreed')), 2, "the agreement is evidence on each invoice")

        # nothing is sent while the plan runs; the instalment is reminded 5 days before
        self._run('2026-04-04')
        self.assertFalse(self._plan_mails(plan))
        self._run('2026-04-05')
        self.assertEqual(len(self._plan_mails(plan)), 1, "the first instalment is reminded")
        self.assertEqual(plan.instalment_ids[0].reminder_date.isoformat(), '2026-04-05')
        mail = self._plan_mails(plan)
        self.assertEqual(mail.recipient_ids, self.debtor)
        self.assertIn('500', mail.body_html)
        self.assertTrue(plan.message_ids.filtered(lambda m: 'reminded' in (m.body or '')), "kept in the chatter")
        self._run('2026-04-06')
        self.assertEqual(len(self._plan_mails(plan)), 1, "once")
        with freeze_time('2026-04-09'):
            self._pay(first, 500, '2026-04-09')
        self.assertEqual(plan.instalment_ids.mapped('state'), ['paid', 'pending', 'pending'])
        self._run('2026-04-20')
        self.assertEqual(plan.state, 'active')
        self._run('2026-05-05')
        self.assertEqual(len(self._plan_mails(plan)), 2, "the second instalment is reminded")
        self.assertFalse(self._step_events(moves) - self._step_events(moves, self.step_courteous),
                         "no reminder step while the plan is kept")

        # the second instalment is not paid: within the grace days nothing happens, then the plan breaks
        self._run('2026-05-13')
        self.assertEqual(plan.state, 'active', "05-10 + 3 days of grace")
        self._run('2026-05-14')
        self.assertEqual(plan.state, 'broken')
        self.assertEqual(plan.break_date.isoformat(), '2026-05-14')
        self.assertTrue(plan.instalment_ids[1].missed)
        broken = self._plan_events(moves, 'broken')
        self.assertEqual(len(broken), 2, "a broken plan is evidence on each invoice")
        self.assertEqual(sorted(moves.mapped('recovery_state')), ['running', 'running'])
        self.assertFalse(moves.recovery_payment_plan_id)
        self.assertFalse(first.recovery_pause_until)
        self.assertEqual(len(self._step_events(moves, self.step_call)), 2,
                         "the whole balance is back in the reminders: the next step ran at once")
        self.assertEqual(plan.amount_due, 1000.0)

    def test_completed_plan_payments_spread_over_instalments(self):
        invoice = self._invoice(self.debtor_b, '2026-03-02', 1000)
        with freeze_time('2026-03-10'):
            plan = self._plan(invoice, [('2026-04-01', 400), ('2026-05-01', 400), ('2026-06-01', 200)])
            plan.action_confirm()
            self._pay(invoice, 300, '2026-03-10')
        self.assertEqual(plan.instalment_ids.mapped('amount_paid'), [300.0, 0.0, 0.0])
        self.assertEqual(plan.instalment_ids.mapped('state'), ['partial', 'pending', 'pending'])
        with freeze_time('2026-03-25'):
            self._pay(invoice, 600, '2026-03-25')
        self.assertEqual(plan.instalment_ids.mapped('amount_paid'), [400.0, 400.0, 100.0],
                         "paid in advance: the payments go to the earliest instalments first")
        self.assertEqual(plan.next_instalment_id, plan.instalment_ids[2])
        # paid ahead: no instalment is missed, and the paid ones are not reminded
        self._run('2026-05-28')
        self.assertEqual(plan.state, 'active')
        self.assertEqual(len(self._plan_mails(plan)), 1, "only the instalment still due is reminded")
        with freeze_time('2026-05-30'):
            self._pay(invoice, 100, '2026-05-30')
        self.assertEqual(plan.state, 'completed', "all is paid: the plan is completed at once")
        self.assertEqual(invoice.recovery_state, 'closed')
        self.assertEqual(plan.instalment_ids.mapped('state'), ['paid', 'paid', 'paid'])

    def test_no_acceleration_clause_records_the_missed_instalment(self):
        invoice = self._invoice(self.debtor_b, '2026-03-02', 1000)
        with freeze_time('2026-03-10'):
            plan = self._plan(invoice, [('2026-04-01', 500), ('2026-05-01', 500)], acceleration_clause=False)
            plan.action_confirm()
        self._run('2026-04-05')
        self.assertEqual(plan.state, 'active', "without the clause the plan goes on")
        self.assertTrue(plan.instalment_ids[0].missed)
        self.assertEqual(len(self._plan_events(invoice, 'not paid')), 1)
        self.assertEqual(invoice.recovery_state, 'paused')
        self.assertTrue(plan.activity_ids, "the recovery user decides")
        self._run('2026-04-06')
        self.assertEqual(len(self._plan_events(invoice, 'not paid')), 1, "recorded once")

    def test_penalties_stop_from_the_plan_date_or_run(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        running = self._invoice(self.debtor_b, '2026-03-02', 1000)
        with freeze_time('2026-03-20'):
            plan = self._plan(invoice, [('2026-04-20', 500), ('2026-05-20', 500)])
            self.assertTrue(plan.penalty_stop, "the company default: an agreed plan stops the penalties")
            plan.action_confirm()
            self.company.recovery_plan_penalty_mode = 'run'
            other = self._plan(running, [('2026-04-20', 500), ('2026-05-20', 500)])
            self.assertFalse(other.penalty_stop)
            other.action_confirm()
        at_agreement = invoice._recovery_penalty('2026-03-20')['penalty']
        self.assertGreater(at_agreement, 0.0)
        self.assertEqual(invoice._recovery_penalty('2026-05-15')['penalty'], at_agreement,
                         "the penalties stopped on the day the plan was agreed")
        self.assertEqual(invoice._recovery_penalty('2026-05-15')['indemnity'], 40.0)
        self.assertGreater(running._recovery_penalty('2026-05-15')['penalty'], at_agreement,
                           "the setting lets them run")
        # broken: the stop was conditional, the penalties count from the due date again
        self._run('2026-04-24')
        self.assertEqual(plan.state, 'broken')
        self.assertGreater(invoice._recovery_penalty('2026-05-15')['penalty'], at_agreement)
        self.assertEqual(invoice._recovery_penalty('2026-05-15')['penalty'],
                         running._recovery_penalty('2026-05-15')['penalty'])

    def test_bad_input_is_refused_and_nothing_saved(self):
        Plan = self.env['debt.recovery.payment.plan']
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        other = self._invoice(self.debtor_b, '2026-03-02', 500)
        draft = self._invoice(self.debtor, '2026-03-02', 300, post=False)
        with freeze_time('2026-03-10'):
            cases = {
                "past date": [('2026-03-09', 1000)],
                "today": [('2026-03-10', 1000)],
                "not increasing": [('2026-05-01', 500), ('2026-04-01', 500)],
                "same date": [('2026-05-01', 500), ('2026-05-01', 500)],
                "zero amount": [('2026-04-01', 1000), ('2026-05-01', 0)],
                "negative amount": [('2026-04-01', 1100), ('2026-05-01', -100)],
            }
            for label, instalments in cases.items():
                with self.subTest(label), self.assertRaises(ValidationError), self.cr.savepoint():
                    self._plan(invoice, instalments)
            self.company.recovery_plan_max_instalments = 2
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self._plan(invoice, [('2026-04-01', 300), ('2026-05-01', 300), ('2026-06-01', 400)])
            with self.assertRaises(ValidationError), self.cr.savepoint():
                Plan.create({'partner_id': self.debtor.id, 'move_ids': [Command.set((invoice | other).ids)]})
            with self.assertRaises(ValidationError), self.cr.savepoint():
                Plan.create({'partner_id': self.debtor.id, 'move_ids': [Command.set((invoice | draft).ids)]})
            self.assertFalse(Plan.search([]), "nothing half-saved")

            # the instalments must add up to what is due: refused at confirmation, nothing changed
            plan = self._plan(invoice, [('2026-04-01', 500), ('2026-05-01', 400)])
            with self.assertRaises(ValidationError), self.cr.savepoint():
                plan.action_confirm()
            self.assertEqual(plan.state, 'draft')
            self.assertEqual(invoice.recovery_state, 'running')
            self.assertFalse(self._plan_events(invoice))
            plan.instalment_ids[1].amount = 500
            plan.action_confirm()
            with self.assertRaises(UserError):
                plan.action_confirm()
            # an invoice is in one active plan at a time
            second = self._plan(invoice, [('2026-04-01', 1000)])
            with self.assertRaises(ValidationError):
                second.action_confirm()

    def test_cancel_gives_the_invoices_back(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        with freeze_time('2026-03-10'):
            plan = self._plan(invoice, [('2026-04-01', 1000)])
            plan.action_confirm()
            plan.action_cancel()
        self.assertEqual(plan.state, 'cancelled')
        self.assertEqual(invoice.recovery_state, 'running')
        self.assertFalse(invoice.recovery_payment_plan_id)
        self.assertEqual(len(self._plan_events(invoice, 'cancelled')), 1)

    def test_created_from_invoices_or_customer_and_printed(self):
        first = self._invoice(self.debtor, '2026-03-02', 600)
        second = self._invoice(self.debtor, '2026-03-02', 400)
        other = self._invoice(self.debtor_b, '2026-03-02', 400)
        with freeze_time('2026-03-10'):
            action = (first | second).action_recovery_payment_plan()
            self.assertEqual(action['context']['default_partner_id'], self.debtor.id)
            with self.assertRaises(UserError):
                (first | other).action_recovery_payment_plan()
            action = self.debtor.action_recovery_payment_plan()
            plan = self.env['debt.recovery.payment.plan'].with_context(action['context']).create({
                'generate_count': 2, 'generate_first_date': '2026-04-15'})
            self.assertEqual(plan.move_ids, first | second)
            plan.action_generate_instalments()
            plan.action_confirm()
            html = self.env['ir.actions.report']._render_qweb_html(
                'l10n_fr_debt_recovery.action_report_payment_plan', plan.ids)[0].decode()
        for text in ('Échéancier de paiement', 'déchéance du terme', 'cessent de courir', 'Bon pour accord',
                     '15 avril 2026', '15 mai 2026', first.name, second.name):
            self.assertIn(text, html)

    def test_dashboard_counts_agreements(self):
        paid = self._invoice(self.debtor, '2026-03-02', 1000)
        missed = self._invoice(self.debtor_b, '2026-03-02', 1000)
        running = self._invoice(self.consumer, '2026-03-02', 200)
        with freeze_time('2026-03-10'):
            kept = self._plan(paid, [('2026-04-01', 1000)])
            kept.action_confirm()
            self._plan(missed, [('2026-04-01', 1000)]).action_confirm()
            self._plan(running, [('2026-05-01', 100), ('2026-06-01', 100)]).action_confirm()
            self.env['debt.recovery.payment.plan'].create({
                'partner_id': self.consumer.id, 'debtor_request': True})
            self._pay(paid, 1000, '2026-03-30')
            promised = self._invoice(self.debtor, '2026-03-02', 400)
            promised.write({'recovery_promise_date': '2026-03-20', 'recovery_promise_amount': 400})
        self._run('2026-04-10')
        with freeze_time('2026-04-10'):
            figures = self.env['debt.recovery.dashboard'].get_figures('2026-03-01', '2026-04-30', self.company.ids)
        self.assertEqual((figures['plans_active'], figures['plans_completed'], figures['plans_broken'],
                          figures['plan_requests']), (1, 1, 1, 1))
        self.assertEqual((figures['promises_kept'], figures['promises_broken']), (0, 1))
