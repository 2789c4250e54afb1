"""Customer statement: content of the rendered report, print menu of the customer,
and the statement attached to a reminder by the engine."""
import re

from freezegun import freeze_time
from lxml import html

from odoo.tools import formatLang

from .common import DebtRecoveryCommon

REPORT = 'l10n_fr_debt_recovery.action_report_customer_statement'


def _text(node):
    return re.sub(r'\s+', ' ', node.text_content().replace('\xa0', ' ').replace('\u202f', ' ')).strip()


class TestCustomerStatement(DebtRecoveryCommon):

    def _money(self, amount):
        return re.sub(r'\s+', ' ', formatLang(self.env, amount, currency_obj=self.company.currency_id)
                      .replace('\xa0', ' ').replace('\u202f', ' ')).strip()

    def _render(self, partner, data=None):
        content, report_type = self.env['ir.actions.report']._render_qweb_html(REPORT, partner.ids, data=data)
        self.assertEqual(report_type, 'html')
        return html.fromstring(content)

    def test_statement_content(self):
        debtor = self.debtor_b
        late = self._invoice(debtor, '2026-03-02', 1000)
        not_due = self._invoice(debtor, '2026-04-30', 500)
        settled = self._invoice(debtor, '2026-02-01', 300)
        old_paid = self._invoice(debtor, '2025-12-10', 250)
        other_debtor = self._invoice(self.debtor, '2026-03-02', 777)
        self._pay(old_paid, 250, '2025-12-15')      # before the period
        self._pay(settled, 300, '2026-02-10')
        self._pay(late, 400, '2026-03-20')
        with freeze_time('2026-04-15'):
            self.assertEqual(late.recovery_days_late, 44)
            # by hand (ECB 2.15 + 10 = 12.15 %): 1000 x 18 d (3 -> 20 March) + 600 x 26 d (21 March -> 15 April)
            penalty = round(1000 * 12.15 * 18 / 36500, 2) + round(600 * 12.15 * 26 / 36500, 2)
            self.assertAlmostEqual(penalty, 11.18, places=2)
            self.assertAlmostEqual(late.recovery_penalty_amount, penalty, places=2)
            doc = self._render(debtor)

        text = _text(doc)
        self.assertIn('Statement of Account', text)
        self.assertIn('Garage Petit SARL', text)
        self.assertIn('Atelier Durand SARL', text, "the company letterhead (external layout)")

        rows = doc.xpath("//table[contains(@class, 'o_recovery_statement_invoices')]/tbody/tr")
        self.assertEqual([_text(row.xpath('td')[0]) for row in rows], [late.name, not_due.name],
                         "the open invoices only, by due date (not the paid ones, not another debtor's)")
        cells = [_text(td) for td in rows[0].xpath('td')]
        self.assertEqual(cells[3:], [self._money(1000), self._money(600), '44', self._money(penalty),
                                     self._money(40)])
        cells = [_text(td) for td in rows[1].xpath('td')]
        self.assertEqual(cells[3:], [self._money(500), self._money(500), '0', self._money(0), self._money(0)])
        self.assertNotIn(other_debtor.name, text)

        payments = doc.xpath("//table[contains(@class, 'o_recovery_statement_payments')]/tbody/tr")
        self.assertEqual(len(payments), 2, "the payments of the period (3 months up to today), not the older one")
        self.assertEqual([_text(row.xpath('td')[2]) for row in payments], [self._money(300), self._money(400)])

        totals = {_text(row.xpath('td')[0]): _text(row.xpath('td')[1])
                  for row in doc.xpath("//table[contains(@class, 'o_recovery_statement_totals')]//tr")}
        self.assertEqual(totals['Amount due'], self._money(1100))
        self.assertEqual(totals['of which overdue'], self._money(600))
        self.assertEqual(totals['Late-payment penalties to date'], self._money(penalty))
        self.assertEqual(totals['Recovery indemnities'], self._money(40))
        self.assertEqual(totals['Total due with penalties and indemnities'], self._money(1100 + penalty + 40))
        self.assertEqual(totals['Payments received in the period'], self._money(700))

        # another period, given to the report
        with freeze_time('2026-04-15'):
            doc = self._render(debtor, data={'date_from': '2025-12-01', 'date_to': '2025-12-31'})
        payments = doc.xpath("//table[contains(@class, 'o_recovery_statement_payments')]/tbody/tr")
        self.assertEqual([_text(row.xpath('td')[2]) for row in payments], [self._money(250)])

    def test_statement_print_menu_and_empty(self):
        action = self.env.ref(REPORT)
        self.assertEqual(action.binding_model_id.model, 'res.partner')
        self.assertEqual(action.binding_type, 'report')
        doc = self._render(self.consumer)
        self.assertTrue(doc.xpath("//*[contains(@class, 'o_recovery_statement_no_invoice')]"))
        self.assertTrue(doc.xpath("//*[contains(@class, 'o_recovery_statement_no_payment')]"))

    def test_statement_attached_to_reminder(self):
        self.step_courteous.attach_statement = True
        invoices = self._invoice(self.debtor_b, '2026-03-02', 1000) | self._invoice(self.debtor_b, '2026-03-02', 250)
        self._invoice(self.debtor, '2026-03-02', 80)
        self._run('2026-03-07')
        mail = self._mails(self.debtor_b)
        self.assertEqual(len(mail), 1)
        statement = mail.attachment_ids.filtered(lambda a: a.name.startswith('Relevé de compte'))
        self.assertEqual(len(statement), 1, "one statement per debtor's message")
        # in tests Odoo renders the report as HTML (PDF with force_report_rendering)
        self.assertEqual(statement.mimetype, 'text/html')
        self.assertEqual(statement.name, 'Relevé de compte - Garage Petit SARL.html')
        self.assertEqual((statement.res_model, statement.res_id), ('res.partner', self.debtor_b.id))
        content = statement.raw.decode()
        for invoice in invoices:
            self.assertIn(invoice.name, content)
        self.assertNotIn('Boulangerie', content)
        self.assertEqual(len(self._mails(self.debtor).attachment_ids.filtered(
            lambda a: a.name.startswith('Relevé de compte'))), 1)
        # a step without the option attaches nothing
        self.step_courteous.attach_statement = False
        self._invoice(self.consumer, '2026-03-10', 90)
        self._run('2026-03-15')
        self.assertFalse(self._mails(self.consumer).attachment_ids)

    def test_statement_attached_as_pdf(self):
        self.step_courteous.attach_statement = True
        self._invoice(self.debtor_b, '2026-03-02', 1000)
        with freeze_time('2026-03-07'):
            self.env['account.move'].with_context(force_report_rendering=True)._cron_debt_recovery()
            self.env.flush_all()
        statement = self._mails(self.debtor_b).attachment_ids.filtered(lambda a: a.name.startswith('Relevé de compte'))
        self.assertEqual(statement.name, 'Relevé de compte - Garage Petit SARL.pdf')
        self.assertEqual(statement.mimetype, 'application/pdf')
        self.assertTrue(statement.raw.startswith(b'%PDF'))
