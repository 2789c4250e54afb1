from unittest.mock import patch

from odoo import Command
from odoo.tools import formatLang

from .common import DebtRecoveryCommon


class TestRecoveryEngine(DebtRecoveryCommon):

    def test_ladder_one_message_per_debtor_and_step(self):
        """Three invoices due the same day: one e-mail at +5, a call at +15,
        the firm e-mail at +30, the formal-notice to-do at +45."""
        invoices = self._invoice(self.debtor, '2026-03-02', 1000) \
            | self._invoice(self.debtor, '2026-03-02', 250) \
            | self._invoice(self.debtor, '2026-03-02', 80)
        self.assertEqual(set(invoices.mapped('recovery_state')), {'running'})
        self.assertEqual(set(invoices.mapped('recovery_next_date')), {self.d('2026-03-07')})

        self._run('2026-03-06')
        self.assertFalse(self._mails(self.debtor), "nothing is due before due date + 5")

        self._run('2026-03-07')
        mail = self._mails(self.debtor)
        self.assertEqual(len(mail), 1, "one e-mail for the debtor, listing its three invoices")
        for invoice in invoices:
            self.assertIn(invoice.name, mail.body_html)
        self.assertIn('/my/invoices/', mail.body_html, "the e-mail carries the online payment links")
        self.assertEqual(mail.recipient_ids, self.debtor)
        self.assertEqual(mail.state, 'outgoing')
        events = self._step_events(invoices, self.step_courteous)
        self.assertEqual(len(events), 3)
        self.assertEqual(events.mail_id, mail)
        self.assertEqual(set(events.mapped('origin')), {'cron'})
        self.assertEqual(invoices.recovery_step_id, self.step_courteous)
        self.assertEqual(set(invoices.mapped('recovery_next_date')), {self.d('2026-03-17')})
        for invoice in invoices:
            self.assertTrue(invoice.message_ids.filtered(lambda m: self.step_courteous.name in (m.body or '')),
                            "the reminder is logged in the invoice's chatter")

        self._run('2026-03-17')
        self.assertEqual(len(self._mails(self.debtor)), 1, "the call step sends no e-mail")
        call = self._activities(self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call')
        self.assertEqual(len(call), 1, "one call to-do for the debtor")
        self.assertEqual(call.user_id, self.accountant)
        self.assertEqual(self._step_events(invoices, self.step_call).activity_id, call)

        self._run('2026-04-01')
        firm = self._mails(self.debtor) - mail
        self.assertEqual(len(firm), 1)
        self.assertIn('L441-10', firm.body_html, "the firm reminder names the legal basis of penalties")
        self.assertIn('a fixed indemnity for recovery costs of 40 euros per invoice (article D441-5',
                      firm.body_html)
        # 30 days at 12.15 %: 1000 -> 9.99, 250 -> 2.50 (2.4966), 80 -> 0.80 (0.7989); 3 x 40 EUR
        fr_env = self.env(context=dict(self.env.context, lang=self.debtor.lang))
        eur = self.company.currency_id
        self.assertIn('the late-payment penalties amount to <strong>%s</strong> and the recovery indemnities '
                      'to <strong>%s</strong>' % (formatLang(fr_env, 13.29, currency_obj=eur),
                                                  formatLang(fr_env, 120.0, currency_obj=eur)), firm.body_html)
        self.assertEqual(len(firm.attachment_ids), 3, "the firm reminder carries the three invoices")
        self.assertEqual(invoices.recovery_step_id, self.step_firm)

        self._run('2026-04-16')
        case = self.env['debt.recovery.case'].search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(len(case), 1, "the formal-notice step gathers the invoices into a case")
        self.assertEqual(case.move_ids, invoices)
        self.assertEqual(case.state, 'draft')
        self.assertEqual(set(invoices.mapped('recovery_state')), {'case'})
        notice = case.activity_ids
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.activity_type_id,
                         self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice'))
        self.assertEqual(notice.user_id, self.manager, "the formal notice is prepared by a manager")
        self.assertEqual(invoices.recovery_step_id, self.step_notice)
        self.assertFalse(invoices.recovery_next_step_id, "the plan is finished")
        self.assertEqual(len(self._step_events(invoices)), 12)

    def test_batch_renders_each_debtor_its_own_reminder(self):
        """Three debtors of one language in a batch: the body is compiled once and
        each e-mail lists only its own debtor's invoices; a reworded template is
        used from the next run on."""
        from odoo.addons.l10n_fr_debt_recovery.models import ir_qweb
        third = self.debtor_b.copy({'name': 'Menuiserie Roux SARL', 'email': 'compta@roux.fr'})
        self.debtor.lang = self.debtor_b.lang
        invoices = {partner: self._invoice(partner, '2026-03-02', amount)
                    for partner, amount in ((self.debtor, 111), (self.debtor_b, 222), (third, 333))}
        ir_qweb._COMPILED_REMINDERS.clear()
        self._run('2026-03-07')
        self.assertEqual(len(ir_qweb._COMPILED_REMINDERS), 1, "one compilation for the three e-mails")
        for partner, invoice in invoices.items():
            mail = self._mails(partner)
            self.assertEqual(len(mail), 1)
            self.assertIn(partner.name, mail.body_html)
            self.assertIn(invoice.name, mail.body_html)
            for other in set(invoices) - {partner}:
                self.assertNotIn(invoices[other].name, mail.body_html)
                self.assertNotIn(other.name, mail.body_html)

        template = self.step_courteous.mail_template_id
        template.body_html = template.body_html.replace('Dear', 'Hello dear')
        later = self._invoice(self.debtor_b, '2026-03-10', 444)
        self._run('2026-03-15')
        mail = self._mails(self.debtor_b).filtered(lambda m: later.name in m.body_html)
        self.assertEqual(len(mail), 1)
        self.assertIn('Hello dear', mail.body_html, "the edited template is compiled anew")

    def test_run_twice_same_day_sends_once(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._run('2026-03-07')
        self._run('2026-03-07')
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertEqual(len(self._step_events(invoice)), 1)

    def test_crash_inside_a_batch_leaves_nothing(self):
        """An exception after the first debtor rolls the whole batch back; the
        next run sends each reminder exactly once."""
        invoices = self._invoice(self.debtor, '2026-03-02') | self._invoice(self.debtor_b, '2026-03-02')
        engine_cls = type(self.env['debt.recovery.channel'])
        original = engine_cls._prepare
        calls = []

        def crashing_prepare(engine, group):
            calls.append(group.partner)
            if len(calls) > 1:
                raise RuntimeError("worker killed")
            return original(engine, group)

        with patch.object(engine_cls, '_prepare', crashing_prepare):
            with self.assertRaises(RuntimeError):
                self._run('2026-03-07')
        self.assertEqual(len(calls), 2, "the crash happened after the first debtor")
        self.assertFalse(self._mails(), "a failed batch leaves no e-mail")
        self.assertFalse(self._step_events(invoices), "a failed batch leaves no event")
        self.assertFalse(invoices.recovery_step_id, "a failed batch moves no stage")

        self._run('2026-03-07')
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertEqual(len(self._mails(self.debtor_b)), 1)
        self._run('2026-03-07')
        self.assertEqual(len(self._mails()), 2)

    def test_crash_between_batches_no_duplicate_none_lost(self):
        """Batches of one debtor: the first batch survives a crash in the second,
        and the rerun completes the second without repeating the first."""
        self.env['ir.config_parameter'].sudo().set_param('l10n_fr_debt_recovery.batch_size', 1)
        self._invoice(self.debtor, '2026-03-02')
        self._invoice(self.debtor_b, '2026-03-02')
        engine_cls = type(self.env['debt.recovery.channel'])
        original = engine_cls._prepare
        seen = []

        def crash_on_second(engine, group):
            seen.append(group.partner)
            if len(seen) == 2:
                raise RuntimeError("worker killed")
            return original(engine, group)

        # (not assertRaises: it would roll back the first batch too)
        with patch.object(engine_cls, '_prepare', crash_on_second):
            try:
                self._run('2026-03-07')
            except RuntimeError:
                pass
            else:
                self.fail("the simulated crash did not happen")
        self.assertEqual(len(self._mails()), 1, "the first batch was done before the crash")
        self._run('2026-03-07')
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertEqual(len(self._mails(self.debtor_b)), 1)

    def test_debtor_listed_then_settled_during_the_run_is_skipped(self):
        """The debtors are listed when the run starts; each batch reads again which of
        their invoices are still due: one paid, one blocked meanwhile are left alone."""
        self.env['ir.config_parameter'].sudo().set_param('l10n_fr_debt_recovery.batch_size', 1)
        third = self.debtor_b.copy({'name': 'Menuiserie Roux SARL', 'email': 'compta@roux.fr'})
        first = self._invoice(self.debtor, '2026-03-02')
        paid = self._invoice(self.debtor_b, '2026-03-02')
        blocked = self._invoice(third, '2026-03-02')
        engine_cls = type(self.env['debt.recovery.engine'])
        original = engine_cls._execute
        batches = []

        def execute_then_settle(engine, groups):
            batches.append([group.partner for group in groups])
            if len(batches) == 1:
                # while the first debtor is reminded, the others settle or get blocked
                self._pay(paid, 1000, '2026-03-07')
                third.with_company(self.company).recovery_blocked = True
            return original(engine, groups)

        with patch.object(engine_cls, '_execute', execute_then_settle):
            self._run('2026-03-07')
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self.assertEqual(batches[0], [self.debtor])
        self.assertFalse(any(batches[1:]), "the other batches found nothing still due")
        self.assertFalse(self._mails(self.debtor_b) | self._mails(third))
        self.assertFalse(self._step_events(paid | blocked))
        self.assertEqual(self._step_events(first).step_id, self.step_courteous)

    def test_paid_invoice_leaves_the_plan(self):
        paid, other = self._invoice(self.debtor, '2026-03-02', 500), self._invoice(self.debtor, '2026-03-02', 300)
        self._run('2026-03-17')  # catch-up: straight to the call step
        call = self._activities(self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call')
        self.assertEqual(len(call), 1)
        self._pay(paid, 500, '2026-03-20')
        self.assertEqual(paid.recovery_state, 'closed')
        self.assertFalse(paid.recovery_next_date)
        self.assertTrue(self.Event.search([('move_id', '=', paid.id), ('event_type', '=', 'payment')]))
        self.assertTrue(call.exists(), "the call still concerns the other unpaid invoice")
        self._pay(other, 300, '2026-03-21')
        self.assertFalse(call.exists(), "the call to-do is cancelled once everything it was about is paid")
        self._run('2026-04-01')
        self.assertFalse(self._mails(self.debtor), "nothing is sent for paid invoices")

    def test_partly_paid_invoice_stays_with_amount_updated(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        self._run('2026-03-07')
        self._pay(invoice, 300, '2026-03-10')
        self.assertEqual(invoice.payment_state, 'partial')
        self.assertEqual(invoice.recovery_state, 'running')
        self._run('2026-04-01')
        firm = self._mails(self.debtor).filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(firm), 1)
        self.assertIn(formatLang(self.env, 700.0, currency_obj=invoice.currency_id), firm.body_html)
        event = self._step_events(invoice, self.step_firm)
        self.assertEqual(event.amount_residual, 700.0)

    def test_catch_up_runs_only_the_step_due_now(self):
        """An invoice already 40 days late gets the firm reminder, not four messages."""
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._run('2026-04-11')
        mails = self._mails(self.debtor)
        self.assertEqual(len(mails), 1)
        self.assertEqual(self._step_events(invoice).step_id, self.step_firm)
        self.assertFalse(self._activities(self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call'))
        self.assertEqual(invoice.recovery_next_step_id, self.step_notice)

    def test_nothing_sent_blocked_minimum_paused(self):
        blocked = self.env['res.partner'].create({'name': 'Bloqué SA', 'is_company': True,
                                                  'email': 'bloque@example.fr', 'recovery_blocked': True})
        small = self.env['res.partner'].create({'name': 'Petit Montant SARL', 'is_company': True,
                                                'email': 'petit@example.fr'})
        self.company.recovery_min_amount = 100.0
        self._invoice(blocked, '2026-03-02', 5000)
        self._invoice(small, '2026-03-02', 60)
        paused = self._invoice(self.debtor, '2026-03-02', 900)
        with self.subTest("paused"):
            from freezegun import freeze_time
            with freeze_time('2026-03-05'):
                paused.write({'recovery_pause_until': '2026-03-20', 'recovery_pause_reason': "Promised by phone"})
            self.assertEqual(paused.recovery_state, 'paused')
        self._run('2026-03-07')
        self.assertFalse(self._mails(), "blocked, below minimum and paused: nothing sent")
        # the small debtor owes more now: the minimum is about the total overdue
        self._invoice(small, '2026-03-03', 50)
        self._run('2026-03-08')
        self.assertEqual(len(self._mails(small)), 1)
        self.assertFalse(self._mails(blocked))
        # the pause ends by itself
        self._run('2026-03-20')
        self.assertEqual(paused.recovery_state, 'running')
        self.assertFalse(self._mails(self.debtor))
        self.assertEqual(self._step_events(paused).step_id, self.step_call,
                         "the plan resumes with the step due now (18 days late: the call)")

    def test_other_company_invoices_stay_apart(self):
        company_b = self.setup_other_company(name='Société B')['company']
        company_b.write({'email': 'b@societe-b.fr', 'recovery_plan_id': False})
        invoice_a = self._invoice(self.debtor, '2026-03-02')
        invoice_b = self._invoice(self.debtor, '2026-03-02', company=company_b)
        self.assertFalse(invoice_b.recovery_next_date, "company B has no plan: nothing planned")
        self._run('2026-03-07')
        mail = self._mails(self.debtor)
        self.assertEqual(len(mail), 1)
        self.assertIn(f'/my/invoices/{invoice_a.id}?', mail.body_html)
        self.assertNotIn(f'/my/invoices/{invoice_b.id}?', mail.body_html)
        self.assertFalse(self._step_events(invoice_b))
        # with a plan of its own, company B writes its own message, from its own address
        company_b.recovery_plan_id = self.plan
        self._run('2026-03-08')
        mail_b = self._mails(self.debtor) - mail
        self.assertEqual(len(mail_b), 1)
        self.assertIn('b@societe-b.fr', mail_b.email_from)
        self.assertIn(f'/my/invoices/{invoice_b.id}?', mail_b.body_html)
        self.assertNotIn(f'/my/invoices/{invoice_a.id}?', mail_b.body_html)

    def test_debtor_without_email_gets_a_letter_todo(self):
        no_mail = self.env['res.partner'].create({'name': 'Sans Courriel SARL', 'is_company': True})
        invoice = self._invoice(no_mail, '2026-03-02')
        self._run('2026-03-07')
        self.assertFalse(self._mails(no_mail))
        event = self._step_events(invoice, self.step_courteous)
        self.assertEqual(event.channel, 'letter')
        self.assertIn('no e-mail address', event.note)
        letter = self._activities(no_mail, 'l10n_fr_debt_recovery.mail_activity_type_recovery_letter')
        self.assertEqual(len(letter), 1)

    def test_broken_template_fails_the_group_only(self):
        """A template that fails for one debtor of the batch: that debtor's step fails
        with the reason, the other debtor of the same step is reminded."""
        # Odoo refuses to save a template that does not render: break it the way an
        # upgrade removing a field would, behind the ORM's back, for one debtor only.
        template = self.step_courteous.mail_template_id
        broken = '<p t-out="object.name"/><p t-if="object.id == %d" t-out="object.no_such_field"/>' % self.debtor_b.id
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s, 'fr_FR', %s) WHERE id = %s",
            [broken, broken, template.id])
        template.invalidate_recordset(['body_html'])
        sent = self._invoice(self.debtor, '2026-03-02')
        failing = self._invoice(self.debtor_b, '2026-03-02')
        self._run('2026-03-07')

        mail = self._mails(self.debtor)
        self.assertEqual(len(mail), 1, "the other debtor of the batch is reminded")
        self.assertIn(self.debtor.name, mail.body_html)
        self.assertEqual(self._step_events(sent, self.step_courteous).mail_id, mail)
        self.assertEqual(sent.recovery_step_id, self.step_courteous)

        self.assertFalse(self._mails(self.debtor_b))
        failed = self._step_events(failing, state='failed')
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed.step_id, self.step_courteous)
        self.assertIn('no_such_field', failed.failure_reason)
        self.assertFalse(self._step_events(failing), "a failed step is not done")
        self.assertFalse(failing.recovery_step_id)
        self.assertFalse(self._step_events(sent, state='failed'))

    def test_delivery_failure_steps_back_and_retries(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._run('2026-03-07')
        mail = self._mails(self.debtor)
        mail._postprocess_sent_message(success_pids=self.env['res.partner'], success_emails=[],
                                       failure_reason="550 mailbox unavailable", failure_type='mail_smtp')
        event = self.Event.search([('mail_id', '=', mail.id)])
        self.assertEqual(event.state, 'failed')
        self.assertEqual(event.failure_reason, "550 mailbox unavailable")
        self.assertFalse(invoice.recovery_step_id, "an undelivered reminder is not a step done")
        self._run('2026-03-08')
        self.assertEqual(len(self._mails(self.debtor)), 2, "the next run retries the step")
        self.assertEqual(invoice.recovery_step_id, self.step_courteous)

    def test_plan_change_reschedules(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.step_courteous.delay = 8
        self.assertEqual(invoice.recovery_next_date, self.d('2026-03-10'))
        self.step_courteous.delay = 5

    def test_draft_and_credit_note_not_in_recovery(self):
        draft = self._invoice(self.debtor, '2026-03-02', post=False)
        self.assertEqual(draft.recovery_state, 'none')
        invoice = self._invoice(self.debtor, '2026-03-02', 400)
        refund = self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=invoice.ids,
        ).create({'journal_id': invoice.journal_id.id, 'date': '2026-03-04'}).refund_moves()
        credit_note = self.env['account.move'].browse(refund['res_id'])
        credit_note.action_post()  # posting a reversal reconciles it with the invoice
        self.assertEqual(credit_note.recovery_state, 'none')
        self.assertEqual(invoice.recovery_state, 'closed', "a credit note settling the invoice ends recovery")
        self._run('2026-03-07')
        self.assertFalse(self._mails())
        self.assertEqual(invoice.recovery_event_count, 1)

    def test_sms_step(self):
        sms_step = self.env.ref('l10n_fr_debt_recovery.debt_recovery_step_sms')
        sms_step.active = True
        self.debtor.phone = '+33 6 12 34 56 78'
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.step_call.active = False
        self._run('2026-03-22')
        sms = self.env['sms.sms'].search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(invoice.currency_id.symbol, sms.body)
        self.assertEqual(self._step_events(invoice, sms_step).sms_id, sms)
        self.step_call.active = True
        sms_step.active = False

    def test_instalments_count_from_the_oldest_unpaid(self):
        term = self.env['account.payment.term'].create({
            'name': '30 % now, 70 % at 30 days',
            'line_ids': [Command.create({'value': 'percent', 'value_amount': 30, 'nb_days': 0}),
                         Command.create({'value': 'percent', 'value_amount': 70, 'nb_days': 30})],
        })
        invoice = self.env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': self.debtor.id, 'invoice_date': '2026-03-01',
            'invoice_payment_term_id': term.id,
            'invoice_line_ids': [Command.create({'name': 'Chantier', 'price_unit': 1000, 'tax_ids': [Command.clear()]})],
        })
        invoice.action_post()
        self.assertEqual(invoice.recovery_due_date, self.d('2026-03-01'))
        self._pay(invoice, 300, '2026-03-01')
        self.assertEqual(invoice.recovery_due_date, self.d('2026-03-31'),
                         "once the deposit is paid, delays count from the balance's due date")
        self.assertEqual(invoice.recovery_next_date, self.d('2026-04-05'))

    def test_install_hooks_fill_existing_invoices_in_sql(self):
        """Installing on a database with invoices fills the stored columns in SQL
        (what the ORM would otherwise recompute invoice by invoice)."""
        from odoo.addons.l10n_fr_debt_recovery.hooks import _post_init_hook, _pre_init_hook
        invoice = self._invoice(self.debtor, '2026-03-02')
        paid = self._invoice(self.debtor, '2026-03-02', 100)
        self._pay(paid, 100, '2026-03-03')
        self.env.flush_all()
        self.env.cr.execute("""
            ALTER TABLE account_move ALTER COLUMN recovery_state DROP NOT NULL;
            UPDATE account_move SET recovery_state = NULL, recovery_due_date = NULL, recovery_plan_id = NULL,
                   recovery_next_step_id = NULL, recovery_next_date = NULL WHERE id IN %s
        """, [(invoice.id, paid.id)])
        _pre_init_hook(self.env)
        _post_init_hook(self.env)
        self.env.cr.execute("ALTER TABLE account_move ALTER COLUMN recovery_state SET NOT NULL")
        (invoice | paid).invalidate_recordset()
        self.assertEqual(invoice.recovery_state, 'running')
        self.assertEqual(invoice.recovery_due_date, self.d('2026-03-02'))
        self.assertEqual(invoice.recovery_plan_id, self.plan)
        self.assertEqual(invoice.recovery_next_step_id, self.step_courteous)
        self.assertEqual(invoice.recovery_next_date, self.d('2026-03-07'))
        self.assertEqual(paid.recovery_state, 'none')
        self._run('2026-03-07')
        self.assertEqual(len(self._mails(self.debtor)), 1)
