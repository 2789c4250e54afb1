from odoo import Command
from odoo.exceptions import AccessError

from .common import DebtRecoveryCommon


class TestRecoverySecurity(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name='Société B')['company']
        cls.company_b.write({'email': 'b@societe-b.fr', 'recovery_plan_id': cls.plan.id})
        cls.user_b = cls.env['res.users'].create({
            'name': 'Comptable B', 'login': 'comptable_b', 'email': 'cb@societe-b.fr',
            'company_id': cls.company_b.id, 'company_ids': [Command.set(cls.company_b.ids)],
            'group_ids': [Command.set([cls.env.ref('l10n_fr_debt_recovery.group_recovery_user').id])],
        })

    def test_company_b_sees_nothing_of_company_a(self):
        invoice_a = self._invoice(self.debtor, '2026-03-02')
        invoice_b = self._invoice(self.debtor, '2026-03-02', company=self.company_b)
        self._run('2026-03-07')
        events_a = self._step_events(invoice_a)
        self.assertTrue(events_a and self._step_events(invoice_b))
        Event_b = self.env['debt.recovery.event'].with_user(self.user_b)
        visible = Event_b.search([])
        self.assertFalse(visible & events_a, "company B's user sees none of company A's events")
        self.assertTrue(visible, "but sees its own")
        with self.assertRaises(AccessError):
            events_a.with_user(self.user_b).read(['partner_id'])
        # forged ids in the Relancer wizard
        with self.assertRaises(AccessError):
            invoice_a.with_user(self.user_b).action_recovery_remind()
        with self.assertRaises(AccessError):
            wizard = self.env['debt.recovery.remind'].with_user(self.user_b).create(
                {'move_ids': [Command.set(invoice_a.ids)]})
            wizard.action_send()

    def test_user_without_group_sees_no_recovery_model(self):
        plain = self.env['res.users'].create({
            'name': 'Commercial', 'login': 'commercial', 'email': 'c@atelier-durand.fr',
            'company_id': self.company.id, 'company_ids': [Command.set(self.company.ids)],
            'group_ids': [Command.set([self.env.ref('base.group_user').id])],
        })
        for model in ('debt.recovery.event', 'debt.recovery.plan', 'debt.recovery.step'):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(plain).search([])

    def test_recovery_user_cannot_edit_plans_or_events(self):
        with self.assertRaises(AccessError):
            self.plan.with_user(self.accountant).write({'name': 'Mine'})
        with self.assertRaises(AccessError):
            self.step_courteous.with_user(self.accountant).write({'delay': 1})
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._run('2026-03-07')
        event = self._step_events(invoice)
        with self.assertRaises(AccessError):
            event.with_user(self.accountant).write({'state': 'cancelled'})
        with self.assertRaises(AccessError):
            event.with_user(self.manager).unlink()
