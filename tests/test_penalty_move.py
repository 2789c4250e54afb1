"""The public vectors of the reference, through real posted invoices and real
payments registered at the right dates (the pure function is tested in
test_law_penalty.py)."""
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tools import formatLang
from odoo.tools.safe_eval import safe_eval

from .common import DebtRecoveryCommon


class TestPenaltyOnInvoices(DebtRecoveryCommon):

    def test_vector_18_heropay_default_rate_2024_h1(self):
        # 1 000 EUR due 2024-02-01, paid 30 days later (2024 is a leap year: still /365)
        invoice = self._invoice(self.debtor, '2024-02-01', 1000)
        self._pay(invoice, 1000, '2024-03-02')
        result = invoice._recovery_penalty(at_date='2026-01-01')
        self.assertEqual(result['days'], 30)
        self.assertEqual(len(result['segments']), 1)
        self.assertEqual(result['segments'][0]['rate'], 14.5)  # ECB 4.50 on 1 Jan 2024 + 10
        self.assertEqual(result['penalty'], 11.92)  # 1000 x 14.5 % x 30 / 365 = 11.917...
        self.assertEqual(result['indemnity'], 40.0)
        self.assertEqual(result['total'], 51.92)

    def test_vector_17_contractual_rate_and_floor(self):
        self.company.recovery_penalty_rate = 10.0
        invoice = self._invoice(self.debtor, '2026-02-01', 1500)
        self._pay(invoice, 1500, '2026-03-03')
        result = invoice._recovery_penalty(at_date='2026-06-30')
        # 1500 x 30 x 10 / 36500 = 12.3287... -> 12.33 (half-up)
        self.assertEqual(result['penalty'], 12.33)
        self.assertEqual(result['segments'][0]['rate_reason'], 'contractual')
        # the same clause in 2024-H1 is raised to the floor 3 x 5.07 = 15.21 %
        old = self._invoice(self.debtor, '2024-02-01', 1500)
        self._pay(old, 1500, '2024-03-02')
        old_result = old._recovery_penalty(at_date='2026-01-01')
        self.assertEqual(old_result['segments'][0]['rate'], 15.21)
        self.assertEqual(old_result['segments'][0]['rate_reason'], 'floor')
        self.assertEqual(old_result['penalty'], 18.75)  # 1500 x 15.21 % x 30 / 365 = 18.7520...

    def test_vector_4_rate_of_the_half_year(self):
        march_2025 = self._invoice(self.debtor, '2025-03-15', 1000)
        aug_2024 = self._invoice(self.debtor, '2024-08-10', 1000)
        self._pay(march_2025, 1000, '2025-03-25')
        self._pay(aug_2024, 1000, '2024-08-20')
        self.assertEqual(march_2025._recovery_penalty('2026-01-01')['segments'][0]['rate'], 13.15)
        self.assertEqual(aug_2024._recovery_penalty('2026-01-01')['segments'][0]['rate'], 14.25)
        with freeze_time('2026-01-01'):
            march_2025.invalidate_recordset(['recovery_penalty_rate_info'])
            self.assertIn('13.15', march_2025.recovery_penalty_rate_info)

    def test_vector_7_contractual_rate_floor_warning(self):
        with freeze_time('2026-03-01'):
            self.company.recovery_penalty_rate = 8.0
            self.company.invalidate_recordset(['recovery_penalty_rate_warning'])
            self.assertFalse(self.company.recovery_penalty_rate_warning, "8 % >= 7.86 % in 2026-H1")
        with freeze_time('2025-08-01'):
            self.company.invalidate_recordset(['recovery_penalty_rate_warning'])
            self.assertIn('8.28', self.company.recovery_penalty_rate_warning, "8 % < 8.28 % in 2025-H2")

    def test_vector_8_indemnities(self):
        # 7 late B2B invoices -> 280 EUR
        invoices = self.env['account.move']
        for __ in range(7):
            invoices |= self._invoice(self.debtor, '2026-03-02', 100)
        with freeze_time('2026-04-01'):
            self.assertEqual(sum(invoices.mapped('recovery_indemnity_amount')), 280.0)
        # a 30 EUR invoice 2 days late -> 40 EUR
        small = self._invoice(self.debtor, '2026-03-02', 30)
        self._pay(small, 30, '2026-03-04')
        self.assertEqual(small._recovery_penalty('2026-04-01')['indemnity'], 40.0)
        # a consumer -> 0 (and no interest without a formal notice)
        consumer_invoice = self._invoice(self.consumer, '2026-03-02', 500)
        result = consumer_invoice._recovery_penalty('2026-04-01')
        self.assertEqual((result['penalty'], result['indemnity']), (0.0, 0.0))
        # a debtor in receivership at maturity -> 0
        insolvent = self.env['res.partner'].create({
            'name': 'En Redressement SAS', 'is_company': True, 'recovery_insolvency_date': '2026-02-15'})
        insolvent_invoice = self._invoice(insolvent, '2026-03-02', 500)
        self.assertEqual(insolvent_invoice._recovery_penalty('2026-04-01')['indemnity'], 0.0)

    def test_partial_payments_across_half_year(self):
        # 1 000 due 2025-06-20; 400 paid 2025-06-25; rest paid 2025-07-10.
        # 2025-H1 default 13.15 %, 2025-H2 12.15 %.
        invoice = self._invoice(self.debtor, '2025-06-20', 1000)
        self._pay(invoice, 400, '2025-06-25')
        self._pay(invoice, 600, '2025-07-10')
        result = invoice._recovery_penalty('2025-12-31')
        segments = [(str(s['date_from']), str(s['date_to']), s['days'], s['base'], s['rate'], s['amount'])
                    for s in result['segments']]
        self.assertEqual(segments, [
            ('2025-06-21', '2025-06-25', 5, 1000.0, 13.15, 1.80),   # 1000 x 13.15 % x 5 / 365 = 1.8013
            ('2025-06-26', '2025-06-30', 5, 600.0, 13.15, 1.08),    # 600 x 13.15 % x 5 / 365 = 1.0808
            ('2025-07-01', '2025-07-10', 10, 600.0, 12.15, 2.00),   # 600 x 12.15 % x 10 / 365 = 1.9973
        ])
        self.assertEqual(result['penalty'], 4.88)
        self.assertEqual(result['days'], 20)

    def test_credit_note_reduces_the_base_from_its_date(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        reversal = self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=invoice.ids,
        ).create({'journal_id': invoice.journal_id.id, 'date': '2026-03-12'})
        credit_note = self.env['account.move'].browse(reversal.refund_moves()['res_id'])
        credit_note.invoice_line_ids.price_unit = 400
        credit_note.action_post()
        (invoice | credit_note).line_ids.filtered(lambda l: l.account_type == 'asset_receivable').reconcile()
        self.assertEqual(invoice.amount_residual, 600)
        result = invoice._recovery_penalty('2026-03-22')
        # 2026-H1: 12.15 %. 1000 x 10 d (03-03..03-12) = 3.33; 600 x 10 d (03-13..03-22) = 2.00
        self.assertEqual([s['base'] for s in result['segments']], [1000.0, 600.0])
        self.assertEqual(result['penalty'], 5.33)

    def test_instalment_plan_two_due_dates_two_indemnities(self):
        term = self.env.ref('l10n_fr_debt_recovery.account_payment_term_deposit_30')
        invoice = self.env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': self.debtor.id, 'invoice_date': '2026-01-10',
            'invoice_payment_term_id': term.id,
            'invoice_line_ids': [Command.create({'name': 'Chantier', 'price_unit': 1000,
                                                 'tax_ids': [Command.clear()]})],
        })
        invoice.action_post()
        result = invoice._recovery_penalty('2026-03-01')
        self.assertEqual(len(result['instalments']), 2)
        self.assertEqual(result['indemnity'], 80.0, "40 EUR per late instalment")
        # deposit 300 due 01-10: 50 days; balance 700 due 02-09: 20 days, at 12.15 %
        # 300 x 12.15 x 50 / 36500 = 4.9931 -> 4.99 ; 700 x 12.15 x 20 / 36500 = 4.6603 -> 4.66
        self.assertEqual([(i['due_date'].isoformat(), i['days'], i['penalty']) for i in result['instalments']],
                         [('2026-01-10', 50, 4.99), ('2026-02-09', 20, 4.66)])
        self.assertEqual(result['days'], 50)
        self.assertEqual(result['penalty'], 9.65)
        self.assertEqual(result['total'], 89.65)

    def test_foreign_currency_invoice_in_its_own_currency(self):
        usd = self.setup_other_currency('USD', rates=[('2020-01-01', 1.2)])
        invoice = self._invoice(self.debtor, '2026-03-02', 1200, currency=usd)
        self.assertEqual(invoice.amount_residual, 1200)
        result = invoice._recovery_penalty('2026-04-01')
        self.assertEqual(result['segments'][0]['base'], 1200.0)
        self.assertEqual(result['penalty'], 11.98)  # 1200 x 12.15 % x 30 / 365 = 11.9835...

    def test_missing_half_year_is_said_not_guessed(self):
        self.company.recovery_penalty_rate = 20.0  # a contractual rate needs the 2026-H2 floor
        invoice = self._invoice(self.debtor, '2026-06-20', 1000)
        with self.assertRaisesRegex(UserError, '2026-H2'):
            invoice._recovery_penalty('2026-07-15')
        with freeze_time('2026-07-15'):
            invoice.invalidate_recordset()
            self.assertIn('2026-H2', invoice.recovery_penalty_warning)
            self.assertEqual(invoice.recovery_penalty_amount, 0.0)
        # a manager records the half-year: the computation goes through
        self.env['debt.recovery.rate'].with_user(self.manager).create(
            {'rate_type': 'legal_other', 'date_from': '2026-07-01', 'rate': 2.80, 'source': 'test'})
        # 20 % is above both floors (7.86 %, 3 x 2.80 = 8.40 %): 21..30 June 1000 x 20 x 10 / 36500 = 5.48,
        # 1..15 July 1000 x 20 x 15 / 36500 = 8.22
        result = invoice._recovery_penalty('2026-07-15')
        self.assertEqual([(s['days'], s['rate'], s['amount']) for s in result['segments']],
                         [(10, 20.0, 5.48), (15, 20.0, 8.22)])
        self.assertEqual(result['penalty'], 13.70)

    def test_penalty_invoice_bills_only_what_accrued_since(self):
        invoices = self._invoice(self.debtor, '2026-03-02', 1000) | self._invoice(self.debtor, '2026-03-02', 500)
        with freeze_time('2026-04-01'):
            action = invoices.with_user(self.accountant).action_recovery_bill_penalties()
            bill = self.env['account.move'].browse(action['res_id'])
            self.assertEqual(bill.state, 'draft')
            self.assertEqual(bill.partner_id, self.debtor)
            self.assertFalse(bill.invoice_line_ids.tax_ids, "penalties are outside the scope of VAT")
            self.assertEqual(len(bill.invoice_line_ids), 4, "a penalty and an indemnity line per invoice")
            # 1000 x 12.15 % x 30 / 365 = 9.9863 -> 9.99 ; 500 -> 4.9932 -> 4.99 ; 2 x 40
            self.assertEqual(sorted((l.recovery_claimed_move_id.amount_total, l.recovery_claim_kind, l.price_unit)
                                    for l in bill.invoice_line_ids),
                             [(500.0, 'indemnity', 40.0), (500.0, 'penalty', 4.99),
                              (1000.0, 'indemnity', 40.0), (1000.0, 'penalty', 9.99)])
            self.assertEqual(bill.amount_total, 94.98)
            self.assertEqual(bill.amount_tax, 0.0)
            self.assertIn('12.15', bill.invoice_line_ids[0].name)
            self.assertEqual(set(bill.invoice_line_ids.mapped('recovery_claimed_move_id')), set(invoices))
            bill.action_post()
            with self.assertRaisesRegex(UserError, "already billed"):
                invoices.action_recovery_bill_penalties()
        with freeze_time('2026-05-01'):
            action = invoices.action_recovery_bill_penalties()
            second = self.env['account.move'].browse(action['res_id'])
            # 60 days: 1000 -> 19.97 (19.972...), 500 -> 9.99 (9.986...); less what the
            # first invoice billed: 19.97 - 9.99 = 9.98 and 9.99 - 4.99 = 5.00; no second indemnity
            self.assertEqual(sorted((l.recovery_claimed_move_id.amount_total, l.recovery_claim_kind, l.price_unit)
                                    for l in second.invoice_line_ids),
                             [(500.0, 'penalty', 5.0), (1000.0, 'penalty', 9.98)])
            self.assertEqual(second.amount_total, 14.98)
            self.assertFalse(second.invoice_line_ids.filtered(lambda l: l.recovery_claim_kind == 'indemnity'))

    def test_penalty_invoice_one_debtor_at_a_time(self):
        invoices = self._invoice(self.debtor, '2026-03-02') | self._invoice(self.debtor_b, '2026-03-02')
        with self.assertRaisesRegex(UserError, "one customer at a time"):
            invoices.action_recovery_bill_penalties()

    def test_invoice_mentions_business_only(self):
        business = self._invoice(self.debtor, '2026-03-02')
        consumer = self._invoice(self.consumer, '2026-03-02')
        report = self.env['ir.actions.report']
        html_b = str(report._render_qweb_html('account.account_invoices', business.ids)[0])
        html_c = str(report._render_qweb_html('account.account_invoices', consumer.ids)[0])
        self.assertIn('recovery_legal_mentions', html_b)
        self.assertIn('40 euros', html_b)
        self.assertIn('L441-10', html_b)
        self.assertNotIn('recovery_legal_mentions', html_c)
        self.company.recovery_invoice_mention = "Escompte 1 % pour paiement à 8 jours. Pénalités : 15 %."
        html_b = str(report._render_qweb_html('account.account_invoices', business.ids)[0])
        self.assertIn('Escompte 1 %', html_b)

    def test_payment_term_guard(self):
        late_term = self._invoice(self.debtor, '2026-04-01', invoice_date='2026-01-15', post=False)
        self.assertEqual(late_term.recovery_term_warning, self._term_warning('04/01/2026', '03/16/2026'))  # vector 2
        ok = self._invoice(self.debtor, '2026-03-16', invoice_date='2026-01-15', post=False)
        self.assertFalse(ok.recovery_term_warning, "the limit day itself is allowed")
        consumer = self._invoice(self.consumer, '2026-04-01', invoice_date='2026-01-15', post=False)
        self.assertFalse(consumer.recovery_term_warning, "no legal maximum towards a consumer")
        self.company.recovery_payment_term_limit = '45_eom_a'  # 2026-01-31 + 45 = 2026-03-17
        (late_term | ok).invalidate_recordset(['recovery_term_warning'])
        self.assertEqual(late_term.recovery_term_warning, self._term_warning('04/01/2026', '03/17/2026'))
        self.assertFalse(ok.recovery_term_warning)
        self.company.recovery_payment_term_limit = '45_eom_b'  # 2026-01-15 + 45 = 03-01 -> 2026-03-31
        (late_term | ok).invalidate_recordset(['recovery_term_warning'])
        self.assertEqual(late_term.recovery_term_warning, self._term_warning('04/01/2026', '03/31/2026'))
        late_term.action_post()  # a warning, not a block
        self.assertEqual(late_term.state, 'posted')

    @staticmethod
    def _term_warning(due, limit):
        return (f"The due date {due} is beyond the legal maximum between businesses ({limit}, C. com. L441-10 I): "
                "the company risks a fine of up to 2 million euros.")

    def test_payment_term_beyond_legal_maximum_server_side(self):
        """What the server does with a business invoice whose payment term exceeds the
        legal maximum: it computes the warning from the invoice's own payment term (the
        form then offers only a posting button that asks for confirmation), and it does
        not refuse the posting itself: the confirmation is the form's, the rule a warning."""
        term_90 = self.env['account.payment.term'].create({
            'name': '90 days', 'line_ids': [Command.create({'value': 'percent', 'value_amount': 100, 'nb_days': 90})]})
        term_60 = self.env['account.payment.term'].create({
            'name': '60 days', 'line_ids': [Command.create({'value': 'percent', 'value_amount': 100, 'nb_days': 60})]})

        def draft(partner, term, move_type='out_invoice'):
            return self._create_invoice_one_line(
                move_type=move_type, price_unit=1000.0, partner_id=partner, invoice_date='2026-01-15',
                invoice_payment_term_id=term, tax_ids=self.env['account.tax'])

        late, ok = draft(self.debtor, term_90), draft(self.debtor, term_60)
        self.assertEqual((late.invoice_date_due, ok.invoice_date_due), (self.d('2026-04-15'), self.d('2026-03-16')))
        self.assertEqual(late.recovery_term_warning, self._term_warning('04/15/2026', '03/16/2026'))
        self.assertFalse(ok.recovery_term_warning)
        self.assertFalse(draft(self.consumer, term_90).recovery_term_warning)
        self.assertFalse(draft(self.debtor, term_90, 'in_invoice').recovery_term_warning,
                         "a supplier's term is not ours to check")
        # changing the term on the draft updates the warning (no save needed)
        ok.invoice_payment_term_id = term_90
        self.assertEqual(ok.recovery_term_warning, self._term_warning('04/15/2026', '03/16/2026'))
        ok.invoice_payment_term_id = term_60
        self.assertFalse(ok.recovery_term_warning)

        # the form's posting buttons, as the accountant gets them from the server
        arch = self.env['account.move'].with_user(self.accountant).get_views([(False, 'form')])['views']['form']['arch']
        post_buttons = etree.fromstring(arch).xpath("//header/button[@name='action_post']")

        def visible_post_buttons(move):
            values = {name: move[name] for name in ('hide_post_button', 'move_type', 'state',
                                                    'display_inactive_currency_warning', 'recovery_term_warning')}
            return [b for b in post_buttons if not safe_eval(b.get('invisible') or 'False', values)]

        [button] = visible_post_buttons(late)
        self.assertIn("beyond the legal maximum payment term", button.get('confirm') or '')
        [button] = visible_post_buttons(ok)
        self.assertFalse(button.get('confirm'), "a lawful term posts without a question")

        # what a JSON-RPC call or the batch "Confirm" does: the server posts, the warning stays
        late.with_user(self.accountant).action_post()
        self.assertEqual(late.state, 'posted')
        self.assertEqual(late.recovery_state, 'running')
        self.assertTrue(late.recovery_term_warning)

    def test_prevention_payment_term_and_sales_conditions(self):
        term = self.env.ref('l10n_fr_debt_recovery.account_payment_term_deposit_30')
        self.assertEqual(term.line_ids.mapped('value_amount'), [30.0, 70.0])
        company = self.env['res.company'].create({'name': 'Nouvelle SARL'})
        # the mentions are printed on business invoices by the report, not in the terms
        # Odoo copies on every invoice (tests/test_consumers.py)
        self.assertNotIn('D441-5', str(company.invoice_terms or ''))

    def test_contractual_rate_absurd_refused(self):
        from odoo.exceptions import ValidationError
        with self.assertRaises(ValidationError):
            self.company.recovery_penalty_rate = -2
        with self.assertRaises(ValidationError):
            self.company.recovery_penalty_rate = 250
        with self.assertRaises(ValidationError):
            self.debtor.recovery_penalty_rate = -1

    def test_firm_reminder_quotes_penalties(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 1000)
        self._run('2026-04-01')
        firm = self._mails(self.debtor)
        self.assertEqual(len(firm), 1)
        # 1000 x 12.15 % x 30 / 365 = 9.99
        fr_env = self.env(context=dict(self.env.context, lang=self.debtor.lang))
        self.assertIn('the late-payment penalties amount to <strong>%s</strong> and the recovery indemnities '
                      'to <strong>%s</strong>' % (formatLang(fr_env, 9.99, currency_obj=invoice.currency_id),
                                                  formatLang(fr_env, 40.0, currency_obj=invoice.currency_id)),
                      firm.body_html)
        self.assertEqual(invoice.recovery_step_id, self.step_firm)

    def test_engine_warns_when_a_rate_is_missing(self):
        self.company.recovery_penalty_rate = 20.0  # needs the (unknown) 2026-H2 floor
        invoice = self._invoice(self.debtor, '2026-06-20', 1000)
        self._run('2026-07-20')
        event = self._step_events(invoice, self.step_firm)
        self.assertEqual(event.state, 'done', "the reminder still goes")
        self.assertIn('2026-H2', event.note)
