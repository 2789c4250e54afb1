"""What the screens say: the status and next action of an invoice (never a past date,
a customer never reminded says so), the Relancer wizard (the channel that will be
used, a warning and a question before reminding such a customer, queued or sent),
the to-dos that close when their work is done, translated selections, one Overdue
filter and the dashboard's figures."""
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tools import format_date

from .common import DebtRecoveryCommon


class TestScreens(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write({
            'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
            'country_id': cls.env.ref('base.fr').id, 'company_registry': '73282932000074',
            'recovery_legal_form': 'sarl',
        })
        cls.company.write({'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
                           'recovery_representative_name': 'Jean Durand',
                           'recovery_representative_capacity': 'gérant'})
        cls.debtor.write({
            'street': '5 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': cls.env.ref('base.fr').id,
            'company_registry': '54205118000066', 'recovery_legal_form': 'sas',
        })
        cls.Case = cls.env['debt.recovery.case']
        cls.Activity = cls.env['mail.activity'].with_context(active_test=False)

    def _open_wizard(self, invoices, user=None):
        user = user or self.accountant
        action = invoices.with_user(user).action_recovery_remind()
        return self.env['debt.recovery.remind'].with_user(user).browse(action['res_id'])

    def _wizard(self, model, moves, user=None, **vals):
        ctx = {'active_model': 'account.move', 'active_ids': moves.ids}
        return self.env[model].with_user(user or self.accountant).with_context(**ctx).create(vals)

    def _todos(self, record, xmlid=None):
        domain = [('res_model', '=', record._name), ('res_id', '=', record.id)]
        if xmlid:
            domain.append(('activity_type_id', '=', self.env.ref(xmlid).id))
        return self.Activity.search(domain)

    def _done_message(self, record, todo):
        return record.message_ids.filtered(
            lambda m: m.mail_activity_type_id == todo.activity_type_id and m.subtype_id == self.env.ref(
                'mail.mt_activities'))

    # -------------------------------------------------------------------------
    # Next action: "Due now", never a past date
    # -------------------------------------------------------------------------
    def test_next_action_reads_due_now_never_a_past_date(self):
        late = self._invoice(self.debtor, '2026-03-02', 1000)
        later = self._invoice(self.debtor, '2026-03-18', 300)
        paid = self._invoice(self.debtor_b, '2026-03-02', 100)
        self._pay(paid, 100, '2026-03-03')
        self._run('2026-03-07')  # the courteous reminder of the first; the call is due on 17 March
        with freeze_time('2026-03-20'):
            self.env.invalidate_all()
            self.assertEqual(late.recovery_next_date, date(2026, 3, 17), "the stored date keeps its meaning")
            self.assertEqual(late.recovery_next_action, "Due now", "a date passed is due now, not shown")
            self.assertEqual(later.recovery_next_date, date(2026, 3, 23))
            self.assertEqual(later.recovery_next_action, format_date(self.env, date(2026, 3, 23)))
            self.assertFalse(paid.recovery_next_action, "nothing planned: nothing shown")
        with freeze_time('2026-03-23'):
            self.env.invalidate_all()
            self.assertEqual(later.recovery_next_action, "Due now", "today's date is due now as well")
            # the analyses say the same
            row = self.env['debt.recovery.report'].search([('move_id', '=', late.id)])
            self.assertEqual(row.next_action, "Due now")
            debtor = self.env['debt.recovery.debtor.report'].search([('partner_id', '=', self.debtor.id)])
            self.assertEqual((debtor.next_date, debtor.next_action), (date(2026, 3, 17), "Due now"))

    # -------------------------------------------------------------------------
    # Never remind, work suspended, insolvency: the status says it
    # -------------------------------------------------------------------------
    @freeze_time('2026-03-20')
    def test_never_remind_suspended_and_insolvency_show_in_the_status(self):
        blocked = self._invoice(self.debtor_b, '2026-03-02', 500)
        suspended = self._invoice(self.debtor, '2026-03-02', 700)
        self.debtor_b.with_company(self.company).recovery_blocked = True
        self.debtor.with_company(self.company).recovery_suspended = True
        self.env.flush_all()
        self.assertEqual(blocked.recovery_state, 'running', "the stored status keeps its meaning")
        self.assertTrue(blocked.recovery_next_date, "the stored schedule is kept for the day it is unblocked")
        self.assertEqual((blocked.recovery_display_state, blocked.recovery_next_action), ('blocked', False))
        self.assertTrue(blocked.recovery_partner_blocked)
        self.assertEqual(suspended.recovery_display_state, 'suspended')
        self.assertEqual(suspended.recovery_next_action, "Due now", "a suspended customer is still reminded")
        labels = dict(self.env['account.move']._fields['recovery_display_state']._description_selection(self.env))
        self.assertEqual(labels['blocked'], "Never remind")

        Report = self.env['debt.recovery.report']
        row = Report.search([('move_id', '=', blocked.id)])
        self.assertEqual((row.state, row.next_date, row.next_step_id.id, row.next_action),
                         ('blocked', False, False, False))
        self.assertEqual(Report.search([('move_id', '=', suspended.id)]).state, 'suspended')
        Debtors = self.env['debt.recovery.debtor.report']
        ranked = Debtors.search([('partner_id', '=', self.debtor_b.id)])
        self.assertEqual((ranked.state, ranked.next_date, ranked.next_action), ('blocked', False, False))
        self.assertEqual(Debtors.search([('partner_id', '=', self.debtor.id)]).state, 'suspended')

        # insolvency proceedings: the invoice issued before the judgment is frozen, the later one runs;
        # the debtor reads "insolvency proceedings"
        insolvent = self.env['res.partner'].create({'name': 'En Redressement SAS', 'is_company': True,
                                                    'email': 'rj@example.fr'})
        before = self._invoice(insolvent, '2026-03-02', 400, invoice_date='2026-02-01')
        after = self._invoice(insolvent, '2026-03-10', 200, invoice_date='2026-02-20')
        insolvent.with_company(self.company).recovery_insolvency_date = '2026-02-15'
        self.env.flush_all()
        self.assertEqual((before.recovery_display_state, after.recovery_display_state), ('insolvency', 'running'))
        self.assertFalse(before.recovery_next_action)
        self.assertEqual(Debtors.search([('partner_id', '=', insolvent.id)]).state, 'insolvency')

        # unblocked: the plan shows again
        self.debtor_b.with_company(self.company).recovery_blocked = False
        self.env.flush_all()
        self.env.invalidate_all()  # (the analyses are SQL views: a new request reads them again)
        self.assertEqual((blocked.recovery_display_state, blocked.recovery_next_action), ('running', "Due now"))
        self.assertEqual(Debtors.search([('partner_id', '=', self.debtor_b.id)]).state, 'running')

    # -------------------------------------------------------------------------
    # Relancer: warns and asks; the channel is the one used; queued, then sent
    # -------------------------------------------------------------------------
    @freeze_time('2026-03-08')
    def test_relancer_warns_and_asks_before_reminding_a_customer_never_reminded(self):
        invoice = self._invoice(self.debtor_b, '2026-03-02')
        self.debtor_b.with_company(self.company).recovery_blocked = True
        wizard = self._open_wizard(invoice)
        line = wizard.line_ids
        self.assertEqual(line.partner_flag, 'blocked')
        self.assertIn("is marked Never remind", wizard.warning)
        self.assertTrue(wizard.needs_confirmation)
        with self.assertRaisesRegex(UserError, "Confirm first"):
            wizard.action_send()
        self.assertFalse(self._mails(self.debtor_b))
        self.assertFalse(self.Event.search([('move_id', '=', invoice.id)]))
        # the form's second Send button asks, then passes the answer
        wizard.with_context(recovery_confirmed=True).action_send()
        self.assertEqual(len(self._mails(self.debtor_b)), 1)
        # unticked, the customer needs no answer
        other = self._invoice(self.debtor_b, '2026-03-02')
        wizard = self._open_wizard(other)
        wizard.line_ids.include = False
        self.assertFalse(wizard.needs_confirmation)

    @freeze_time('2026-03-08')
    def test_relancer_asks_before_a_formal_step_for_a_suspended_customer(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.debtor.with_company(self.company).recovery_suspended = True
        wizard = self._open_wizard(invoice, user=self.manager)
        line = wizard.line_ids
        self.assertEqual((line.partner_flag, line.channel), ('suspended', 'email'))
        self.assertIn("Work is suspended", wizard.warning)
        self.assertFalse(wizard.needs_confirmation, "an e-mail to a suspended customer goes as usual")
        line.step_id = self.step_notice
        self.assertEqual(line.channel, 'formal_notice')
        self.assertTrue(wizard.needs_confirmation, "a formal notice is asked first")
        with self.assertRaisesRegex(UserError, "Confirm first"):
            wizard.action_send()
        self.assertFalse(self.Case.search([('partner_id', '=', self.debtor.id)]), "no case opened")
        wizard.with_context(recovery_confirmed=True).action_send()
        self.assertEqual(self.Case.search([('partner_id', '=', self.debtor.id)]).move_ids, invoice)

    @freeze_time('2026-03-08')
    def test_relancer_shows_the_channel_used_no_email_is_a_letter(self):
        no_mail = self.env['res.partner'].create({'name': 'Sans Courriel SARL', 'is_company': True})
        invoice = self._invoice(no_mail, '2026-03-02')
        wizard = self._open_wizard(invoice)
        line = wizard.line_ids
        self.assertEqual(line.step_id, self.step_courteous)
        self.assertEqual(line.channel, 'letter', "the channel shown is the one that will be used")
        self.assertIn("has no e-mail address: the reminder will be a letter", wizard.warning)
        self.assertFalse(wizard.needs_confirmation)
        result = wizard.action_send()
        self.assertEqual(result['params']['message'], "1 to-do(s) created (Letter), for 1 invoice(s).")
        self.assertNotIn("sent", result['params']['message'])
        event = self._step_events(invoice, self.step_courteous)
        self.assertEqual((event.channel, event.delivery_state), ('letter', 'todo'))
        self.assertIn("no e-mail address", event.note)
        event.activity_id.action_feedback(feedback="Lettre postée")
        event.invalidate_recordset(['delivery_state'])
        self.assertEqual((event.state, event.delivery_state), ('done', 'done'))

    @freeze_time('2026-03-08')
    def test_relancer_says_queued_then_the_event_says_sent(self):
        invoice = self._invoice(self.debtor, '2026-03-02')
        wizard = self._open_wizard(invoice)
        self.assertEqual(wizard.line_ids.channel, 'email')
        self.assertFalse(wizard.warning)
        result = wizard.action_send()
        message = result['params']['message']
        self.assertEqual(message, "1 e-mail(s) queued, sent by the outgoing mail queue within minutes, "
                                  "for 1 invoice(s).")
        mail = self._mails(self.debtor)
        self.assertEqual(mail.state, 'outgoing', "the e-mail waits in the queue")
        event = self._step_events(invoice, self.step_courteous)
        self.assertEqual(event.with_user(self.accountant).delivery_state, 'queued',
                         "a recovery user reads the queue's state without reading the queue")
        note = invoice.message_ids.filtered(lambda m: 'Courteous reminder' in (m.body or ''))
        self.assertIn("queued for sending", note.body)
        self.assertNotIn("sent by e-mail", note.body)
        # what the outgoing queue writes once the server accepted the e-mail (tests send
        # nothing: see test_mail_failures for the real SMTP round trip)
        mail.write({'state': 'sent'})
        event.invalidate_recordset(['delivery_state'])
        self.assertEqual(event.delivery_state, 'sent')
        # a failure is said as such
        mail.write({'state': 'exception'})
        event.invalidate_recordset(['delivery_state'])
        self.assertEqual(event.delivery_state, 'failed')

    # -------------------------------------------------------------------------
    # To-dos close when their work is done
    # -------------------------------------------------------------------------
    def test_dispute_todo_done_when_the_dispute_ends(self):
        resumed = self._invoice(self.debtor, '2026-03-02', 300)
        paid = self._invoice(self.debtor_b, '2026-03-02', 200)
        cleared = self._invoice(self.debtor_b, '2026-03-02', 100)
        with freeze_time('2026-03-09'):
            for move in (resumed, paid, cleared):
                self._wizard('debt.recovery.dispute', move, reason='quality', note="Rayure").action_confirm()
        xmlid = 'l10n_fr_debt_recovery.mail_activity_type_recovery_dispute'
        todos = {move: self._todos(move, xmlid) for move in (resumed, paid, cleared)}
        self.assertTrue(all(len(todo) == 1 and todo.active for todo in todos.values()))
        with freeze_time('2026-03-20'):
            self._wizard('debt.recovery.dispute.resolve', resumed, resolution='resume',
                         note="Le client reconnaît la dette").action_confirm()
        self.assertEqual(resumed.recovery_state, 'running')
        self.assertFalse(todos[resumed].active, "resolved: the dispute's to-do is done")
        done = self._done_message(resumed, todos[resumed])
        self.assertIn("Dispute resolved", done.body, "with what ended it")
        self.assertTrue(todos[paid].active)
        self._pay(paid, 200, '2026-03-21')
        self.assertEqual(paid.recovery_state, 'closed')
        self.assertFalse(todos[paid].active, "paid: nothing to resolve any more")
        cleared.write({'recovery_dispute_reason': False})  # cleared by hand in the form
        self.assertEqual(cleared.recovery_state, 'running')
        self.assertFalse(todos[cleared].active)

    def test_call_todos_done_with_the_outcome(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        self._run('2026-03-07')
        self._run('2026-03-17')
        xmlid = 'l10n_fr_debt_recovery.mail_activity_type_recovery_call'
        call = self._todos(self.debtor, xmlid)
        self.assertEqual(len(call), 1)
        with freeze_time('2026-03-18'):
            # from the invoice: the call to-do on the customer is found through the plan's event
            self._wizard('debt.recovery.call.outcome', invoice, outcome='no_answer').action_confirm()
        self.assertFalse(call.active, "the call is made: its to-do is done")
        retry = self._todos(self.debtor, xmlid).filtered('active')
        self.assertEqual(len(retry), 1, "no answer: one new attempt, not closed with the first")
        self.assertIn("attempt 2", retry.summary)
        event = self._step_events(invoice, self.step_call)
        self.assertEqual((event.state, event.delivery_state), ('done', 'done'))
        with freeze_time('2026-03-21'):
            self._wizard('debt.recovery.call.outcome', invoice, outcome='will_pay').action_confirm()
        self.assertFalse(self._todos(self.debtor, xmlid).filtered('active'), "reached: the attempt is done too")
        # a to-do done stays done when the invoice is paid later (not "cancelled")
        self._pay(invoice, 1000, '2026-03-25')
        self.assertEqual(self._step_events(invoice, self.step_call).state, 'done')
        self.assertTrue(call.exists())

    def test_formal_notice_todo_done_when_the_notice_is_validated(self):
        invoices = self._invoice(self.debtor, '2026-03-02', 1000)
        for day in ('2026-03-07', '2026-03-17', '2026-04-01', '2026-04-16'):
            self._run(day)
        case = self.Case.search([('partner_id', '=', self.debtor.id)])
        todo = case.activity_ids
        self.assertEqual(todo.activity_type_id,
                         self.env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice'))
        with freeze_time('2026-04-17'):
            case.with_user(self.manager).action_validate_notice()
        self.assertFalse(todo.active, "the formal notice is prepared: its to-do is done")
        self.assertIn("Formal notice validated", self._done_message(case, todo).body)
        event = self._step_events(invoices, self.step_notice)
        self.assertEqual((event.state, event.delivery_state), ('done', 'done'))
        self._pay(invoices, 1000, '2026-04-20')
        self.assertEqual(case.state, 'closed')
        self.assertEqual(self._step_events(invoices, self.step_notice).state, 'done', "done, not cancelled")

    def test_court_todos_done_at_their_step_and_on_closing(self):
        with freeze_time('2026-04-24'):
            moves = self._invoice(self.debtor, '2026-03-02', 1000)
            case = self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(moves.ids)],
                                     'user_id': self.manager.id})
            case.with_user(self.manager).action_validate_notice()
            case.write({'lrar_number': '1A 123 456 7890 1', 'notice_date': '2026-04-24',
                        'notice_copy_by_email': False})
            case.with_user(self.manager).action_record_posting()
            case.write({'receipt_date': '2026-04-24'})
            case.action_record_receipt()
        notice_type = 'l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice'
        court_type = 'l10n_fr_debt_recovery.mail_activity_type_recovery_court'
        self._run('2026-05-05')
        self.assertEqual(case.state, 'deadline_passed')
        deadline = self._todos(case, notice_type).filtered('active')
        self.assertEqual(deadline.summary, "Deadline passed: prepare the court file")
        with freeze_time('2026-05-06'):
            case.court_name = "Tribunal de commerce de Lyon"
            case.with_user(self.manager).action_prepare_court_file()
        self.assertFalse(deadline.active, "the court file is prepared: its to-do is done")
        with freeze_time('2026-05-15'):
            case.filing_date = '2026-05-06'
            case.with_user(self.manager).action_mark_filed()
            case.order_date = '2026-05-15'
            case.with_user(self.manager).action_order_granted()
        serve = self._todos(case, court_type).filtered('active')
        self.assertEqual(len(serve), 1)
        self.assertIn("Serve the injunction order", serve.summary)
        bailiff = self.env['res.partner'].create({'name': 'Maître Huissier'})
        with freeze_time('2026-06-02'):
            case.write({'service_date': '2026-06-02', 'bailiff_id': bailiff.id, 'service_mode': 'person'})
            case.action_order_served()
        self.assertFalse(serve.active, "served: the warning before the order lapses is done")
        opposition = self._todos(case, court_type).filtered('active')
        self.assertEqual(len(opposition), 1)
        self.assertIn("non-opposition", opposition.summary)
        with freeze_time('2026-07-03'):
            case.action_enforceable()
        self.assertFalse(opposition.active, "enforceable: the opposition period's to-do is done")
        self.assertFalse(self._todos(case).filtered('active'))

        # a case closed with a to-do still open: it ends with the reason
        with freeze_time('2026-05-06'):
            other = self.Case.create({'partner_id': self.debtor_b.id, 'move_ids': [
                Command.set(self._invoice(self.debtor_b, '2026-03-02', 300).ids)]})
            other.activity_schedule(notice_type, summary="Deadline passed: prepare the court file",
                                    user_id=self.manager.id)
            other.with_user(self.manager).with_context(close_reason='abandoned').action_close()
        todo = self._todos(other, notice_type)
        self.assertFalse(todo.active)
        self.assertIn("Case closed: Abandoned", self._done_message(other, todo).body)

    def test_clearing_insolvency_removes_the_declaration_todo(self):
        partner = self.env['res.partner'].create({'name': 'En Sauvegarde SAS', 'is_company': True,
                                                  'country_id': self.env.ref('base.fr').id, 'zip': '69002'})
        partner = partner.with_company(self.company)
        partner.write({'recovery_insolvency_date': '2026-03-01', 'recovery_bodacc_date': '2026-03-10'})
        self.assertEqual(len(partner._recovery_declaration_todos()), 1)
        partner.recovery_insolvency_date = False
        self.assertFalse(partner._recovery_declaration_todos())

    # -------------------------------------------------------------------------
    # Selections translated, one Overdue filter, the dashboard's page
    # -------------------------------------------------------------------------
    def test_selections_are_translated(self):
        Outcome = self.env['debt.recovery.call.outcome']
        Event = self.env['debt.recovery.event']
        self.env['res.lang']._activate_lang('fr_FR')
        self.env['ir.module.module']._load_module_terms(['l10n_fr_debt_recovery'], ['fr_FR'], overwrite=True)
        fr = self.env(context={'lang': 'fr_FR'})
        outcomes = dict(Outcome._fields['outcome']._description_selection(fr))
        self.assertEqual(outcomes, dict(Event._fields['call_outcome']._description_selection(fr)))
        self.assertNotEqual(outcomes['will_pay'], "Reached: will pay", "the French label")
        case_states = dict(self.Case._fields['state']._description_selection(fr))
        self.assertEqual(case_states['draft'], "Brouillon")
        invoice = self._invoice(self.debtor, '2026-03-02')
        self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(invoice.ids)]})
        page = self.env['debt.recovery.dashboard'].with_user(self.manager).with_context(lang='fr_FR') \
            .get_dashboard('2026-01-01', '2026-03-31')
        self.assertEqual(page['cases'], [{'state': 'draft', 'label': "Brouillon", 'count': 1}])
        board = self.env['debt.recovery.dashboard'].with_user(self.manager).with_context(lang='fr_FR').create({
            'date_from': '2026-01-01', 'date_to': '2026-03-31'})
        self.assertIn("Brouillon", board.cases_by_state)

    def test_one_overdue_filter_counted_from_the_oldest_unpaid_instalment(self):
        arch = self.env['account.move'].get_views([(self.env.ref('account.view_account_invoice_filter').id,
                                                    'search')])['views']['search']['arch']
        filters = etree.fromstring(arch).xpath("//filter[@string='Overdue']")
        self.assertEqual([f.get('name') for f in filters], ['late'], "one Overdue filter, Odoo's own")
        self.assertIn('recovery_due_date', filters[0].get('domain'))
        action = self.env.ref('l10n_fr_debt_recovery.action_debt_recovery_invoices')
        self.assertIn("'search_default_late': 1", action.context)

    @freeze_time('2026-03-20')
    def test_dashboard_page_figures_and_lists(self):
        late = self._invoice(self.debtor, '2026-03-02', 1000)
        self._invoice(self.debtor_b, '2026-03-10', 400)
        self.debtor_b.with_company(self.company).recovery_blocked = True
        Dashboard = self.env['debt.recovery.dashboard'].with_user(self.accountant)
        page = Dashboard.get_dashboard()
        self.assertEqual((page['date_from'], page['date_to']), ('2026-01-01', '2026-03-20'))
        rows = {row['name']: row for section in page['sections'] for row in section['rows']}
        self.assertEqual(rows['overdue_debtor_count']['open'], 'debtors')
        self.assertEqual(rows['overdue_amount']['label'], "Overdue Now")
        # what debtors agreed, on the page too: promises and payment plans, paid online
        self.assertEqual((rows['plans_active']['label'], rows['plans_active']['value']), ("Payment Plans Active", "0"))
        self.assertIn('collected_online_after_reminder', rows, "the online payment bridge is installed")
        debtors = {d['name']: d for d in page['debtors']}
        self.assertEqual(debtors[self.debtor.display_name]['next_action'], "Due now")
        self.assertTrue(debtors[self.debtor.display_name]['due_now'])
        self.assertEqual((debtors[self.debtor_b.display_name]['state_label'],
                          debtors[self.debtor_b.display_name]['next_action']), ("Never remind", ''))
        # a row opens the debtor's invoices, in the recovery list
        row = self.env['debt.recovery.debtor.report'].browse(debtors[self.debtor.display_name]['id'])
        action = row.with_user(self.accountant).action_open_invoices()
        self.assertEqual(self.env['account.move'].search(action['domain']), late)
        self.assertEqual(action['views'][0][0], self.env.ref('l10n_fr_debt_recovery.view_move_list_debt_recovery').id)
        cases = Dashboard.browse().action_open_cases(state='draft')
        self.assertIn(('state', '=', 'draft'), cases['domain'])
