"""Access control through the real RPC layer of a running Odoo server.

A scratch copy of the test database gets two companies, an overdue invoice and
its reminder event in each, and users of every kind (seeded in a child process,
committed); an ``odoo server`` is started on it, and the tests call it as
clients do: ``/jsonrpc`` ``execute_kw`` (external API) and
``/web/session/authenticate`` + ``/web/dataset/call_kw`` (the web client).
"""
from odoo.tests import BaseCase, tagged

from . import process_helpers as ph

ACCESS_ERROR = 'odoo.exceptions.AccessError'
RECOVERY_MODELS = ('debt.recovery.event', 'debt.recovery.plan', 'debt.recovery.step')


@tagged('post_install', '-at_install', 'ldr_processes')
class TestRpcAccess(BaseCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = ph.clone_test_db('ldr_rpc')
        cls.addClassCleanup(ph.drop_db, cls.db)
        cls.data = ph.run(cls.db, 'seed_companies', timeout=180)
        cls.server = ph.OdooServer(cls.db)
        cls.addClassCleanup(cls.server.stop)
        cls.server.wait_ready()

    def rpc(self, who):
        return ph.JsonRpc(self.server.url, self.db, self.data['users'][who], self.data['password'])

    def web(self, who):
        return ph.WebClient(self.server.url, self.db, self.data['users'][who], self.data['password'])

    def assertRpcDenied(self, call, *args, error=ACCESS_ERROR, **kwargs):
        with self.assertRaises(ph.RpcError, msg="%s%s was allowed" % (args[:2], kwargs or '')) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.name, error, caught.exception)
        return caught.exception

    def footprint(self):
        """What a reminder leaves in the database, to prove nothing happened."""
        return ph.fetch(self.db, """
            SELECT (SELECT COUNT(*) FROM debt_recovery_event), (SELECT COUNT(*) FROM mail_mail),
                   (SELECT COUNT(*) FROM mail_activity),
                   (SELECT ARRAY_AGG(COALESCE(recovery_step_id, 0) ORDER BY id) FROM account_move
                     WHERE move_type = 'out_invoice')""")[0]

    def test_portal_and_internal_users_see_nothing_of_recovery(self):
        before = self.footprint()
        d = self.data
        for who in ('portal', 'internal', 'invoicing'):
            client = self.rpc(who)
            for model in RECOVERY_MODELS:
                self.assertRpcDenied(client, model, 'search_read', [], ['id'])
            self.assertRpcDenied(client, 'debt.recovery.event', 'read', d['events_a'], ['partner_id', 'note'])
            self.assertRpcDenied(client, 'debt.recovery.event', 'create', {
                'move_id': d['invoice_a'], 'partner_id': d['debtor'], 'channel': 'email'})
            self.assertRpcDenied(client, 'debt.recovery.rate', 'write', [d['rate']], {'rate': 42.0})
            self.assertRpcDenied(client, 'debt.recovery.remind', 'create', {'move_ids': [[6, 0, [d['invoice_a_new']]]]})
            if who != 'portal':
                self.assertRpcDenied(client, 'account.move', 'action_recovery_remind', [d['invoice_a_new']])
        # the legal rates are readable by invoicing users (for the penalties), by nobody else
        self.assertTrue(self.rpc('invoicing')('debt.recovery.rate', 'search_read', [], ['rate'], limit=1))
        for who in ('portal', 'internal'):
            self.assertRpcDenied(self.rpc(who), 'debt.recovery.rate', 'search_read', [], ['rate'])
        self.assertEqual(self.footprint(), before)

    def test_recovery_user_cannot_configure(self):
        d = self.data
        user = self.rpc('recovery_a')
        self.assertTrue(user('debt.recovery.event', 'search_read', [], ['id']), "a recovery user reads events")
        self.assertTrue(user('debt.recovery.plan', 'read', [d['plan']], ['name']))
        self.assertRpcDenied(user, 'debt.recovery.rate', 'write', [d['rate']], {'rate': 42.0})
        self.assertRpcDenied(user, 'debt.recovery.rate', 'create', {
            'rate_type': 'ecb', 'date_from': '2030-01-01', 'rate': 1.0})
        self.assertRpcDenied(user, 'debt.recovery.rate', 'unlink', [d['rate']])
        self.assertRpcDenied(user, 'debt.recovery.plan', 'write', [d['plan']], {'name': 'Mine'})
        self.assertRpcDenied(user, 'debt.recovery.plan', 'create', {'name': 'Mine'})
        self.assertRpcDenied(user, 'debt.recovery.step', 'write', [d['step']], {'delay': 1})
        self.assertRpcDenied(user, 'debt.recovery.event', 'write', d['events_a'][:1], {'state': 'cancelled'})
        self.assertRpcDenied(user, 'debt.recovery.event', 'unlink', d['events_a'][:1])
        rate = ph.fetch(self.db, "SELECT rate FROM debt_recovery_rate WHERE id = %s", [d['rate']])[0][0]
        self.assertNotEqual(rate, 42.0)
        # the manager can (positive control: the denials above are about rights, not the RPC)
        manager = self.rpc('manager_a')
        self.assertTrue(manager('debt.recovery.rate', 'write', [d['rate']], {'source': 'checked by RPC'}))

    def test_other_company_user_neither_sees_nor_reminds(self):
        d = self.data
        before = self.footprint()
        user_b = self.rpc('recovery_b')
        visible = {e['id'] for e in user_b('debt.recovery.event', 'search_read', [], ['id'])}
        self.assertTrue(visible, "company B's user sees company B's events")
        self.assertFalse(visible & set(d['events_a']), "and none of company A's")
        self.assertRpcDenied(user_b, 'debt.recovery.event', 'read', d['events_a'], ['note'])
        self.assertEqual(user_b('account.move', 'search', [('id', 'in', [d['invoice_a'], d['invoice_a_new']])]), [])
        self.assertRpcDenied(user_b, 'account.move', 'read', [d['invoice_a_new']], ['name'])
        # Relancer on company A's invoices, with forged ids
        self.assertRpcDenied(user_b, 'account.move', 'action_recovery_remind', [d['invoice_a_new']])
        self.assertRpcDenied(user_b, 'debt.recovery.remind', 'create', {'move_ids': [[6, 0, [d['invoice_a_new']]]]})
        self.assertRpcDenied(user_b, 'debt.recovery.remind', 'create', {
            'move_ids': [[6, 0, [d['invoice_a_new'], d['invoice_b']]]]})
        # a wizard opened on its own invoice, with a line smuggling company A's invoice in
        self.assertRpcDenied(user_b, 'debt.recovery.remind', 'create', {
            'move_ids': [[6, 0, [d['invoice_b']]]],
            'line_ids': [[0, 0, {'company_id': d['company_a'], 'partner_id': d['debtor'], 'step_id': d['step'],
                                 'channel': 'email', 'move_ids': [[6, 0, [d['invoice_a_new']]]]}]],
        })
        # ... or a line sending its own invoice in the name of company A
        forged = user_b('debt.recovery.remind', 'create', {
            'move_ids': [[6, 0, [d['invoice_b']]]],
            'line_ids': [[0, 0, {'company_id': d['company_a'], 'partner_id': d['debtor'], 'step_id': d['step'],
                                 'channel': 'email', 'resend': True, 'move_ids': [[6, 0, [d['invoice_b']]]]}]],
        })
        self.assertRpcDenied(user_b, 'debt.recovery.remind', 'action_send', [forged])
        # the web client's path, claiming company A in the context
        web_b = self.web('recovery_b')
        self.assertRpcDenied(web_b, 'account.move', 'action_recovery_remind', [d['invoice_a_new']],
                             context={'allowed_company_ids': [d['company_a'], d['company_b']]})
        self.assertRpcDenied(web_b, 'debt.recovery.remind', 'create', {'move_ids': [[6, 0, [d['invoice_a_new']]]]})
        self.assertEqual(self.footprint(), before, "no event, e-mail, to-do or stage change in company A")
        # positive control: company B's user does open Relancer on company B's invoice
        action = web_b('account.move', 'action_recovery_remind', [d['invoice_b']])
        self.assertEqual(action['res_model'], 'debt.recovery.remind')
