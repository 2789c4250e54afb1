"""The debtor's page through the real HTTP server (pytest-odoo ``--odoo-http``):
who may open it, what the forms accept, and what they leave behind."""
import base64
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import DebtRecoveryCommon

PNG_1PX = base64.b64decode(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==')
PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'


@tagged('post_install', '-at_install')
class TestDebtorPortal(DebtRecoveryCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.accountant)
        cls.today = today
        cls.invoice = cls._invoice(cls.debtor, today - timedelta(days=20), amount=1000.0)
        cls.invoice_2 = cls._invoice(cls.debtor, today - timedelta(days=5), amount=300.0)
        cls.other = cls._invoice(cls.debtor_b, today - timedelta(days=20), amount=700.0)

    def _url(self, partner=None, company=None):
        partner = (partner or self.debtor).with_company(company or self.company)
        return partner.recovery_portal_url.replace(partner.get_base_url(), '')

    def _path(self, partner=None, suffix=''):
        return '/recovery/%s/%s%s' % (self.company.id, (partner or self.debtor).id, suffix)

    def _token(self, partner=None):
        return self._url(partner).split('access_token=')[1]

    def _csrf(self):
        return self._csrf_of(self._url())

    def _csrf_of(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post(self, suffix, data, files=None, partner=None, token=None):
        data = dict(data, csrf_token=self._csrf(), access_token=token or self._token(partner))
        return self.url_open(self._path(partner, suffix), data=data, files=files, allow_redirects=False)

    def _debtor_mails(self, plan):
        return self.env['mail.mail'].search([('model', '=', plan._name), ('res_id', '=', plan.id),
                                             ('recipient_ids', 'in', self.debtor.ids)])

    def test_page_with_the_token_of_the_reminder(self):
        response = self.url_open(self._url())
        self.assertEqual(response.status_code, 200)
        for text in (self.invoice.name, self.invoice_2.name, self.company.name):
            self.assertIn(text, response.text)
        self.assertNotIn(self.other.name, response.text)
        self.assertIn('o_recovery_dispute_form', response.text)
        # the reminder e-mail carries the link
        self.env['account.move']._cron_debt_recovery()
        mail = self._mails(self.debtor)
        self.assertTrue(mail)
        self.assertIn(self._url(), mail.body_html.replace('&amp;', '&'))

    def test_forged_wrong_or_missing_tokens_are_404(self):
        token = self._token()
        for url in (
            self._path(),  # no token, not logged in
            self._path() + '?access_token=' + 'f' * 64,  # forged
            self._path() + '?access_token=' + token[:-1] + ('0' if token[-1] != '0' else '1'),
            self._path(self.debtor_b) + '?access_token=' + token,  # another debtor's page
            '/recovery/%s/%s?access_token=%s' % (self.env['res.company'].create({'name': 'Autre SAS'}).id,
                                                 self.debtor.id, token),  # another creditor
            '/recovery/%s/999999?access_token=%s' % (self.company.id, token),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)

    def test_another_partners_invoice_is_refused(self):
        response = self._post('/dispute', {'move_id': self.other.id, 'reason': 'quality', 'comment': 'x'})
        self.assertEqual(response.status_code, 404)
        response = self._post('/promise', {'move_id': self.other.id, 'date': str(self.today), 'amount': '100'})
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(self.other.recovery_state, 'running')
        self.assertFalse(self.other.recovery_promise_date)

    def test_contest_with_a_file(self):
        response = self._post('/dispute', {'move_id': self.invoice.id, 'reason': 'quality',
                                           'comment': "Livraison incomplète"},
                              files={'attachments': ('bon_de_livraison.pdf', PDF, 'application/pdf')})
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.env.invalidate_all()
        self.assertEqual(self.invoice.recovery_state, 'disputed')
        self.assertEqual(self.invoice.recovery_dispute_reason, 'quality')
        event = self.Event.search([('move_id', '=', self.invoice.id), ('event_type', '=', 'dispute')])
        self.assertEqual(event.origin, 'debtor', "marked as coming from the debtor")
        messages = self.invoice.message_ids.filtered(lambda m: m.author_id == self.debtor)
        self.assertTrue(messages, "a chatter message authored by the debtor")
        self.assertEqual(messages.attachment_ids.mapped('name'), ['bon_de_livraison.pdf'])
        self.assertIn('o_recovery_message', self.url_open(response.headers['Location']).text)

    def test_uploads_are_size_and_type_limited(self):
        for name, content in (('big.pdf', b'%PDF-1.4\n' + b'0' * (5 * 1024 * 1024)),
                              ('tool.exe', b'MZ\x90\x00' + b'\x00' * 200)):
            with self.subTest(name):
                response = self._post('/dispute', {'move_id': self.invoice.id, 'reason': 'quality'},
                                      files={'attachments': (name, content, 'application/pdf')})
                self.assertEqual(response.status_code, 400)
                self.assertIn('o_recovery_error', response.text)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.recovery_state, 'running', "nothing recorded")
        self.assertFalse(self.env['ir.attachment'].search([('res_model', '=', 'account.move'),
                                                           ('res_id', '=', self.invoice.id),
                                                           ('name', 'in', ('big.pdf', 'tool.exe'))]))

    def test_forms_need_the_csrf_token(self):
        response = self.url_open(self._path(suffix='/dispute'), data={
            'move_id': self.invoice.id, 'reason': 'quality', 'access_token': self._token()}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.recovery_state, 'running')

    def test_promise_within_limits_or_a_request(self):
        in_limits = str(self.today + timedelta(days=10))
        response = self._post('/promise', {'move_id': self.invoice.id, 'date': in_limits, 'amount': '500'})
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.recovery_state, 'paused')
        self.assertEqual(str(self.invoice.recovery_promise_date), in_limits)
        self.assertEqual(self.invoice.recovery_promise_amount, 500.0)
        event = self.Event.search([('move_id', '=', self.invoice.id), ('event_type', '=', 'promise')])
        self.assertEqual(event.origin, 'debtor')
        # too late (beyond 30 days): a request for the accountant, the reminders go on
        response = self._post('/promise', {'move_id': self.invoice_2.id,
                                           'date': str(self.today + timedelta(days=60)), 'amount': '300'})
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.invoice_2.recovery_state, 'running')
        self.assertFalse(self.invoice_2.recovery_promise_date)
        self.assertTrue(self.invoice_2.activity_ids.filtered(lambda a: a.user_id == self.accountant))
        # bad input: shown again with the reason
        response = self._post('/promise', {'move_id': self.invoice_2.id, 'date': str(self.today), 'amount': '0'})
        self.assertEqual(response.status_code, 400)

    def test_plan_request_accepted_or_refused(self):
        response = self._post('/plan', {'count': '99'})
        self.assertEqual(response.status_code, 400, "more than the company's maximum")
        response = self._post('/plan', {'count': '2', 'comment': "Trésorerie tendue"})
        self.assertEqual(response.status_code, 303)
        Plan = self.env['debt.recovery.payment.plan']
        plan = Plan.search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(len(plan), 1)
        self.assertTrue(plan.debtor_request)
        self.assertEqual(plan.state, 'draft')
        self.assertEqual(plan.move_ids, self.invoice | self.invoice_2)
        self.assertEqual(plan.instalment_ids.mapped('amount'), [650.0, 650.0])
        self.assertTrue(plan.activity_ids, "a to-do for the recovery user")
        self.assertEqual(self.Event.search([('move_id', '=', self.invoice.id),
                                            ('event_type', '=', 'payment_plan')]).origin, 'debtor')
        self.assertEqual(self._post('/plan', {'count': '3'}).status_code, 400, "one request at a time")
        # the accountant accepts: the plan is active, the debtor e-mailed
        plan.with_user(self.accountant).action_confirm()
        self.assertEqual(plan.state, 'active')
        mails = self._debtor_mails(plan)
        self.assertEqual(len(mails), 1, "the debtor is told")
        self.assertIn('650', mails.body_html)

    def test_proposed_plan_accepted_by_the_debtors_signature(self):
        """The accountant proposes a plan; the debtor signs it on its page (Odoo's portal
        signature): the signature is kept and the plan is active. Another debtor's plan,
        a forged token or a plan not proposed cannot be signed."""
        Plan = self.env['debt.recovery.payment.plan'].with_user(self.accountant)
        plan = Plan.create({
            'partner_id': self.debtor.id, 'move_ids': [Command.set((self.invoice | self.invoice_2).ids)],
            'generate_count': 2, 'generate_first_date': self.today + timedelta(days=30)})
        plan.action_generate_instalments()
        signature = base64.b64encode(PNG_1PX).decode()
        sign_url = '/recovery/%s/%s/plan/%s/sign?access_token=%s' % (
            self.company.id, self.debtor.id, plan.id, self._token())
        # not proposed yet: not on the page, refused
        self.assertNotIn('o_recovery_proposed_plan', self.url_open(self._url()).text)
        result = self.make_jsonrpc_request(sign_url, {'name': "Paul Martin", 'signature': signature})
        self.assertIn('error', result)
        self.assertEqual(plan.state, 'draft')
        plan.action_propose()
        page = self.url_open(self._url()).text
        self.assertIn('o_recovery_proposed_plan', page)
        self.assertIn('portal.signature_form', page, "Odoo's portal signature form")
        # a forged token or another debtor's page cannot sign it
        forged = sign_url.replace(self._token(), 'forged')
        with self.assertRaises(Exception):
            self.make_jsonrpc_request(forged, {'name': "X", 'signature': signature})
        other = '/recovery/%s/%s/plan/%s/sign?access_token=%s' % (
            self.company.id, self.debtor_b.id, plan.id, self._token(self.debtor_b))
        with self.assertRaises(Exception):
            self.make_jsonrpc_request(other, {'name': "X", 'signature': signature})
        self.assertFalse(plan.signed_by)
        # no signature: refused, nothing saved
        self.assertIn('error', self.make_jsonrpc_request(sign_url, {'name': "Paul Martin", 'signature': ''}))
        self.assertEqual((plan.state, plan.signed_by), ('draft', False))
        result = self.make_jsonrpc_request(sign_url, {'name': "Paul Martin", 'signature': signature})
        self.assertTrue(result.get('force_refresh'), result)
        self.assertEqual((plan.state, plan.signed_by), ('active', "Paul Martin"))
        self.assertTrue(plan.signature and plan.signed_on)
        event = self.Event.search([('move_id', '=', self.invoice.id), ('event_type', '=', 'payment_plan'),
                                   ('origin', '=', 'debtor')])
        self.assertEqual(len(event), 1)
        self.assertIn("Paul Martin", event.note)

    def test_plan_request_refused(self):
        self.assertEqual(self._post('/plan', {'count': '3'}).status_code, 303)
        plan = self.env['debt.recovery.payment.plan'].search([('partner_id', '=', self.debtor.id)])
        plan.with_user(self.accountant).action_refuse()
        self.assertEqual(plan.state, 'cancelled')
        self.assertEqual(self.invoice.recovery_state, 'running')
        self.assertEqual(len(self._debtor_mails(plan)), 1, "the debtor is told")

    def test_link_expires_when_the_debt_is_settled(self):
        url = self._url()
        self._pay(self.invoice, 1000.0, self.today)
        self.assertEqual(self.url_open(url).status_code, 200, "something is still due")
        self._pay(self.invoice_2, 300.0, self.today)
        self.assertEqual(self.url_open(url).status_code, 404, "settled: the page is closed")
        self._invoice(self.debtor, self.today - timedelta(days=2), amount=50.0)
        self.assertEqual(self.url_open(url).status_code, 404, "a new debt gets a new link, the old one is dead")
        self.assertEqual(self.url_open(self._url()).status_code, 200)

    def test_consumer_sees_no_penalties(self):
        self._invoice(self.consumer, self.today - timedelta(days=20), amount=100.0)
        page = self.url_open(self._url(self.consumer))
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('o_recovery_penalty', page.text)
        self.assertIn('o_recovery_penalty', self.url_open(self._url()).text)

    def test_pay_everything_online_with_the_demo_provider(self):
        self.assertIn('l10n_fr_debt_recovery_portal', self.env['ir.module.module']._installed(),
                      "the online payment bridge installs itself with account_payment")
        Provider = self.env['payment.provider'].sudo()
        provider = Provider.search([('code', '=', 'demo'), ('company_id', '=', self.company.id)], limit=1) \
            or self.env.ref('payment.payment_provider_demo').sudo().copy({'company_id': self.company.id})
        provider.write({'state': 'test', 'is_published': True})
        method = self.env.ref('payment_demo.payment_method_demo')
        self.env['account.move']._cron_debt_recovery()  # a reminder first: the online payment follows it
        page = self.url_open(self._url())
        self.assertIn('o_recovery_pay_all', page.text, "Odoo's payment form with the company's providers")
        params = {
            'provider_id': provider.id, 'payment_method_id': method.id, 'token_id': None,
            'amount': 1.0,  # forged: the server pays what is due
            'flow': 'direct', 'tokenization_requested': False, 'landing_route': '/recovery/thanks',
            'is_validation': False, 'access_token': self._token(),
        }
        with self.assertRaises(Exception):
            self.make_jsonrpc_request(self._path(suffix='/transaction'), dict(params, access_token='f' * 64))
        with self.assertRaises(Exception):
            self.make_jsonrpc_request(self._path(self.debtor_b, '/transaction'), params)
        values = self.make_jsonrpc_request(self._path(suffix='/transaction'), params)
        tx = self.env['payment.transaction'].search([('reference', '=', values['reference'])])
        self.assertEqual(tx.amount, 1300.0)
        self.assertEqual(tx.invoice_ids, self.invoice | self.invoice_2)
        self.assertEqual(tx.partner_id, self.debtor)
        self.make_jsonrpc_request('/payment/demo/simulate_payment', {
            'reference': tx.reference, 'payment_details': '4242', 'simulated_state': 'done'})
        self.env.invalidate_all()
        tx._post_process()
        self.env.invalidate_all()
        self.assertIn(self.invoice.payment_state, ('paid', 'in_payment'))
        self.assertEqual((self.invoice | self.invoice_2).mapped('recovery_state'), ['closed', 'closed'],
                         "paid online: the recovery ends")
        self.assertEqual(self.url_open(self._url()).status_code, 404, "settled: the page is closed")
        self.assertEqual(self.url_open('/recovery/thanks').status_code, 200, "where the payment lands")
        figures = self.env['debt.recovery.dashboard'].get_figures(self.today, self.today, self.company.ids)
        reminded = self.Event.search([('move_id', 'in', (self.invoice | self.invoice_2).ids), ('event_type', '=', 'step'),
                                      ('state', '=', 'done')]).move_id
        self.assertTrue(reminded)
        self.assertEqual(figures['collected_online_after_reminder'], sum(reminded.mapped('amount_total')),
                         "the dashboard counts what was paid online on the invoices reminded")
        self.assertEqual(figures['collected_online_after_reminder'], figures['recovered_after_reminder'])

    def test_portal_user_with_its_login(self):
        user = self.env['res.users'].create({
            'name': "Sophie Martin", 'login': 'sophie.martin', 'password': 'sophie.martin-pw',
            'email': 'sophie@boulangerie-martin.fr', 'group_ids': [(6, 0, [self.env.ref('base.group_portal').id])],
        })
        user.partner_id.parent_id = self.debtor
        self.authenticate('sophie.martin', 'sophie.martin-pw')
        self.assertEqual(self.url_open(self._path()).status_code, 200, "its own company's page, no token needed")
        self.assertEqual(self.url_open(self._path(self.debtor_b)).status_code, 404)
        response = self.url_open(self._path(suffix='/promise'), data={
            'csrf_token': self._csrf_of(self._path()), 'move_id': self.invoice.id,
            'date': str(self.today + timedelta(days=5)), 'amount': '1000'}, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.invoice.recovery_state, 'paused')
