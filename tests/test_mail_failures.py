"""Reminders against a real SMTP server (aiosmtpd on localhost, started here).

Odoo tests never talk to an SMTP server: ``ir.mail_server._disable_send()`` is
true while a test runs, and ``mail.mail._send`` / ``send_email`` /
``_connect__`` then return early. The supported switch, used by Odoo's own
``odoo.addons.base.tests.common.MockSmtplibCase``, is to patch
``_disable_send`` to return False; here nothing else is mocked: the e-mails go
through smtplib to a server that refuses some recipients (550), hangs up once,
and accepts the rest.
"""
import logging
from email import message_from_bytes, policy
from unittest.mock import patch

from aiosmtpd.controller import Controller
from lxml import etree

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import DebtRecoveryCommon
from .process_helpers import free_port
from ..models.debt_recovery_engine import MAX_SEND_ATTEMPTS


class FlakySmtpHandler:
    """Refuses ``refused`` recipients with a 550, drops the connection at the
    first RCPT of each ``drop_once`` address, accepts everything else."""

    def __init__(self):
        self.reset()

    def reset(self, refused=(), drop_once=()):
        self.refused = {a.lower() for a in refused}
        self.drop_once = {a.lower() for a in drop_once}
        self.received = []          # (recipient, email.message.EmailMessage)
        self.dropped = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return '550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table' % address
        if address.lower() in self.drop_once:
            self.drop_once.discard(address.lower())
            self.dropped.append(address)
            server.transport.close()
            return '421 4.4.2 Connection dropped'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.SMTP)
        for rcpt in envelope.rcpt_tos:
            self.received.append((rcpt.lower(), message))
        return '250 2.0.0 Ok: queued'

    def received_by(self, address):
        return [msg for rcpt, msg in self.received if rcpt == address]


