"""Formal notices through a registered letter service: AR24 against a local server that
follows its documented requests and answers (tests/ar24_fake.py); the manual provider;
tracking by the scheduled action and by the webhook. Nothing reaches the internet."""
from unittest.mock import patch
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, common

from odoo.addons.l10n_fr_debt_recovery.tools import ar24, legal_dates

from .ar24_fake import PDF, FakeAr24
from .common import DebtRecoveryCommon


class PostProviderCommon(DebtRecoveryCommon):

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # the local fake only, with the timeout the module asks (Odoo's test handler
        # raises short timeouts to 10 s)
        if urlsplit(r.url).hostname == '127.0.0.1':
            return common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeAr24().start()
        cls.addClassCleanup(cls.fake.stop)
        params = cls.env['ir.config_parameter'].sudo()
        params.set_param('l10n_fr_debt_recovery.ar24_sandbox_url', cls.fake.url + '/api')
        params.set_param('l10n_fr_debt_recovery.ar24_timeout', '2')
        fr = cls.env.ref('base.fr')
        cls.debtor.write({'street': '5 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': fr.id})
        cls.consumer.write({'street': '3 rue des Lilas', 'zip': '69003', 'city': 'Lyon', 'country_id': fr.id})
        cls.company.write({'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
                           'recovery_representative_name': 'Jean Durand',
                           'recovery_representative_capacity': 'gérant',
                           'recovery_mediator_name': 'CM2C', 'recovery_mediator_url': 'https://www.cm2c.net'})
        cls.provider = cls.env['debt.recovery.post.provider'].create({
            'name': 'AR24', 'kind': 'ar24', 'company_id': cls.company.id, 'test_mode': True,
            'ar24_token': cls.fake.token, 'ar24_private_key': cls.fake.private_key,
            'ar24_user_id': cls.fake.user_id,
        })
        cls.company.recovery_post_provider_id = cls.provider

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.mails.clear()
        self.fake.error = None
        self.fake.maintenance = False
        self.fake.http_status = 200
        self.fake.delay = 0

    def _validated_case(self, partner=None):
        partner = partner or self.debtor
        moves = self._invoice(partner, '2026-03-02', 1000.0)
        with freeze_time('2026-05-04'):
            case = self.env['debt.recovery.case'].create({'partner_id': partner.id,
                                                          'move_ids': [Command.set(moves.ids)]})
            case.with_user(self.manager).action_validate_notice()
        # Odoo renders HTML in test mode: the letter's PDF is what validation keeps
        case.notice_attachment_id = self.env['ir.attachment'].create({
            'name': 'Mise en demeure.pdf', 'raw': PDF, 'mimetype': 'application/pdf',
            'res_model': case._name, 'res_id': case.id})
        return case

    def _calls(self, path, method=None):
        return [r for r in self.fake.requests
                if r['path'].rstrip('/').endswith(path) and (not method or r['method'] == method)]

    def _send(self, case):
        with freeze_time('2026-05-04 10:00:00'):
            case.with_user(self.manager).action_post_send()


class TestAr24Protocol(PostProviderCommon):

    def test_signature_and_result_follow_the_documented_vector(self):
        """AR24's documentation gives this date, private key, signature and result."""
        date, key = '2021-05-26 14:00:00', '7X9gx9E3Qx4EiUdB63nc'
        self.assertEqual(ar24.signature(date, key), 'bDop0cbjKpkySlpvnNGvBMg7PuYFFgPPqTTS2RAHoY0=')
        self.assertIn('SUCCESS', str(ar24.decrypt_result('WwBOU6s8DaMWmYdctBJwfuoujFgVygBUjhsbdf8eWqQ=', date, key)))
        self.assertEqual(ar24.decrypt_result(ar24.encrypt_result({'id': 7}, date, key), date, key), {'id': 7})
        with freeze_time('2026-01-15 09:30:00'):
            self.assertEqual(ar24.request_date(), '2026-01-15 10:30:00', "Paris time (UTC+1 in winter)")

    def test_credentials_are_for_administrators_only(self):
        fields_manager = self.env['debt.recovery.post.provider'].with_user(self.manager).fields_get()
        for fname in ('ar24_token', 'ar24_private_key', 'ar24_user_id', 'webhook_secret'):
            self.assertNotIn(fname, fields_manager)
        self.assertIn('ar24_token', self.env['debt.recovery.post.provider'].fields_get())
        with self.assertRaises(AccessError):
            self.provider.with_user(self.manager).read(['ar24_private_key'])


