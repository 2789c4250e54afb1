"""The module without Sales: installed by a real ``odoo -i`` in another process on a
copy of the template database that has accounting and the French chart but no
``sale`` (``ACCOUNT_TEMPLATE_DB``, built by scripts/common.sh), with the same addons
path as the suite (the Sales bridge is on it). The test database itself has Sales."""
import os

from odoo.tests import BaseCase, tagged

from . import process_helpers as ph


@tagged('post_install', '-at_install', 'ldr_processes')
class TestWithoutSale(BaseCase):

    def module_states(self, db, names):
        return dict(ph.fetch(db, "SELECT name, state FROM ir_module_module WHERE name IN %s", [tuple(names)]))

    def test_install_and_engine_without_sale(self):
        names = ('sale', ph.MODULE, ph.SALE_BRIDGE)
        db = 'ldr_nosale_%s' % os.getpid()
        ph.drop_db(db)
        self.addCleanup(ph.drop_db, db)
        output = ph.install_module(db, ph.ACCOUNT_TEMPLATE_DB)
        self.assertNotRegex(output, r" (ERROR|CRITICAL) ", output[-4000:])
        states = self.module_states(db, names)
        self.assertEqual(states[ph.MODULE], 'installed')
        self.assertNotEqual(states.get('sale', 'uninstalled'), 'installed', "the template has no Sales")
        # on the addons path (so Odoo listed it), but Sales is missing: not auto-installed
        self.assertEqual(states.get(ph.SALE_BRIDGE), 'uninstalled')
        self.assertFalse(ph.fetch(db, "SELECT 1 FROM pg_tables WHERE tablename = 'sale_order'"))

        # the scheduled action on an invoice 7 days late: the courteous reminder
        seed = ph.run(db, 'seed_debtors', debtors=1, days_late=7)
        self.assertTrue(ph.run(db, 'cron', mode='job')['acquired'])
        events = ph.fetch(db, "SELECT move_id, event_type, step_id FROM debt_recovery_event")
        self.assertEqual(events, [(seed['move_ids'][0], 'step', seed['step_id'])])
        self.assertEqual(ph.fetch(db, "SELECT recovery_step_id FROM account_move WHERE id = %s",
                                  [seed['move_ids'][0]]), [(seed['step_id'],)])
        self.assertEqual(self.module_states(db, names), states, "still no Sales and no bridge")
