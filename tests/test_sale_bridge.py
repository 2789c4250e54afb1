"""The Sales bridge (bridges/l10n_fr_debt_recovery_sale): the test database has Sales,
so the bridge is auto-installed with the module."""
from odoo import Command
from odoo.exceptions import UserError

from odoo.addons.l10n_fr_debt_recovery.models.res_partner import ResPartner

from .common import DebtRecoveryCommon

NOTE = "although work is suspended for this customer"


class TestSaleBridge(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name='Société B')['company']
        salesman = cls.env.ref('sales_team.group_sale_salesman_all_leads')
        (cls.accountant | cls.manager).write({'group_ids': [Command.link(salesman.id)]})
        cls.accountant.company_ids = [Command.link(cls.company_b.id)]
        cls.debtor.with_company(cls.company).recovery_suspended = True
        cls.contact = cls.env['res.partner'].create({'name': 'Luc Martin', 'parent_id': cls.debtor.id})

    def _order(self, partner, user=None, company=None):
        company = company or self.company
        return self.env['sale.order'].with_user(user or self.accountant).with_company(company).create({
            'partner_id': partner.id, 'company_id': company.id,
            'order_line': [Command.create({'product_id': self.product_a.id, 'product_uom_qty': 1})],
        })

    def _notes(self, order):
        return order.message_ids.filtered(lambda m: NOTE in (m.body or ''))

    def test_bridge_installed_as_a_real_override(self):
        bridge = self.env['ir.module.module'].search([('name', '=', 'l10n_fr_debt_recovery_sale')])
        self.assertEqual(bridge.state, 'installed', "auto-installed with the module when Sales is there")
        order_class = type(self.env['sale.order'])
        self.assertIn('odoo.addons.l10n_fr_debt_recovery_sale.models.sale_order',
                      [cls.__module__ for cls in order_class.__mro__], "an _inherit of sale.order")
        self.assertFalse(hasattr(order_class, '_recovery_suspension_hooked'), "no monkeypatch")
        self.assertNotIn('_register_hook', vars(ResPartner))

    def test_suspended_customer_refused_to_a_recovery_user(self):
        order = self._order(self.debtor)
        self.assertTrue(order.recovery_partner_suspended, "the banner shows")
        with self.assertRaisesRegex(UserError, "Work is suspended for Boulangerie Martin SAS.*confirming %s"
                                    % order.name):
            order.action_confirm()
        self.assertEqual(order.state, 'draft')
        # a contact of the suspended company: the same customer
        by_contact = self._order(self.contact)
        self.assertTrue(by_contact.recovery_partner_suspended)
        with self.assertRaisesRegex(UserError, "suspended"):
            by_contact.action_confirm()
        # confirmed together with an order of another customer: neither is confirmed
        other = self._order(self.debtor_b)
        self.assertFalse(other.recovery_partner_suspended)
        with self.assertRaisesRegex(UserError, "suspended"):
            (other | order).action_confirm()
        self.assertEqual((other | order).mapped('state'), ['draft', 'draft'])
        self.assertFalse(self._notes(order | by_contact | other))

    def test_recovery_manager_confirms_with_a_note(self):
        order = self._order(self.debtor, user=self.manager)
        order.action_confirm()
        self.assertEqual(order.state, 'sale', "a recovery manager overrides")
        note = self._notes(order)
        self.assertEqual(len(note), 1, "the override is logged on the order")
        self.assertIn("Confirmed by Claire Manager", note.body)
        self.assertEqual(note.author_id, self.manager.partner_id)

    def test_other_customers_and_companies_unaffected(self):
        order = self._order(self.debtor_b)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
        self.assertFalse(self._notes(order))
        # suspended in the first company only (company-dependent)
        in_b = self._order(self.debtor, company=self.company_b)
        self.assertFalse(in_b.recovery_partner_suspended)
        in_b.action_confirm()
        self.assertEqual(in_b.state, 'sale')
        self.assertFalse(self._notes(in_b))
        # once the suspension is lifted, a recovery user confirms again
        self.debtor.with_user(self.manager).action_recovery_lift_suspension()
        again = self._order(self.debtor)
        self.assertFalse(again.recovery_partner_suspended)
        again.action_confirm()
        self.assertEqual(again.state, 'sale')

    def test_banner_on_the_quotation_form(self):
        arch = self.env['sale.order'].with_user(self.accountant).get_view(view_type='form')['arch']
        self.assertRegex(arch, r'<div class="alert alert-danger"[^>]*invisible="not recovery_partner_suspended"')
        self.assertIn("Work is suspended for this customer", arch)

    def test_upgrade_installs_the_bridge_on_databases_that_predate_it(self):
        """Odoo auto-installs on install only: the 19.0.1.1.0 migration marks the bridge
        "to install" when Sales is there, and the same upgrade loads it."""
        import importlib.util
        import os
        from odoo.addons import l10n_fr_debt_recovery
        path = os.path.join(os.path.dirname(l10n_fr_debt_recovery.__file__),
                            'migrations', '19.0.1.1.0', 'post-migrate.py')
        spec = importlib.util.spec_from_file_location('ldr_post_migrate', path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        bridge = self.env['ir.module.module'].search([('name', '=', 'l10n_fr_debt_recovery_sale')])
        bridge.state = 'uninstalled'   # as on a database upgraded from 19.0.1.0.0 (rolled back with the test)
        self.env.flush_all()
        migration.migrate(self.env.cr, '19.0.1.0.0')
        bridge.invalidate_recordset(['state'])
        self.assertEqual(bridge.state, 'to install')
