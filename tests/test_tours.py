"""Browser tests (Odoo tours): the Remind wizard and the Recovery menus, as an accountant.

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
from odoo import fields
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


@tagged('post_install', '-at_install')
class TestDebtRecoveryTours(DebtRecoveryCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        problems = _browser_problems()
        if problems:
            raise AssertionError("The browser tours of l10n_fr_debt_recovery cannot run: " + "; ".join(problems))
        super().setUpClass()
        cls.accountant.lang = 'en_US'
        today = fields.Date.context_today(cls.accountant)
        cls.invoice = cls._invoice(cls.debtor, today - timedelta(days=10), amount=1234.0)
        # another customer, 3 days late: not in the wizard opened from the first invoice, not reminded
        cls.invoice_other = cls._invoice(cls.debtor_b, today - timedelta(days=3), amount=50.0)

    def browser_js(self, *args, **kwargs):
        # Odoo skips the test when Chrome is missing or does not start: make it an error.
        try:
            return super().browser_js(*args, **kwargs)
        except unittest.SkipTest as error:
            raise AssertionError(f"The browser did not run: {error}") from error

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
