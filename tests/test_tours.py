"""Browser tests (Odoo tours): the Remind wizard and the Recovery menus, as an accountant;
the dashboard page (as a French user), the debtors ranking opening the invoices, and the
invoice of a customer never reminded.

They need a running Odoo HTTP server, Chrome/Chromium and websocket-client. Odoo (and
pytest-odoo without ``--odoo-http``) *skips* browser tests when one of them is missing;
here a missing one is an error: ``TestBrowserAvailable`` fails in any case, and the tours
turn Odoo's SkipTest (no browser, browser that does not start) into a failure.
Run with pytest-odoo's ``--odoo-http``.

The tour steps are in static/tests/tours/debt_recovery_tours.js. No frozen time: the
browser uses the real date, so the invoice is due 10 days before today (courteous step due).
"""
import unittest
from datetime import timedelta

import odoo
from odoo import Command, fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import _find_executable

from .common import DebtRecoveryCommon


def _browser_problems():
    """What prevents the tours from running here, in words (empty when nothing)."""
    problems = []
    try:
        import websocket  # noqa: F401, PLC0415
    except ImportError:
        problems.append("the Python package websocket-client is not installed in Odoo's environment")
    try:
        _find_executable()
    except unittest.SkipTest:
        problems.append("no Chrome/Chromium executable found (Odoo looks for google-chrome, chromium, "
                        "chromium-browser or google-chrome-stable in PATH, or ODOO_BROWSER_BIN)")
    if odoo.service.server.server is None:
        problems.append("no Odoo HTTP server is running (with pytest-odoo, pass --odoo-http)")
    return problems


@tagged('post_install', '-at_install')
class TestBrowserAvailable(TransactionCase):
    """Fails, rather than letting the tours below be skipped, when they cannot run."""

    def test_browser_tours_can_run(self):
        problems = _browser_problems()
        self.assertFalse(problems, "The browser tours of l10n_fr_debt_recovery cannot run: " + "; ".join(problems))


class DebtRecoveryTourCase(DebtRecoveryCommon, HttpCase):
    """Tours that fail, never skip, without a browser."""

    @classmethod
    def setUpClass(cls):
        problems = _browser_problems()
        if problems:
            raise AssertionError("The browser tours of l10n_fr_debt_recovery cannot run: " + "; ".join(problems))
        super().setUpClass()
        cls.accountant.lang = 'en_US'

    def browser_js(self, *args, **kwargs):
        # Odoo skips the test when Chrome is missing or does not start: make it an error.
        try:
            return super().browser_js(*args, **kwargs)
        except unittest.SkipTest as error:
            raise AssertionError(f"The browser did not run: {error}") from error


@tagged('post_install', '-at_install')
class TestDebtRecoveryTours(DebtRecoveryTourCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.accountant)
        cls.invoice = cls._invoice(cls.debtor, today - timedelta(days=10), amount=1234.0)
        # another customer, 3 days late: not in the wizard opened from the first invoice, not reminded
        cls.invoice_other = cls._invoice(cls.debtor_b, today - timedelta(days=3), amount=50.0)

    def test_remind_from_the_invoice(self):
        self.assertEqual(self.invoice.recovery_days_late, 10)
        self.start_tour(f"/odoo/action-account.action_move_out_invoice_type/{self.invoice.id}",
                        'l10n_fr_debt_recovery_remind', login=self.accountant.login, timeout=90)
        self.env.invalidate_all()
        mails = self._mails(self.debtor)
        self.assertEqual(len(mails), 1, "one e-mail to the debtor")
        self.assertIn(self.invoice.name, mails.body_html)
        event = self._step_events(self.invoice, self.step_courteous)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.origin, 'manual')
        self.assertEqual(event.user_id, self.accountant)
        self.assertEqual(event.channel, 'email')
        self.assertEqual(self.invoice.recovery_step_id, self.step_courteous)
        self.assertFalse(self._step_events(self.invoice_other, state='done'))

    def test_recovery_menus(self):
        # the scheduled action has sent the courteous reminder: the history shows it
        self.env['account.move']._cron_debt_recovery()
        self.assertTrue(self._step_events(self.invoice, self.step_courteous))
        self.start_tour("/odoo", 'l10n_fr_debt_recovery_menus', login=self.accountant.login, timeout=90)


@tagged('post_install', '-at_install')
class TestDebtRecoveryScreenTours(DebtRecoveryTourCase):
    """The dashboard page, the debtors ranking and a customer never reminded, on screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.accountant)
        # 10 days late, the courteous reminder (due + 5) not sent: its date has passed, "Due now"
        cls.invoice = cls._invoice(cls.debtor, today - timedelta(days=10), amount=1234.0)
        # a case in progress (draft) for the other customer
        cls.invoice_b = cls._invoice(cls.debtor_b, today - timedelta(days=50), amount=2000.0)
        cls.case = cls.env['debt.recovery.case'].create({
            'partner_id': cls.debtor_b.id, 'move_ids': [Command.set(cls.invoice_b.ids)]})
        # a customer never reminded, 40 days late: its next date (due + 5) is long past
        cls.blocked = cls.env['res.partner'].create({
            'name': 'Transports Girard SA', 'is_company': True, 'email': 'compta@transports-girard.fr'})
        cls.blocked.with_company(cls.company).recovery_blocked = True
        cls.invoice_blocked = cls._invoice(cls.blocked, today - timedelta(days=40), amount=900.0)
        # a recovery user who works in French, with the module's French terms
        cls.env['res.lang']._activate_lang('fr_FR')
        cls.env['ir.module.module']._load_module_terms(['l10n_fr_debt_recovery'], ['fr_FR'], overwrite=True)
        cls.accountant_fr = mail_new_test_user(
            cls.env, login='recovery_comptable_fr', name='Lucie Comptable', email='lucie@atelier-durand.fr',
            lang='fr_FR', company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
            groups='base.group_user,account.group_account_invoice,l10n_fr_debt_recovery.group_recovery_user')

    def test_dashboard_is_a_page(self):
        self.assertEqual(self.case.state, 'draft')
        self.start_tour("/odoo", 'l10n_fr_debt_recovery_dashboard', login=self.accountant_fr.login, timeout=90)

    def test_debtors_ranking_opens_the_invoices(self):
        self.assertTrue(self.invoice.recovery_next_date < fields.Date.context_today(self.accountant))
        self.start_tour("/odoo", 'l10n_fr_debt_recovery_debtors', login=self.accountant.login, timeout=90)

    def test_customer_never_reminded_shows_it(self):
        self.assertTrue(self.invoice_blocked.recovery_next_date < fields.Date.context_today(self.accountant),
                        "the stored next date is in the past: the screens must not show it")
        self.start_tour(f"/odoo/action-account.action_move_out_invoice_type/{self.invoice_blocked.id}",
                        'l10n_fr_debt_recovery_blocked', login=self.accountant.login, timeout=90)