class TestPostSend(PostProviderCommon):

    def test_send_records_the_posting_and_the_deposit_proof(self):
        case = self._validated_case()
        self.assertEqual(case.post_provider_id, self.provider, "the company's service by default")
        self._send(case)
        self.assertEqual(case.state, 'notice_sent')
        self.assertEqual(case.post_state, 'posted')
        mail = next(iter(self.fake.mails.values()))
        self.assertEqual(case.post_reference, str(mail['id']))
        self.assertEqual(case.lrar_number, str(mail['id']))
        self.assertEqual(case.post_cost, 3.49)
        self.assertEqual(case.notice_date, self.d('2026-05-04'), "the date of the proof of sending")
        self.assertEqual(case.post_client_reference, case._post_client_reference())
        # what went to AR24: the frozen recipient, the references, the letter's PDF
        sent = self._calls('/api/mail', 'POST')[0]['fields']
        self.assertEqual(sent['to_company'], 'Boulangerie Martin SAS')
        self.assertEqual(sent['to_email'], 'contact@boulangerie-martin.fr')
        self.assertEqual(sent['dest_statut'], 'professionnel')
        self.assertEqual(sent['ref_dossier'], case.name)
        self.assertEqual(sent['ref_client'], case.post_client_reference)
        self.assertEqual(sent['id_user'], self.fake.user_id)
        upload = self._calls('/attachment')[0]
        self.assertEqual(upload['files']['file'][1], PDF)
        # signed requests, credentials never in the chatter
        self.assertTrue(all(r['signature'] for r in self.fake.requests if r['path'].startswith('/api')))
        self.assertNotIn(self.fake.private_key, str(case.message_ids.mapped('body')))
        # the proof of sending is kept on the case as evidence
        self.assertTrue(case.deposit_proof_attachment_id.raw.startswith(b'%PDF'))
        self.assertEqual(case.deposit_proof_attachment_id.recovery_evidence, 'post_proof')
        self.assertEqual((case.deposit_proof_attachment_id.res_model, case.deposit_proof_attachment_id.res_id),
                         (case._name, case.id))
        events = self.Event.search([('case_id', '=', case.id), ('note', 'ilike', 'posted by registered letter')])
        self.assertEqual(events.move_id, case.move_ids, "the posting is an event on each invoice")

    def test_documented_errors_say_what_to_do_and_leave_nothing(self):
        cases = [
            ({'slug': 'token_invalid', 'message': 'Invalid token'}, "refused the connection"),
            ({'slug': 'expired_date', 'message': 'Date expired'}, "clock is off"),
            ({'slug': 'email_wrong_format', 'message': 'Wrong email'}, "refused the recipient"),
            ({'slug': 'attachment_too_big', 'message': 'File too big'}, "must be a PDF"),
            ({'slug': 'no_payment_method', 'message': 'No payment'}, "lack of credit"),
            ({'slug': 'something_new', 'message': 'Unexpected'}, "AR24 refused the letter.*something_new"),
        ]
        case = self._validated_case()
        for error, expected in cases:
            with self.subTest(slug=error['slug']):
                self.fake.error = error
                with self.assertRaisesRegex(UserError, expected):
                    self._send(case)
                self.assertEqual(case.state, 'notice_ready')
                self.assertFalse(case.post_reference or case.lrar_number or case.notice_date)
        self.fake.error = None
        self.fake.maintenance = True
        with self.assertRaisesRegex(UserError, "under maintenance: nothing was sent"):
            self._send(case)
        self.fake.maintenance = False
        self.fake.http_status = 502
        with self.assertRaisesRegex(UserError, "cannot be reached"):
            self._send(case)
        self.fake.http_status = 200
        self.fake.delay = 3   # the module waits 2 s (system parameter)
        with self.assertRaisesRegex(UserError, "cannot be reached.*timeout"):
            self._send(case)
        self.fake.delay = 0
        self.assertEqual(case.state, 'notice_ready')
        self.assertFalse(self.fake.mails)

    def test_wrong_private_key_is_an_authentication_error(self):
        self.provider.ar24_private_key = 'not-the-key'
        case = self._validated_case()
        with self.assertRaisesRegex(UserError, "refused the connection"):
            self._send(case)

    def test_a_letter_sent_whose_answer_was_lost_is_not_sent_twice(self):
        """The HTTP call succeeded, the transaction did not: the next Send finds the
        letter at AR24 by our reference and records it."""
        case = self._validated_case()
        lost = self.fake.new_mail(ref_client=case._post_client_reference(), ref_dossier=case.name)
        self._send(case)
        self.assertEqual(case.post_reference, str(lost['id']))
        self.assertFalse(self._calls('/api/mail', 'POST'))
        self.assertFalse(self._calls('/attachment'))
        self.assertEqual(len(self.fake.mails), 1)

    def test_consumer_needs_prior_consent_to_an_electronic_letter(self):
        case = self._validated_case(self.consumer)
        with self.assertRaisesRegex(UserError, "has not accepted electronic registered letters"):
            self._send(case)
        self.assertFalse(self.fake.requests, "refused before any call")
        self.consumer.recovery_lre_consent_date = '2025-11-02'
        self._send(case)
        sent = self._calls('/api/mail', 'POST')[0]['fields']
        self.assertEqual(sent['dest_statut'], 'particulier')
        self.assertEqual((sent['to_firstname'], sent['to_lastname']), ('Jeanne', 'Leroy'))

    def test_no_email_address_no_electronic_letter(self):
        case = self._validated_case(self.debtor_b.copy({'name': 'Menuiserie Roux', 'email': False,
                                                         'street': '1 rue Haute', 'zip': '69001', 'city': 'Lyon',
                                                         'country_id': self.env.ref('base.fr').id}))
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            self._send(case)

    def test_manual_provider_keeps_todays_flow(self):
        manual = self.env.ref('l10n_fr_debt_recovery.post_provider_manual')
        case = self._validated_case()
        case.post_provider_id = manual
        with self.assertRaisesRegex(UserError, "print it, post it"):
            self._send(case)
        case.write({'lrar_number': '1A 123 456 7890 1', 'notice_date': '2026-05-04'})
        case.with_user(self.manager).action_record_posting()
        self.assertEqual(case.state, 'notice_sent')
        self.assertFalse(self.fake.requests)

    def test_only_a_manager_sends(self):
        case = self._validated_case()
        with self.assertRaisesRegex(UserError, "Only a recovery manager"):
            case.with_user(self.accountant).action_post_send()


