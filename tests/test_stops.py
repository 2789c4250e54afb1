import csv
import io
import json
import re
import zipfile

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .common import DebtRecoveryCommon


class TestRecoveryStops(DebtRecoveryCommon):
    """Disputes, call outcomes, promises, pauses, suspension of work, agencies."""

    def _wizard(self, model, moves=None, partner=None, user=None, **vals):
        ctx = {'active_model': 'account.move', 'active_ids': moves.ids} if moves else \
            {'active_model': 'res.partner', 'active_id': partner.id}
        return self.env[model].with_user(user or self.accountant).with_context(**ctx).create(vals)

    def test_dispute_stops_then_resumes_where_it_stood(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self._run('2026-03-07')  # courteous e-mail
        with freeze_time('2026-03-09'):
            self._wizard('debt.recovery.dispute', invoice, reason='quality',
                         note="La vitrine livrée est rayée").action_confirm()
        self.assertEqual(invoice.recovery_state, 'disputed')
        self.assertEqual(invoice.recovery_dispute_date.isoformat(), '2026-03-09')
        self.assertTrue(invoice.activity_ids.filtered(lambda a: 'Dispute' in (a.summary or '')),
                        "a to-do for the invoice's responsible")
        self._run('2026-03-20')
        self._run('2026-04-05')
        self.assertEqual(len(self._step_events(invoice)), 1, "nothing is sent while disputed")
        with freeze_time('2026-04-10'):
            self._wizard('debt.recovery.dispute.resolve', invoice, resolution='resume').action_confirm()
        self.assertEqual(invoice.recovery_state, 'running')
        self._run('2026-04-10')
        # 39 days late: the catch-up rule would jump to the firm e-mail; after a dispute the plan
        # resumes where it stood: the call, and the courteous e-mail is not sent again
        self.assertEqual(self._step_events(invoice).step_id, self.step_courteous | self.step_call)
        self.assertEqual(len(self._mails(self.debtor)), 1)
        self._run('2026-04-11')
        self.assertEqual(self._step_events(invoice, self.step_firm).step_id, self.step_firm,
                         "then the plan goes on as usual")

    def test_dispute_settled_by_credit_note_and_write_off(self):
        first = self._invoice(self.debtor, '2026-03-02', 300)
        second = self._invoice(self.debtor, '2026-03-02', 200)
        (first | second).write({'recovery_dispute_reason': 'amount'})
        action = self._wizard('debt.recovery.dispute.resolve', first, resolution='credit_note',
                              amount=300).action_confirm()
        credit_note = self.env['account.move'].browse(action['res_id'])
        self.assertEqual(credit_note.move_type, 'out_refund')
        self.assertEqual(credit_note.amount_total, 300)
        credit_note.action_post()
        self.assertEqual(first.recovery_state, 'closed')
        wizard = self._wizard('debt.recovery.dispute.resolve', second, user=self.manager, resolution='write_off')
        self.assertTrue(wizard.write_off_account_id.code.startswith('654'))
        wizard.action_confirm()
        self.assertEqual(second.payment_state, 'paid')
        self.assertEqual(second.recovery_state, 'closed')

    def test_mediation_proposal_is_evidence(self):
        """Propose mediation: a French letter kept on the invoice as correspondence, an
        event, and the date of the attempt recorded on the invoice (README)."""
        invoice = self._invoice(self.debtor, '2026-03-02', 3000)
        with self.assertRaisesRegex(UserError, "not disputed"):
            invoice.action_recovery_propose_mediation()
        self.assertFalse(invoice.recovery_mediation_date)
        invoice.recovery_dispute_reason = 'quality'
        with freeze_time('2026-04-02'):
            invoice.action_recovery_propose_mediation()
        letter = self.env['ir.attachment'].search([('res_model', '=', 'account.move'), ('res_id', '=', invoice.id),
                                                   ('recovery_evidence', '=', 'correspondence')])
        self.assertEqual(len(letter), 1)
        html = letter.raw.decode()
        self.assertIn("médiation", html)
        self.assertIn("750-1", html, "the amicable attempt required up to 5 000 EUR")
        event = self.Event.search([('move_id', '=', invoice.id), ('event_type', '=', 'dispute')])
        self.assertEqual(event.mapped('note'), ["Mediation or conciliation proposed to the customer."])
        self.assertEqual(invoice.recovery_mediation_date, self.d('2026-04-02'),
                         "the action records the date of the amicable attempt on the invoice")

    def _call_todos(self, partner=None):
        return self._activities(partner or self.debtor, 'l10n_fr_debt_recovery.mail_activity_type_recovery_call')

    def _call_events(self, moves, outcome):
        return self.Event.search([('move_id', 'in', moves.ids), ('event_type', '=', 'call'),
                                  ('call_outcome', '=', outcome)])

    def test_call_no_answer_retried_twice_then_plan_moves_on(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        self._run('2026-03-17')  # call to-do
        call = self._call_todos()
        self.assertEqual(len(call), 1)
        with freeze_time('2026-03-17'):
            wizard = self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='no_answer')
            self.assertEqual(wizard.move_ids, invoice)
            self.assertEqual(wizard.activity_id, call)
            wizard.action_confirm()
        self.assertFalse(call.active, "the call to-do is marked done")
        first_retry = self._call_todos()
        self.assertEqual(len(first_retry), 1)
        self.assertEqual(first_retry.date_deadline.isoformat(), '2026-03-20', "retried after the company's delay")
        self.assertEqual(first_retry.user_id, self.accountant)
        with freeze_time('2026-03-20'):
            wizard = self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='no_answer')
            self.assertEqual(wizard.activity_id, first_retry, "the outcome completes the retry to-do")
            wizard.action_confirm()
        self.assertFalse(first_retry.active)
        second_retry = self._call_todos()
        self.assertEqual(len(second_retry), 1, "a second retry (N = 2)")
        self.assertEqual(second_retry.date_deadline.isoformat(), '2026-03-23')
        self.assertIn("attempt 3", second_retry.summary)
        with freeze_time('2026-03-23'):
            self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='no_answer').action_confirm()
        self.assertFalse(second_retry.active)
        self.assertFalse(self._call_todos(), "after two retries, no third one")
        self.assertEqual(len(self._call_events(invoice, 'no_answer')), 3)
        self.assertEqual(invoice.recovery_state, 'running')
        # the plan moves on: the firm reminder at due date + 30
        self._run('2026-03-31')
        self.assertFalse(self._step_events(invoice, self.step_firm))
        self._run('2026-04-01')
        self.assertEqual(len(self._step_events(invoice, self.step_firm)), 1)
        self.assertEqual(invoice.recovery_step_id, self.step_firm)

    def test_call_outcome_dispute(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        self._run('2026-03-17')
        call = self._call_todos()
        with freeze_time('2026-03-18'):
            self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='dispute',
                         dispute_reason='not_received').action_confirm()
        self.assertFalse(call.active)
        self.assertEqual(invoice.recovery_state, 'disputed')
        self.assertEqual(invoice.recovery_dispute_reason, 'not_received')
        self.assertEqual(len(self._call_events(invoice, 'dispute')), 1)

    def test_call_outcome_will_pay_and_wrong_number(self):
        """*Reached, will pay*: the to-do is done, the plan goes on at its pace.
        *Wrong number*: the to-do is done, the customer's record says to check the
        number, and no new call is scheduled."""
        self.debtor.phone = '+33 4 78 00 00 00'
        will_pay = self._invoice(self.debtor, '2026-03-02', 1000)
        wrong = self._invoice(self.debtor_b, '2026-03-02', 600)
        self._run('2026-03-07')
        self._run('2026-03-17')
        call_a, call_b = self._call_todos(), self._call_todos(self.debtor_b)
        self.assertEqual((len(call_a), len(call_b)), (1, 1))
        with freeze_time('2026-03-18'):
            self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='will_pay',
                         note="Virement la semaine prochaine").action_confirm()
            self._wizard('debt.recovery.call.outcome', partner=self.debtor_b, outcome='wrong_number').action_confirm()

        self.assertFalse(call_a.active, "the call to-do is marked done")
        done_message = self.debtor.message_ids.filtered(lambda m: m.mail_activity_type_id == call_a.activity_type_id)
        self.assertEqual(len(done_message), 1)
        self.assertIn("Reached: will pay", done_message.body, "the to-do is marked done with the outcome")
        event = self._call_events(will_pay, 'will_pay')
        self.assertEqual(len(event), 1)
        self.assertEqual(event.channel, 'call')
        self.assertEqual(event.note, "Call outcome: Reached: will pay. Virement la semaine prochaine")
        self.assertEqual(will_pay.recovery_state, 'running', "will pay is not a pause")
        self.assertFalse(self._call_todos(), "no retry after a reached customer")

        self.assertFalse(call_b.active)
        self.assertEqual(len(self._call_events(wrong, 'wrong_number')), 1)
        self.assertEqual(len(self.debtor_b.message_ids.filtered(
            lambda m: "wrong number (no number). Check the phone number." in (m.body or ''))), 1)
        self.assertFalse(self._call_todos(self.debtor_b), "no retry on a wrong number")
        self.assertEqual(wrong.recovery_state, 'running')

        # both plans go on: the firm reminder at due date + 30
        self._run('2026-04-01')
        for invoice in (will_pay, wrong):
            self.assertEqual(self._step_events(invoice).step_id, self.step_courteous | self.step_call | self.step_firm)
        self.assertEqual((will_pay | wrong).recovery_step_id, self.step_firm)

    def test_promise_kept_resumes_and_broken_is_recorded(self):
        kept = self._invoice(self.debtor, '2026-03-02', 1000)
        broken = self._invoice(self.debtor_b, '2026-03-02', 800)
        self._run('2026-03-17')
        with freeze_time('2026-03-18'):
            self._wizard('debt.recovery.call.outcome', partner=self.debtor, outcome='promise',
                         promise_date='2026-03-25', promise_amount=400).action_confirm()
            self._wizard('debt.recovery.call.outcome', partner=self.debtor_b, outcome='promise',
                         promise_date='2026-03-25').action_confirm()
        self.assertEqual(kept.recovery_state, 'paused')
        self.assertEqual(kept.recovery_pause_until.isoformat(), '2026-03-28', "promise date + 3 days of grace")
        self._run('2026-03-27')
        self.assertFalse(self._step_events(kept | broken, self.step_firm), "nothing is sent while a promise runs")
        self._pay(kept, 400, '2026-03-24')
        self.assertEqual(kept.recovery_state, 'running', "the promised amount is paid: the plan resumes")
        self.assertTrue(self.Event.search([('move_id', '=', kept.id), ('note', 'ilike', 'kept')]))
        self._run('2026-03-29')
        broken_event = self.Event.search([('move_id', '=', broken.id), ('event_type', '=', 'promise'),
                                          ('note', 'ilike', 'broken')])
        self.assertEqual(len(broken_event), 1, "a broken promise is evidence")
        self.assertEqual(self._step_events(broken, self.step_firm).step_id, self.step_firm,
                         "the next step runs at once")
        self.assertEqual(len(self._mails(self.debtor_b)), 1)

    def test_pause_invoice_and_whole_customer(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        other = self._invoice(self.debtor_b, '2026-03-02')
        with freeze_time('2026-03-05'):
            self._wizard('debt.recovery.pause', invoice, date_until='2026-03-15', reason="Accord").action_confirm()
            self._wizard('debt.recovery.pause', partner=self.debtor_b, date_until='2026-03-12',
                         reason="Redressement en cours d'examen").action_confirm()
        self._run('2026-03-08')
        self.assertFalse(self._mails())
        self._run('2026-03-12')
        self.assertEqual(len(self._mails(self.debtor_b)), 1, "the customer pause ended by itself")
        self.assertFalse(self._mails(self.debtor))
        self._run('2026-03-15')
        self.assertEqual(invoice.recovery_state, 'running')
        self.assertEqual(len(self._mails(self.debtor)), 1, "the invoice pause ended by itself")
        self.assertEqual(len(self._step_events(other)), 1)

    def _suspension_events(self, moves):
        return self.Event.search([('move_id', 'in', moves.ids), ('event_type', '=', 'suspension')], order='id')

    def _suspension_letters(self, partner):
        return self.env['ir.attachment'].search([('res_model', '=', 'res.partner'), ('res_id', '=', partner.id),
                                                 ('recovery_evidence', '=', 'correspondence')])

    def test_suspension_warning_then_work_suspended_after_deadline_C_civ_1219(self):
        """Exception d'inexécution: a last warning first (8 days by default), then the
        work is suspended by the daily run once the deadline has passed unpaid."""
        invoice = self._invoice(self.debtor, '2026-03-02', 700)
        with freeze_time('2026-03-20'):
            self._wizard('debt.recovery.suspend', partner=self.debtor).action_confirm()
        self.assertFalse(self.debtor.recovery_suspended, "a warning, not yet a suspension")
        self.assertEqual(self.debtor.recovery_suspension_warning_date, self.d('2026-03-20'))
        self.assertEqual(self.debtor.recovery_suspension_deadline, self.d('2026-03-28'), "8 days by default")
        notice = self.env['mail.mail'].search([('model', '=', 'res.partner'), ('res_id', '=', self.debtor.id)])
        self.assertEqual(len(notice), 1)
        self.assertIn("au plus tard le <strong>03/28/2026</strong>. À défaut de paiement intégral à cette date, nous "
                      "suspendrons l'exécution de nos prestations et livraisons à compter du <strong>03/29/2026"
                      "</strong>", notice.body_html)
        self.assertIn("conformément à l'article 1219 du Code civil", notice.body_html)
        self.assertNotIn("1220", notice.body_html, "the non-performance has already happened: 1219, not 1220")
        self.assertNotIn("1226", notice.body_html, "no termination announced")
        letter = self._suspension_letters(self.debtor)
        self.assertEqual(len(letter), 1, "the letter is kept on the customer")
        self.assertEqual(notice.attachment_ids, letter, "and sent with the e-mail")
        self.assertIn("nous suspendrons l'exécution de nos prestations", letter.raw.decode())
        [warned] = self._suspension_events(invoice)
        self.assertIn("without payment by 03/28/2026, work is suspended from 03/29/2026", warned.note)

        self._run('2026-03-28')
        self.assertFalse(self.debtor.recovery_suspended, "the customer may pay until the deadline")
        self._run('2026-03-29')
        self.assertTrue(self.debtor.recovery_suspended)
        suspended = self._suspension_events(invoice)[1:]
        self.assertEqual(len(suspended), 1)
        self.assertEqual(suspended.origin, 'cron')
        self.assertIn("the deadline of 03/28/2026 passed with 1 invoice(s) unpaid", suspended.note)
        self._run('2026-03-30')
        self.assertEqual(len(self._suspension_events(invoice)), 2, "suspended once")
        new_invoice = self._invoice(self.debtor, '2026-05-02', post=False)
        self.assertTrue(new_invoice.recovery_partner_suspended, "a banner on new invoices")
        # sales orders: tests/test_sale_bridge.py (the Sales bridge)
        self.debtor.with_user(self.manager).action_recovery_lift_suspension()
        self.assertFalse(self.debtor.recovery_suspended)
        self.assertFalse(self.debtor.recovery_suspension_deadline, "the warning ends with the suspension")
        self.assertTrue(self.debtor.message_ids.filtered(lambda m: 'lifted' in (m.body or '')))

    def test_suspension_warning_paid_in_time_no_suspension_C_civ_1219(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 700)
        disputed = self._invoice(self.debtor, '2026-03-05', 300)
        disputed.recovery_dispute_reason = 'quality'
        with freeze_time('2026-03-20'):
            wizard = self._wizard('debt.recovery.suspend', partner=self.debtor)
            self.assertEqual(wizard.move_ids, invoice, "a disputed invoice does not ground a suspension")
            wizard.action_confirm()
        self._pay(invoice, 700, '2026-03-26')
        self._run('2026-03-29')
        self.assertFalse(self.debtor.recovery_suspended, "paid by the deadline: the work goes on")
        self.assertFalse(self.debtor.recovery_suspension_deadline, "the warning is over")
        self.assertTrue(self.debtor.message_ids.filtered(lambda m: 'the work goes on' in (m.body or '')))
        with freeze_time('2026-03-30'), self.assertRaisesRegex(UserError, "owes nothing overdue"):
            self._wizard('debt.recovery.suspend', partner=self.debtor).action_confirm()

    def test_suspend_now_or_withdraw_the_warning_C_civ_1219(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 700)
        with freeze_time('2026-03-20'):
            self._wizard('debt.recovery.suspend', partner=self.debtor, deadline='2026-04-03').action_confirm()
            with self.assertRaises(AccessError):
                self.debtor.with_user(self.accountant).action_recovery_suspend_now()
            self.debtor.with_user(self.manager).action_recovery_suspend_now()
        self.assertTrue(self.debtor.recovery_suspended, "a manager suspends before the deadline")
        self.assertIn("Work suspended at once by Claire Manager", self._suspension_events(invoice)[-1].note)
        self._run('2026-04-05')
        self.assertEqual(len(self._suspension_events(invoice)), 2, "the daily run does not suspend again")
        # a warning withdrawn: no suspension at the deadline
        other = self._invoice(self.debtor_b, '2026-03-02', 400)
        with freeze_time('2026-03-20'):
            self._wizard('debt.recovery.suspend', partner=self.debtor_b).action_confirm()
            self.debtor_b.with_user(self.accountant).action_recovery_withdraw_suspension_warning()
        self.assertFalse(self.debtor_b.recovery_suspension_deadline)
        self.assertIn("withdrawn by Paul Comptable", self._suspension_events(other)[-1].note)
        self._run('2026-04-05')
        self.assertFalse(self.debtor_b.recovery_suspended)

    def test_suspension_notice_announces_termination_C_civ_1226(self):
        """With *Terminate*, the notice is the formal notice of C. civ. 1226: a reasonable
        time, and the express warning that failing payment the contract may be terminated;
        it is printed for registered post."""
        self._invoice(self.debtor, '2026-03-02', 700)
        with freeze_time('2026-03-20'):
            with self.assertRaisesRegex(UserError, "reasonable time"):
                self._wizard('debt.recovery.suspend', partner=self.debtor, deadline='2026-03-25',
                             terminate=True).action_confirm()
            action = self._wizard('debt.recovery.suspend', partner=self.debtor, terminate=True).action_confirm()
        self.assertEqual(action['report_name'], 'l10n_fr_debt_recovery.report_suspension_notice',
                         "the letter to send by registered post")
        self.assertTrue(self.debtor.recovery_suspension_terminate)
        letter = self._suspension_letters(self.debtor).raw.decode()
        for text in (letter, self._mails(self.debtor).body_html):
            self.assertIn("à défaut de paiement dans ce délai, nous serons en droit de résoudre le contrat, "
                          "conformément à l'article 1226 du Code civil", re.sub(r'\s+', ' ', text).replace('À', 'à'))
        self.assertIn("Lettre recommandée avec demande d'avis de réception", letter)
        self.assertIn("mise en demeure", letter)
        self.assertIn("28 mars 2026", letter, "the deadline as a date in the letter")
        self.assertIn("29 mars 2026", letter, "and the first day of the suspension")

    def test_upgrade_rewords_the_shipped_suspension_notice_C_civ_1219(self):
        """19.0.1.2.0: the notice of 19.0.1.1.0 suspended at once under 1219-1220; its
        shipped text (noupdate record) is replaced, a reworded one is kept."""
        from .test_consumers import _migration
        post = _migration('19.0.1.2.0', 'post-migrate.py')
        template = self.env.ref('l10n_fr_debt_recovery.mail_template_suspension_notice')
        old = "<p>%s l'exécution de nos prestations.</p>" % post.OLD_SUSPENSION_SENTENCE

        def set_body(values):
            self.env.flush_all()
            self.env.cr.execute("UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
                                [json.dumps(values), template.id])
            self.env.invalidate_all()

        def body():
            self.env.cr.execute("SELECT body_html FROM mail_template WHERE id = %s", [template.id])
            return self.env.cr.fetchone()[0]

        set_body({'en_US': old, 'fr_FR': old})
        post.reword_suspension_notice(self.env.cr)
        new = body()
        self.assertEqual(list(new), ['en_US'], "the old translation does not outlive the old text")
        self.assertIn("conformément à l'article 1219 du Code civil", new['en_US'])
        self.assertNotIn("1220", new['en_US'])
        self.assertTrue(self.env['ir.model.data']._xmlid_lookup(
            'l10n_fr_debt_recovery.mail_template_suspension_notice') and self.env['ir.model.data'].search([
                ('module', '=', 'l10n_fr_debt_recovery'), ('name', '=', 'mail_template_suspension_notice')]).noupdate)
        reworded = {'en_US': "<p>Nos propres mots (articles 1219 et 1220).</p>"}
        set_body(reworded)
        post.reword_suspension_notice(self.env.cr)
        self.assertEqual(body(), reworded, "a manager's wording is kept")

    def test_hand_over_to_agency(self):
        agency = self.env['res.partner'].create({
            'name': 'Recouvrement Express', 'is_company': True, 'recovery_is_agency': True,
            'recovery_agency_commission': 15.0})
        first = self._invoice(self.debtor, '2026-03-02', 1000)
        second = self._invoice(self.debtor, '2026-03-10', 250)
        self._run('2026-04-16')
        case = self.env['debt.recovery.case'].search([('partner_id', '=', self.debtor.id)])
        with self.assertRaises(AccessError):
            self.env['debt.recovery.agency.wizard'].with_user(self.accountant).with_context(
                active_model='debt.recovery.case', active_id=case.id).create({'agency_id': agency.id}).action_confirm()
        with freeze_time('2026-04-20'):
            action = self.env['debt.recovery.agency.wizard'].with_user(self.manager).with_context(
                active_model='debt.recovery.case', active_id=case.id).create({'agency_id': agency.id}).action_confirm()
        handoff = self.env['debt.recovery.agency.handoff'].browse(action['res_id'])
        self.assertEqual(handoff.move_ids, first | second)
        self.assertEqual(case.state, 'closed')
        self.assertEqual(case.close_reason, 'agency')
        self.assertEqual(set((first | second).mapped('recovery_state')), {'agency'})
        self._run('2026-05-20')
        self.assertEqual(len(self._mails(self.debtor)), 1, "the machine stopped: only the earlier firm e-mail")
        archive = zipfile.ZipFile(io.BytesIO(handoff.zip_attachment_id.raw))
        names = archive.namelist()
        self.assertIn('creances.csv', names)
        rows = list(csv.reader(io.StringIO(archive.read('creances.csv').decode('utf-8-sig')), delimiter=';'))
        self.assertEqual(rows[0][:4], ['Débiteur', 'Type de débiteur', 'Forme juridique', 'SIREN'])
        self.assertEqual(len(rows), 3)
        self.assertEqual({r[13] for r in rows[1:]}, {first.name, second.name})
        self.assertEqual({r[19] for r in rows[1:]}, {'1000,00', '250,00'})
        self.assertTrue(all(float(r[20].replace(',', '.')) > 0 and r[21] == '40,00' for r in rows[1:]),
                        "penalties and indemnity (the columns in detail: test_agency_export.py)")
        self.assertEqual(len([n for n in names if n.startswith('factures/')]), 2)
        self.assertIn('historique_relances.csv', names)
        handoff.write({'amount_recovered': 1000.0})
        self.assertEqual(handoff.amount_commission, 150.0)
        handoff.action_record_return()
        self.assertEqual(handoff.state, 'done')
