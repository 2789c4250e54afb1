"""Upgrading the module on a database that has lived: a real ``odoo -u`` in another
process, on a committed copy of the test database where the engine has run."""
import subprocess
import sys
import tempfile

from odoo.tests import BaseCase, tagged

from . import process_helpers as ph

SNAPSHOT = {
    'events': """SELECT id, event_type, move_id, step_id, state, channel, origin, case_id, mail_id,
                        activity_id, amount_residual FROM debt_recovery_event ORDER BY id""",
    'cases': """SELECT c.id, c.name, c.state, c.partner_id, c.user_id,
                       ARRAY(SELECT move_id FROM debt_recovery_case_move_rel r
                              WHERE r.case_id = c.id ORDER BY move_id)
                  FROM debt_recovery_case c ORDER BY c.id""",
    'invoices': """SELECT id, recovery_state, recovery_step_id, recovery_plan_id, recovery_due_date,
                          recovery_next_step_id, recovery_next_date
                     FROM account_move WHERE move_type = 'out_invoice' ORDER BY id""",
    'steps': "SELECT id, delay, action, automatic, mail_template_id FROM debt_recovery_step ORDER BY id",
    'template': """SELECT t.body_html->>'en_US' FROM mail_template t JOIN ir_model_data d
                     ON d.res_id = t.id AND d.model = 'mail.template'
                    WHERE d.module = 'l10n_fr_debt_recovery' AND d.name = 'mail_template_recovery_courteous'""",
    'rates': "SELECT id, rate_type, date_from, rate FROM debt_recovery_rate ORDER BY id",
}


@tagged('post_install', '-at_install', 'ldr_processes')
class TestUpgradeKeepsHistory(BaseCase):

    def snapshot(self, db):
        return {name: ph.fetch(db, query) for name, query in SNAPSHOT.items()}

    def test_upgrade_keeps_events_cases_and_customisations(self):
        db = ph.clone_test_db('ldr_upgrade')
        self.addCleanup(ph.drop_db, db)
        # 50 days late: the engine catches up to the formal notice and opens the cases
        seed = ph.run(db, 'seed_debtors', debtors=6, batch_size=5, days_late=50)
        self.assertTrue(ph.run(db, 'cron', mode='job')['acquired'])
        # what the accountant changed: a step's delay, the wording of a reminder
        with ph.sql(db) as cr:
            cr.execute("UPDATE debt_recovery_step SET delay = delay + 2 WHERE id = %s", [seed['step_id']])
            cr.execute("""
                UPDATE mail_template t SET body_html = jsonb_build_object('en_US', '<p>Our own words</p>')
                  FROM ir_model_data d
                 WHERE d.res_id = t.id AND d.model = 'mail.template' AND d.module = 'l10n_fr_debt_recovery'
                   AND d.name = 'mail_template_recovery_courteous'""")
        before = self.snapshot(db)
        self.assertEqual(len(before['events']), 6, "one formal-notice event per invoice")
        self.assertEqual(len(before['cases']), 6, "one case per debtor")
        self.assertEqual(before['template'], [('<p>Our own words</p>',)])

        with tempfile.TemporaryFile(mode='w+') as log:
            rc = subprocess.call(
                [sys.executable, '-m', 'odoo', 'server', *ph.odoo_cli_args(), '-d', db, '-u', ph.MODULE,
                 '--stop-after-init', '--log-level=warn', '--http-interface=127.0.0.1', '--max-cron-threads=0'],
                stdout=log, stderr=subprocess.STDOUT, timeout=300)
            log.seek(0)
            output = log.read()
        self.assertEqual(rc, 0, output[-4000:])
        self.assertNotRegex(output, r" (ERROR|CRITICAL) ", output[-4000:])
        after = self.snapshot(db)
        for name in SNAPSHOT:
            self.assertEqual(after[name], before[name], "the upgrade changed the %s" % name)
