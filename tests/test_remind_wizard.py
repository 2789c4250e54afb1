from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .common import DebtRecoveryCommon


class TestRemindWizard(DebtRecoveryCommon):

    def _open_wizard(self, invoices, user=None):
        invoices = invoices.with_user(user or self.accountant)
        action = invoices.action_recovery_remind()
        return self.env['debt.recovery.remind'].with_user(user or self.accountant).browse(action['res_id'])

    @freeze_time('2026-03-08')
    def test_remind_one_invoice(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        wizard = self._open_wizard(invoice)
        self.assertEqual(len(wizard.line_ids), 1)
        line = wizard.line_ids
        self.assertEqual(line.step_id, self.step_courteous, "the step due now is proposed")
        self.assertEqual(line.channel, 'email')
        self.assertIn(invoice.name, line.preview_body, "the preview shows the message")
        self.assertIn(self.debtor.email, line.preview_body)
        wizard.action_send()
        mail = self._mails(self.debtor)
        self.assertEqual(len(mail), 1)
        event = self._step_events(invoice, self.step_courteous)
        self.assertEqual(event.origin, 'manual')
        self.assertEqual(event.user_id, self.accountant)
        self.assertEqual(invoice.recovery_step_id, self.step_courteous)
        # the scheduled run the same day does not send it again
        self.env['account.move']._cron_debt_recovery()
        self.assertEqual(len(self._mails(self.debtor)), 1)

    @freeze_time('2026-03-20')
    def test_remind_several_invoices_of_two_debtors(self):
        a1 = self._invoice(self.debtor, '2026-03-02', 100)
        a2 = self._invoice(self.debtor, '2026-03-10', 200)
        b1 = self._invoice(self.debtor_b, '2026-03-14', 300)
        wizard = self._open_wizard(a1 | a2 | b1)
        self.assertEqual(len(wizard.line_ids), 2, "one line per debtor")
        line_a = wizard.line_ids.filtered(lambda l: l.partner_id == self.debtor)
        line_b = wizard.line_ids.filtered(lambda l: l.partner_id == self.debtor_b)
        self.assertEqual(line_a.step_id, self.step_call, "a1 is 18 days late: the call is due")
        self.assertEqual(line_b.step_id, self.step_courteous, "b1 is 6 days late: the courteous e-mail")
        # the user chooses another step for the first debtor: an e-mail rather than the call
        line_a.step_id = self.step_courteous
        self.assertEqual(line_a.channel, 'email')
        wizard.action_send()
        self.assertEqual(len(self._mails(self.debtor)), 1, "one message per debtor")
        self.assertEqual(len(self._mails(self.debtor_b)), 1)
        mail_a = self._mails(self.debtor)
        self.assertIn(a1.name, mail_a.body_html)
        self.assertIn(a2.name, mail_a.body_html)
        self.assertEqual(len(self._step_events(a1 | a2 | b1, self.step_courteous)), 3)

    @freeze_time('2026-03-08')
    def test_unticked_customer_is_not_reminded(self):
        """Unticking a customer (``include``) in Relancer: nothing is sent to it, the
        other customer is reminded."""
        kept = self._invoice(self.debtor_b, '2026-03-02', 300)
        unticked = self._invoice(self.debtor, '2026-03-02', 200)
        wizard = self._open_wizard(kept | unticked)
        self.assertEqual(len(wizard.line_ids), 2)
        self.assertTrue(all(wizard.line_ids.mapped('include')), "every customer is ticked by default")
        wizard.line_ids.filtered(lambda l: l.partner_id == self.debtor).include = False
        result = wizard.action_send()
        self.assertEqual(result['params']['message'],
                         "1 e-mail(s) queued, sent by the outgoing mail queue within minutes, for 1 invoice(s).")
        self.assertFalse(self._mails(self.debtor), "nothing is sent to the unticked customer")
        self.assertFalse(self.Event.search([('move_id', '=', unticked.id)]))
        self.assertFalse(unticked.recovery_step_id)
        self.assertEqual(len(self._mails(self.debtor_b)), 1)
        self.assertEqual(self._step_events(kept, self.step_courteous).origin, 'manual')
        # the unticked customer stays in the plan: the scheduled run reminds it as usual
        self.env['account.move']._cron_debt_recovery()
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertEqual(len(self._mails(self.debtor_b)), 1)

    @freeze_time('2026-03-08')
    def test_no_customer_ticked_is_refused(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        wizard = self._open_wizard(invoice)
        wizard.line_ids.include = False
        with self.assertRaisesRegex(UserError, "Tick at least one customer"):
            wizard.action_send()
        self.assertFalse(self._mails())

    @freeze_time('2026-03-20')
    def test_channel_override_to_call(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        wizard = self._open_wizard(invoice)
        wizard.line_ids.write({'step_id': self.step_courteous.id, 'channel': 'call'})
        wizard.action_send()
        self.assertFalse(self._mails(self.debtor))
        self.assertEqual(self._step_events(invoice).channel, 'call')
        self.assertEqual(len(self._activities(self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call')), 1)

    @freeze_time('2026-03-08')
    def test_already_done_is_skipped_unless_sent_again(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.env['account.move']._cron_debt_recovery()
        wizard = self._open_wizard(invoice)
        line = wizard.line_ids
        line.step_id = self.step_courteous
        result = wizard.action_send()
        self.assertEqual(len(self._mails(self.debtor)), 1, "a step already done is not sent twice")
        self.assertIn(invoice.name, result['params']['message'])
        wizard = self._open_wizard(invoice)
        wizard.line_ids.write({'step_id': self.step_courteous.id, 'resend': True})
        wizard.action_send()
        self.assertEqual(len(self._mails(self.debtor)), 2, "sent again on purpose")
        forced = self._step_events(invoice, self.step_courteous).filtered('forced')
        self.assertEqual(len(forced), 1)

    def test_refuses_paid_draft_and_vendor_bills(self):
        paid = self._invoice(self.debtor, '2026-03-02', 100)
        self._pay(paid, 100, '2026-03-03')
        with self.assertRaisesRegex(UserError, "already paid"):
            paid.with_user(self.accountant).action_recovery_remind()
        draft = self._invoice(self.debtor, '2026-03-02', post=False)
        with self.assertRaisesRegex(UserError, "not posted"):
            draft.with_user(self.accountant).action_recovery_remind()
        with self.assertRaisesRegex(UserError, "at least one"):
            self.env['account.move'].with_user(self.accountant).action_recovery_remind()
        bill = self._create_invoice_one_line(
            move_type='in_invoice', price_unit=500.0, partner_id=self.debtor, invoice_date='2026-02-01',
            invoice_date_due='2026-03-02', tax_ids=self.env['account.tax'], post=True)
        self.assertEqual((bill.move_type, bill.state, bill.payment_state), ('in_invoice', 'posted', 'not_paid'))
        with self.assertRaisesRegex(UserError, "is not a customer invoice"):
            bill.with_user(self.accountant).action_recovery_remind()
        customer_invoice = self._invoice(self.debtor, '2026-03-02')
        with self.assertRaisesRegex(UserError, "is not a customer invoice"):
            (customer_invoice | bill).with_user(self.accountant).action_recovery_remind()
        self.assertEqual(bill.recovery_state, 'none', "a vendor bill never enters recovery")
        self._run('2026-03-20')
        self.assertFalse(self.Event.search([('move_id', '=', bill.id)]))

    def test_refuses_disputed(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        invoice.recovery_dispute_reason = 'quality'
        self.assertEqual(invoice.recovery_state, 'disputed')
        with self.assertRaisesRegex(UserError, "disputed"):
            invoice.with_user(self.accountant).action_recovery_remind()
        self._run('2026-03-20')
        self.assertFalse(self._mails(self.debtor), "nothing is sent while disputed")
        invoice.recovery_dispute_reason = False
        self.assertEqual(invoice.recovery_state, 'running')

    def test_user_without_recovery_group_cannot_remind(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        plain = self.env['res.users'].create({
            'name': 'Facturier', 'login': 'facturier', 'email': 'f@atelier-durand.fr',
            'company_id': self.company.id, 'company_ids': [(6, 0, self.company.ids)],
            'group_ids': [(6, 0, [self.env.ref('account.group_account_invoice').id])],
        })
        self.assertFalse(plain.has_group('l10n_fr_debt_recovery.group_recovery_user'))
        with self.assertRaises(AccessError):
            invoice.with_user(plain).action_recovery_remind()
        with self.assertRaises(AccessError):
            self.env['debt.recovery.remind'].with_user(plain).create({'move_ids': [(6, 0, invoice.ids)]})