class TestPostTracking(PostProviderCommon):

    def _sent_case(self, partner=None):
        case = self._validated_case(partner)
        self._send(case)
        return case, self.fake.mails[int(case.post_reference)]

    def test_cron_records_the_signed_acknowledgement_and_the_deadline(self):
        case, mail = self._sent_case()
        self.env['debt.recovery.case']._cron_post_tracking()
        self.assertEqual(case.post_state, 'posted', "nothing new yet")
        mail.update(view_date='2026-05-06 18:02:11', proof_ar_url=self.fake.proof_url('ar', mail['id']),
                    status='AR')
        with freeze_time('2026-05-07'):
            self.env['debt.recovery.case']._cron_post_tracking()
        self.assertEqual(case.post_state, 'delivered')
        self.assertEqual(case.receipt_status, 'signed')
        self.assertEqual(case.receipt_date, self.d('2026-05-06'))
        self.assertEqual(case.notice_deadline, legal_dates.formal_notice_deadline(
            self.d('2026-05-06'), case.notice_delay, place=case._places()[0]), "the case's own deadline rule")
        self.assertIn(b'/get/proof/ar-', case.receipt_attachment_id.raw)
        self.assertEqual(case.post_provider_status, 'AR')
        # polled again: nothing moves twice
        self.env['debt.recovery.case']._cron_post_tracking()
        self.assertEqual(len(self._calls('/get/proof/ar-%s' % mail['id'])), 1)

    def test_unclaimed_letter_puts_on_notice_from_its_presentation(self):
        case, mail = self._sent_case()
        mail.update(negligence_date='2026-05-19 23:59:00', proof_ng_url=self.fake.proof_url('ng', mail['id']))
        with freeze_time('2026-05-20'):
            case.action_post_check()
        self.assertEqual((case.post_state, case.receipt_status), ('unclaimed', 'unclaimed'))
        self.assertEqual(case.presentation_date, self.d('2026-05-04'), "notified to the recipient when sent")
        self.assertEqual(case.received_date, self.d('2026-05-04'))
        self.assertEqual(case.return_proof_attachment_id, case.receipt_attachment_id)
        self.assertIn(b'/get/proof/ng-', case.return_proof_attachment_id.raw)
        self.assertTrue(case.notice_deadline)

    def test_refused_letter(self):
        case, mail = self._sent_case()
        mail.update(refused_date='2026-05-08 08:00:00', proof_rf_url=self.fake.proof_url('rf', mail['id']))
        case.action_post_check()
        self.assertEqual((case.post_state, case.receipt_status), ('refused', 'refused'))
        self.assertIn(b'/get/proof/rf-', case.return_proof_attachment_id.raw)

    def test_undeliverable_letter_asks_for_paper(self):
        case, mail = self._sent_case()
        mail.update(bounced_date='2026-05-04 10:15:00', proof_bc_url=self.fake.proof_url('bc', mail['id']))
        case.action_post_check()
        self.assertEqual(case.post_state, 'undelivered')
        self.assertEqual(case.state, 'notice_sent')
        self.assertFalse(case.received_date, "never presented: nobody is on notice")
        self.assertIn("send the formal notice by paper", case.activity_ids.summary)

    def test_outage_during_tracking_stops_the_run_and_is_noted(self):
        first, __ = self._sent_case()
        second, __ = self._sent_case(self.debtor_b.copy({
            'name': 'Garage Bleu SARL', 'email': 'compta@garage-bleu.fr', 'street': '2 quai Rambaud',
            'zip': '69002', 'city': 'Lyon', 'country_id': self.env.ref('base.fr').id}))
        self.fake.requests.clear()
        self.fake.maintenance = True
        self.env['debt.recovery.case']._cron_post_tracking()
        self.assertEqual(len(self._calls('/api/mail', 'GET')), 1, "one attempt, then the run stops until the next")
        self.assertIn("under maintenance", (first | second).filtered('post_error').post_error)
        self.assertEqual((first | second).mapped('post_state'), ['posted', 'posted'])


class TestPostWebhook(PostProviderCommon, HttpCase):

    def test_webhook_needs_the_secret_and_reads_the_letter_again(self):
        case = self._validated_case()
        self._send(case)
        mail = self.fake.mails[int(case.post_reference)]
        mail.update(view_date='2026-05-06 18:02:11', proof_ar_url=self.fake.proof_url('ar', mail['id']))
        base = '/l10n_fr_debt_recovery/ar24/%s/' % self.provider.id
        with patch.object(type(self.env['debt.recovery.case']), '_post_apply', autospec=True) as apply:
            response = self.url_open(base + 'wrong-secret', data={'id_mail': mail['id'], 'view_date': 'forged'})
            self.assertEqual(response.status_code, 403)
            apply.assert_not_called()
        response = self.url_open(base + self.provider.webhook_secret, data={'id_mail': mail['id']})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(case.post_state, 'delivered', "read again from AR24, signed")
        self.assertEqual(case.receipt_date, self.d('2026-05-06'))