@tagged('post_install', '-at_install')
class TestReminderDelivery(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp = FlakySmtpHandler()
        smtp_log = logging.getLogger('mail.log')  # aiosmtpd's session log
        cls.addClassCleanup(smtp_log.setLevel, smtp_log.level)
        smtp_log.setLevel(logging.WARNING)
        cls.controller = Controller(cls.smtp, hostname='127.0.0.1', port=free_port(), ready_timeout=10)
        cls.controller.start()
        cls.addClassCleanup(cls.controller.stop)
        cls.env['ir.mail_server'].search([]).active = False
        cls.mail_server = cls.env['ir.mail_server'].create({
            'name': 'Local test SMTP', 'smtp_host': '127.0.0.1', 'smtp_port': cls.controller.port,
            'smtp_encryption': 'none', 'sequence': 1,
        })

        def partner(name, email):
            return cls.env['res.partner'].create({'name': name, 'is_company': True, 'email': email})

        cls.good = partner('Bon Payeur SA', 'ok@client.example.com')
        cls.refusing = partner('Adresse Morte SARL', 'refuse@client.example.com')
        cls.flaky = partner('Serveur Capricieux SAS', 'drop@client.example.com')
        cls.bouncing = partner('Rebond SARL', 'bounce@client.example.com')

    def setUp(self):
        super().setUp()
        self.smtp.reset(refused=['refuse@client.example.com'], drop_once=['drop@client.example.com'])
        patcher = patch.object(type(self.env['ir.mail_server']), '_disable_send', lambda _: False)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _send_queue(self):
        """The mail queue cron's method; the dropped connection is logged as an error by Odoo."""
        with mute_logger('odoo.addons.mail.models.mail_mail', 'odoo.addons.base.models.ir_mail_server'):
            self.env['mail.mail'].process_email_queue()
        self.env.invalidate_all()

    def _failed_filter(self):
        """The domain of the filter *Sending failures* (name ``failed``) of the history's search view."""
        arch = self.Event.get_views([(False, 'search')])['views']['search']['arch']
        node = etree.fromstring(arch).xpath("//filter[@name='failed']")
        self.assertTrue(node, "the history has a filter named 'failed'")
        return safe_eval(node[0].get('domain'))

    def test_refused_recipient_fails_retries_then_letter(self):
        good_inv = self._invoice(self.good, '2026-03-02')
        bad_inv = self._invoice(self.refusing, '2026-03-02')
        self._run('2026-03-07')
        self._send_queue()

        self.assertEqual(len(self.smtp.received_by('ok@client.example.com')), 1, "delivered for real")
        self.assertEqual(self._mails(self.good).state, 'sent')
        self.assertEqual(self._step_events(good_inv, self.step_courteous).mail_id.state, 'sent')
        failed = self._step_events(bad_inv, state='failed')
        self.assertEqual(len(failed), 1)
        self.assertIn('550', failed.failure_reason, "the server's reason is on the event")
        self.assertIn('Recipient address rejected', failed.failure_reason)
        self.assertEqual(failed, self.Event.search(self._failed_filter() + [('move_id', '=', bad_inv.id)]))
        self.assertNotIn(good_inv, self.Event.search(self._failed_filter()).move_id)
        self.assertFalse(self._step_events(bad_inv), "an undelivered reminder never marks the step done")
        self.assertFalse(bad_inv.recovery_step_id)
        self.assertEqual(bad_inv.recovery_next_step_id, self.step_courteous, "the step is due again")
        self.assertTrue(bad_inv.message_ids.filtered(lambda m: 'not delivered' in (m.body or '')))

        # retried by the next runs, a bounded number of times
        for attempt, day in enumerate(('2026-03-08', '2026-03-09'), start=2):
            self._run(day)
            self.assertEqual(len(self._mails(self.refusing)), attempt, "run of %s retries" % day)
            self._send_queue()
            self.assertEqual(len(self._step_events(bad_inv, state='failed')), attempt)
            self.assertFalse(self._step_events(bad_inv))
        self.assertEqual(MAX_SEND_ATTEMPTS, 3)
        self._run('2026-03-10')
        self.assertEqual(len(self._mails(self.refusing)), MAX_SEND_ATTEMPTS, "no fourth e-mail")
        letter = self._step_events(bad_inv, self.step_courteous)
        self.assertEqual(letter.channel, 'letter', "after %s failures a human sends a letter" % MAX_SEND_ATTEMPTS)
        self.assertEqual(letter.note, "Sending failed 3 times: send this reminder by post.")
        self.assertEqual(letter.activity_id,
                         self._activities(self.refusing, 'l10n_fr_debt_recovery.mail_activity_type_recovery_letter'))
        self.assertEqual(len(letter.activity_id), 1)
        self.assertEqual(bad_inv.recovery_step_id, self.step_courteous)
        self.assertFalse(self.smtp.received_by('refuse@client.example.com'))
        self.assertEqual(len(self._mails(self.good)), 1, "the good debtor was never reminded twice")
        self.assertEqual(len(self.smtp.received_by('ok@client.example.com')), 1)

    def test_connection_dropped_then_retried(self):
        flaky_inv = self._invoice(self.flaky, '2026-03-02')
        good_inv = self._invoice(self.good, '2026-03-02')
        self._run('2026-03-07')
        self._send_queue()
        self.assertEqual(self.smtp.dropped, ['drop@client.example.com'], "the server hung up once")
        self._send_queue()  # the mails queued behind the broken session go on the next pass
        flaky_mail = self._mails(self.flaky)
        self.assertEqual(flaky_mail.state, 'exception')
        failed = self._step_events(flaky_inv, state='failed')
        self.assertEqual(len(failed), 1, "the reminder caught in the dropped session is a failure")
        self.assertEqual(failed.failure_reason, "The mail server closed the connection: Connection unexpectedly closed")
        self.assertFalse(self._step_events(flaky_inv), "and not a step done")
        self.assertFalse(flaky_inv.recovery_step_id)
        self.assertIn(failed, self.Event.search(self._failed_filter()))
        self.assertEqual(len(self.smtp.received_by('ok@client.example.com')), 1)
        self.assertTrue(self._step_events(good_inv, self.step_courteous))

        self._run('2026-03-08')
        self._send_queue()
        self.assertEqual(len(self.smtp.received_by('drop@client.example.com')), 1, "delivered on retry")
        self.assertEqual(len(self._step_events(flaky_inv, self.step_courteous)), 1)
        self.assertEqual(flaky_inv.recovery_step_id, self.step_courteous)
        self.assertEqual(len(self._mails(self.good)), 1, "nothing sent twice to the others")
        self.assertEqual(len(self.smtp.received_by('ok@client.example.com')), 1)

    def test_refused_firm_reminder_steps_back_to_courteous_and_retries_firm(self):
        """The courteous e-mail was delivered; the firm one is refused: the invoice goes
        back to the courteous step, and the next run sends the firm reminder again, not
        the courteous one (nor the call it skipped)."""
        later = self.env['res.partner'].create({'name': 'Plus Tard SARL', 'is_company': True,
                                                'email': 'later@client.example.com'})
        invoice = self._invoice(later, '2026-03-02')
        self._run('2026-03-07')
        self._send_queue()
        self.assertEqual(len(self.smtp.received_by('later@client.example.com')), 1)
        self.assertEqual(invoice.recovery_step_id, self.step_courteous)

        self.smtp.refused.add('later@client.example.com')
        self._run('2026-04-01')  # catch-up: the firm reminder
        firm_mail = self._step_events(invoice, self.step_firm).mail_id
        self.assertEqual(len(firm_mail), 1)
        self._send_queue()
        self.assertEqual(firm_mail.state, 'exception')
        failed = self._step_events(invoice, self.step_firm, state='failed')
        self.assertEqual(len(failed), 1)
        self.assertIn('550', failed.failure_reason)
        self.assertFalse(self._step_events(invoice, self.step_firm))
        self.assertEqual(invoice.recovery_step_id, self.step_courteous, "back one rung: the courteous step")
        self.assertEqual(len(self._step_events(invoice, self.step_courteous)), 1,
                         "the courteous e-mail, delivered, stays done")

        self.smtp.refused.discard('later@client.example.com')
        self._run('2026-04-02')
        self._send_queue()
        received = self.smtp.received_by('later@client.example.com')
        self.assertEqual(len(received), 2, "one more e-mail: the retried firm reminder")
        self.assertIn('second reminder', received[1]['Subject'])
        self.assertEqual(len(self._step_events(invoice, self.step_firm)), 1)
        self.assertEqual(len(self._step_events(invoice, self.step_courteous)), 1, "the courteous one is not resent")
        self.assertFalse(self._step_events(invoice, self.step_call), "nor the call it had skipped")
        self.assertEqual(invoice.recovery_step_id, self.step_firm)
        self.assertEqual(len(self._mails(later)), 3)

    def test_bounce_reaches_the_event(self):
        invoice = self._invoice(self.bouncing, '2026-03-02')
        self._run('2026-03-07')
        self._send_queue()
        [sent] = self.smtp.received_by('bounce@client.example.com')
        event = self._step_events(invoice, self.step_courteous)
        self.assertEqual(event.state, 'done', "accepted by the first server")
        message_id = sent['Message-Id']
        self.assertEqual(message_id, event.mail_message_id.message_id)

        dsn = DSN % {'to': 'compta@atelier-durand.fr', 'rcpt': 'bounce@client.example.com',
                     'message_id': message_id}
        with mute_logger('odoo.addons.mail.models.mail_thread'):
            self.env['mail.thread'].message_process(False, dsn.encode())
        self.assertEqual(event.state, 'failed', "the bounce recorded by Odoo reaches the event")
        self.assertIn('bounce@client.example.com', event.failure_reason)
        self.assertIn('550 5.1.1', event.failure_reason)
        self.assertIn(event, self.Event.search(self._failed_filter()))
        self.assertFalse(invoice.recovery_step_id)
        self.assertGreater(self.bouncing.message_bounce, 0, "Odoo's own bounce counter still works")
        self._run('2026-03-08')
        self.assertEqual(len(self._mails(self.bouncing)), 2, "the next run retries")


DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.client.example.com>
To: %(to)s
Subject: Undelivered Mail Returned to Sender
Message-Id: <20260307101010.DSN1@mx.client.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.client.example.com.
I'm sorry to have to inform you that your message could not be delivered.
<%(rcpt)s>: host mx.client.example.com said: 550 5.1.1 <%(rcpt)s>: Recipient address rejected: User unknown

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.client.example.com
Arrival-Date: Sat, 7 Mar 2026 10:10:10 +0100

Final-Recipient: rfc822; %(rcpt)s
Original-Recipient: rfc822;%(rcpt)s
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <%(rcpt)s>: Recipient address rejected: User unknown

--BOUNDARY
Content-Type: text/rfc822-headers

From: compta@atelier-durand.fr
To: %(rcpt)s
Subject: Payment reminder
Message-Id: %(message_id)s

--BOUNDARY--
"""
