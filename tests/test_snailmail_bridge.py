"""Reminder letters by post (bridges/l10n_fr_debt_recovery_snailmail): the test database
has Snailmail (Odoo auto-installs it with ``sms``'s ``iap_mail``), so the bridge is
installed with the module. Snailmail's IAP endpoint is a local JSON-RPC server."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

from odoo.tests import common

from .common import DebtRecoveryCommon


class FakeIap:
    """Answers ``/iap/snailmail/1/print`` as Snailmail's server does: one document per
    letter, ``sent`` with a ``send_id``, or an ``error`` code (``self.error``)."""

    def __init__(self):
        self.error = None
        self.calls = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                payload = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
                fake.calls.append((self.path, payload['params']))
                documents = [
                    {'letter_id': doc['letter_id'], 'sent': not fake.error, 'send_id': 'SN-%s' % doc['letter_id'],
                     'error': fake.error}
                    for doc in payload['params']['documents']]
                body = json.dumps({'jsonrpc': '2.0', 'id': payload['id'], 'result': {
                    'request_code': 200, 'total_cost': 1.0, 'request': {'documents': documents}}}).encode()
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class TestSnailmailBridge(DebtRecoveryCommon):

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if r.url.startswith('http://127.0.0.1'):
            return common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iap = FakeIap()
        cls.addClassCleanup(cls.iap.stop)
        cls.env['ir.config_parameter'].sudo().set_param('snailmail.endpoint', cls.iap.url)
        fr = cls.env.ref('base.fr')
        cls.company.partner_id.write({'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
                                      'country_id': fr.id})
        cls.company.recovery_letter_by_snailmail = True
        # an IAP account of the test transaction (Snailmail would otherwise create one in a cursor of its own)
        service = cls.env['iap.service'].search([('technical_name', '=', 'snailmail')], limit=1)
        cls.env['iap.account'].create({'service_id': service.id, 'account_token': 'test-snailmail-token'})
        cls.no_email = cls.env['res.partner'].create({
            'name': 'Fromagerie Blanc SARL', 'is_company': True, 'street': '8 rue Mercière', 'zip': '69002',
            'city': 'Lyon', 'country_id': fr.id})

    def setUp(self):
        super().setUp()
        self.iap.calls.clear()
        self.iap.error = None

    def _remind(self, partner):
        invoice = self._invoice(partner, '2026-03-02', 400.0)
        self._run('2026-03-08')   # the courteous e-mail step: no e-mail address, a letter
        return invoice, self._step_events(invoice, self.step_courteous)

    def _snailmail_cron(self):
        # Snailmail commits after each letter: a no-op here, the test owns the transaction
        with patch('odoo.modules.module.current_test', False), patch.object(self.env.cr, 'commit', lambda: None):
            self.env['snailmail.letter']._snailmail_cron(autocommit=False)

    def test_bridge_installed(self):
        bridge = self.env['ir.module.module'].search([('name', '=', 'l10n_fr_debt_recovery_snailmail')])
        self.assertEqual(bridge.state, 'installed')

    def test_letter_goes_by_post_and_its_state_is_on_the_invoice(self):
        invoice, event = self._remind(self.no_email)
        everything = self.Event.search([('move_id', '=', invoice.id)])
        self.assertEqual(event.channel, 'letter', everything.mapped(lambda e: (e.state, e.channel, e.failure_reason)))
        letter = event.letter_id
        self.assertTrue(letter, "a Snailmail letter instead of a to-do")
        self.assertFalse(event.activity_id)
        self.assertFalse(self._activities(self.no_email, 'l10n_fr_debt_recovery.mail_activity_type_recovery_letter'))
        self.assertEqual((letter.model, letter.res_id, letter.partner_id), ('account.move', invoice.id, self.no_email))
        self.assertEqual((letter.street, letter.zip, letter.city), ('8 rue Mercière', '69002', 'Lyon'))
        self.assertEqual(letter.state, 'pending')
        self.assertIn(b'Relance', letter.attachment_id.raw)
        self.assertIn(invoice.name, letter.attachment_id.raw.decode())
        self.assertIn(letter.message_id, invoice.message_ids, "Snailmail's status message on the invoice")
        self.assertTrue(any("letter queued for sending by post" in body
                            for body in invoice.message_ids.mapped('body')), "the engine's note")
        self._snailmail_cron()
        self.assertEqual(len(self.iap.calls), 1)
        path, params = self.iap.calls[0]
        self.assertEqual(path, '/iap/snailmail/1/print')
        self.assertEqual(params['documents'][0]['address']['street'], '8 rue Mercière')
        self.assertEqual(event.letter_state, 'sent')
        self.assertIn('SN-%s' % letter.id, event.letter_info)

    def test_no_credit_brings_the_todo_back_and_snailmail_retries(self):
        invoice, event = self._remind(self.no_email)
        self.iap.error = 'CREDIT_ERROR'
        self._snailmail_cron()
        self.assertEqual((event.letter_state, event.letter_error_code), ('error', 'CREDIT_ERROR'))
        todo = self._activities(self.no_email, 'l10n_fr_debt_recovery.mail_activity_type_recovery_letter')
        self.assertEqual(len(todo), 1, "without credits, the to-do stays")
        self.assertEqual(event.activity_id, todo)
        # Snailmail retries credit errors by itself; the to-do is not doubled
        self._snailmail_cron()
        self.assertEqual(len(self.iap.calls), 2)
        self.assertEqual(len(self._activities(self.no_email,
                                              'l10n_fr_debt_recovery.mail_activity_type_recovery_letter')), 1)
        self.iap.error = None
        self._snailmail_cron()
        self.assertEqual(event.letter_state, 'sent')

    def test_incomplete_address_keeps_the_todo(self):
        partner = self.no_email.copy({'name': 'Cave Rouge', 'street': False})
        __, event = self._remind(partner)
        self.assertFalse(event.letter_id)
        self.assertTrue(event.activity_id)
        self.assertIn("postal address of Cave Rouge is incomplete (street)", event.note)

    def test_company_setting_off_keeps_the_todo(self):
        self.company.recovery_letter_by_snailmail = False
        __, event = self._remind(self.no_email)
        self.assertFalse(event.letter_id)
        self.assertTrue(event.activity_id)
        self.assertFalse(self.iap.calls)
