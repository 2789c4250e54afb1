"""The debtor's page in Chromium (an Odoo tour, no account): contest with a document,
promise, ask for a payment plan, pay with the demo provider. Needs ``--odoo-http`` and
a browser, like tests/test_tours.py (a missing one is an error, not a skip)."""
import unittest
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import DebtRecoveryCommon
from .test_tours import _browser_problems


@tagged('post_install', '-at_install')
class TestDebtorPortalTour(DebtRecoveryCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        problems = _browser_problems()
        if problems:
            raise AssertionError("The debtor's page tour cannot run: " + "; ".join(problems))
        super().setUpClass()
        today = fields.Date.context_today(cls.accountant)
        cls.invoice = cls._invoice(cls.debtor, today - timedelta(days=20), amount=1000.0)
        cls.invoice_2 = cls._invoice(cls.debtor, today - timedelta(days=5), amount=300.0)
        Provider = cls.env['payment.provider'].sudo()
        provider = Provider.search([('code', '=', 'demo'), ('company_id', '=', cls.company.id)], limit=1) \
            or cls.env.ref('payment.payment_provider_demo').sudo().copy({'company_id': cls.company.id})
        provider.write({'state': 'test', 'is_published': True})

    def browser_js(self, *args, **kwargs):
        try:
            return super().browser_js(*args, **kwargs)
        except unittest.SkipTest as error:
            raise AssertionError(f"The browser did not run: {error}") from error

    def test_debtor_contests_promises_asks_and_pays(self):
        url = self.debtor.with_company(self.company).recovery_portal_url.replace(self.debtor.get_base_url(), '')
        self.start_tour(url, 'l10n_fr_debt_recovery_debtor', timeout=180)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.recovery_state, 'disputed')
        self.assertEqual(self.invoice.recovery_dispute_reason, 'amount')
        self.assertIn('devis.pdf', self.invoice.message_ids.attachment_ids.mapped('name'))
        promise = self.Event.search([('move_id', '=', self.invoice_2.id), ('event_type', '=', 'promise')])
        self.assertTrue(promise)
        self.assertEqual(set(promise.mapped('origin')), {'debtor'})
        plan = self.env['debt.recovery.payment.plan'].search([('partner_id', '=', self.debtor.id)])
        self.assertTrue(plan.debtor_request)
        self.assertIn(self.invoice_2.payment_state, ('paid', 'in_payment'), "paid online with the demo provider")
        self.assertEqual(self.invoice_2.recovery_state, 'closed')
        self.assertEqual(self.invoice.amount_residual, 1000.0, "the contested invoice is not in the payment")
