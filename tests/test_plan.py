"""Reminder plans and their steps: steps to validate, a customer's own plan, the
reminder before the due date."""
from freezegun import freeze_time

from odoo import Command

from .common import DebtRecoveryCommon


class TestRecoveryPlan(DebtRecoveryCommon):

    def _relancer(self, invoices):
        action = invoices.with_user(self.accountant).action_recovery_remind()
        return self.env['debt.recovery.remind'].with_user(self.accountant).browse(action['res_id'])

    def test_step_to_validate_stops_the_daily_climb_relancer_runs_it(self):
        """A step *to validate* (``automatic = False``) is never run by the scheduled
        action: an invoice found late stops below it (no catch-up over it); Relancer
        proposes and runs it, then the daily run goes on."""
        self.step_call.automatic = False
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.assertEqual(invoice.recovery_next_step_id, self.step_courteous)

        self._run('2026-04-01')  # 30 days late: the firm reminder would be the catch-up
        self.assertEqual(self._step_events(invoice).step_id, self.step_courteous,
                         "the climb stops below the step to validate")
        self.assertEqual(invoice.recovery_next_step_id, self.step_call)
        for day in ('2026-04-02', '2026-04-10'):
            self._run(day)
        self.assertEqual(len(self._step_events(invoice)), 1, "the daily run waits for someone to validate")
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertFalse(self._activities(self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call'))

        with freeze_time('2026-04-10'):
            wizard = self._relancer(invoice)
            self.assertEqual(wizard.line_ids.step_id, self.step_call, "Relancer proposes the step to validate")
            wizard.action_send()
        call = self._activities(self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call')
        self.assertEqual(len(call), 1)
        event = self._step_events(invoice, self.step_call)
        self.assertEqual((event.origin, event.user_id), ('manual', self.accountant))
        self.assertEqual(invoice.recovery_step_id, self.step_call)

        self._run('2026-04-11')
        self.assertEqual(len(self._step_events(invoice, self.step_firm)), 1, "then the plan goes on by itself")

    def test_customer_plan_followed_instead_of_company_plan(self):
        """A customer with a plan of its own (company-dependent) follows it; the
        others, and the same customer in another company, follow the company's."""
        own_plan = self.env['debt.recovery.plan'].create({
            'name': "Clients sensibles", 'company_id': self.company.id,
            'step_ids': [Command.create({'name': "Early reminder", 'delay': 2, 'action': 'email',
                                         'mail_template_id': self.step_courteous.mail_template_id.id}),
                         Command.create({'name': "Early call", 'delay': 8, 'action': 'call', 'sequence': 20,
                                         'activity_type_id': self.step_call.activity_type_id.id})],
        })
        early_reminder, early_call = own_plan.step_ids.sorted('delay')
        own = self._invoice(self.debtor, '2026-03-02')
        other = self._invoice(self.debtor_b, '2026-03-02')
        self.assertEqual(own.recovery_plan_id, self.plan)

        self.debtor.with_company(self.company).recovery_plan_id = own_plan
        self.assertEqual(own.recovery_plan_id, own_plan, "the customer's plan replaces the company's")
        self.assertEqual((own.recovery_next_step_id, own.recovery_next_date), (early_reminder, self.d('2026-03-04')))
        self.assertEqual(other.recovery_plan_id, self.plan)
        company_b = self.setup_other_company(name='Société B')['company']
        company_b.write({'email': 'b@societe-b.fr', 'recovery_plan_id': self.plan.id})
        self.assertFalse(self.debtor.with_company(company_b).recovery_plan_id, "a plan per company")
        own_in_b = self._invoice(self.debtor, '2026-03-02', company=company_b)
        self.assertEqual(own_in_b.recovery_plan_id, self.plan)

        self._run('2026-03-04')
        self.assertEqual(self._step_events(own).step_id, early_reminder)
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertFalse(self._step_events(other | own_in_b))
        self._run('2026-03-07')
        self.assertEqual(self._step_events(other).step_id, self.step_courteous)
        self.assertEqual(self._step_events(own_in_b).step_id, self.step_courteous)
        self.assertEqual(self._step_events(own).step_id, early_reminder, "the company's courteous step is not run")
        self._run('2026-03-10')
        self.assertEqual(self._step_events(own).step_id, early_reminder | early_call)
        self._run('2026-04-20')
        self.assertEqual(self._step_events(own).step_id, early_reminder | early_call,
                         "the customer's plan is over: none of the company's steps")
        self.assertFalse(own.recovery_next_step_id)

    def test_reminder_before_due_date_goes_once_before_it(self):
        """The default plan's inactive step at due date − 3, once activated: a courteous
        e-mail three days before the due date, sent once; then the plan as usual."""
        pre_due = self.env.ref('l10n_fr_debt_recovery.debt_recovery_step_pre_due')
        self.assertFalse(pre_due.active)
        self.assertEqual(pre_due.delay, -3)
        invoice = self._invoice(self.debtor, '2026-03-10')
        self.assertEqual(invoice.recovery_next_step_id, self.step_courteous)
        pre_due.active = True
        self.assertEqual((invoice.recovery_next_step_id, invoice.recovery_next_date), (pre_due, self.d('2026-03-07')))

        self._run('2026-03-06')
        self.assertFalse(self._mails(self.debtor))
        self._run('2026-03-07')
        mail = self._mails(self.debtor)
        self.assertEqual(len(mail), 1, "the e-mail goes three days before the due date")
        self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(self._step_events(invoice).step_id, pre_due)
        self.assertEqual(self._step_events(invoice).mail_id, mail)
        for day in ('2026-03-08', '2026-03-10', '2026-03-14'):
            self._run(day)
        self.assertEqual(len(self._mails(self.debtor)), 1, "not twice")
        self.assertEqual(len(self._step_events(invoice, pre_due)), 1)
        self._run('2026-03-15')
        self.assertEqual(len(self._mails(self.debtor)), 2)
        self.assertEqual(self._step_events(invoice).step_id, pre_due | self.step_courteous,
                         "then the courteous reminder at due date + 5")

    def test_reminder_before_due_date_not_sent_to_invoice_paid_early(self):
        pre_due = self.env.ref('l10n_fr_debt_recovery.debt_recovery_step_pre_due')
        pre_due.active = True
        paid = self._invoice(self.debtor, '2026-03-10')
        self._pay(paid, 1000, '2026-03-05')
        self._run('2026-03-07')
        self.assertFalse(self._mails(self.debtor))
        self.assertFalse(self._step_events(paid))
