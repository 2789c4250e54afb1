"""Consumers (issue 11 §4): no 40 EUR indemnity on their invoices, one rate sentence on
business invoices, the consumer mediator, late interest at the legal rate in their
documents, and the 2-year limit from the completion of the work."""
import importlib.util
import os
import re

from freezegun import freeze_time
from lxml import etree, html

from odoo.exceptions import UserError

from odoo.addons.l10n_fr_debt_recovery.models.res_company import DEFAULT_INVOICE_MENTION

from .common import DebtRecoveryCommon

INVOICES = 'account.account_invoices'
STATEMENT = 'l10n_fr_debt_recovery.action_report_customer_statement'
MEDIATOR = {'recovery_mediator_name': "CM2C, Centre de la médiation de la consommation",
            'recovery_mediator_url': "https://www.cm2c.net", 'recovery_mediator_address': "14 rue Saint-Jean, 75017 Paris"}
# what would say that the 40 EUR indemnity is owed
INDEMNITY = re.compile(r"40\s*(euros|EUR|€)|D441-5|indemnit", re.IGNORECASE)
TERMS = "<p>Conditions générales de vente : nos prestations sont payables à 30 jours.</p>"


def _text(content):
    node = html.fromstring(content) if isinstance(content, (str, bytes)) else content
    return re.sub(r'\s+', ' ', node.text_content().replace('\xa0', ' ').replace('\u202f', ' ')).strip()


def _migration(version, name):
    from odoo.addons import l10n_fr_debt_recovery
    path = os.path.join(os.path.dirname(l10n_fr_debt_recovery.__file__), 'migrations', version, name)
    spec = importlib.util.spec_from_file_location('ldr_%s_%s' % (version.replace('.', '_'), name[:3]), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestConsumers(DebtRecoveryCommon):

    def _invoice_html(self, invoice):
        return self.env['ir.actions.report']._render_qweb_html(INVOICES, invoice.ids)[0].decode()

    def _terms_on(self):
        self.env['ir.config_parameter'].sudo().set_param('account.use_invoice_terms', True)
        self.company.invoice_terms = TERMS

    # -------------------------------------------------------------------------
    # No 40 EUR on a consumer's invoice (C. com. L441-10 II, D441-5)
    # -------------------------------------------------------------------------
    def test_no_indemnity_on_consumer_invoice_with_company_terms_L441_10(self):
        self._terms_on()
        self.company._recovery_set_default_mentions()
        self.assertNotRegex(str(self.company.invoice_terms), INDEMNITY, "the mentions stay out of the terms")
        new_company = self.env['res.company'].create({'name': 'Nouvelle SARL'})
        self.assertNotRegex(str(new_company.invoice_terms or ''), INDEMNITY)
        consumer = self._invoice(self.consumer, '2026-03-02')
        business = self._invoice(self.debtor, '2026-03-02')
        self.assertIn("Conditions générales de vente", consumer.narration, "Odoo copies the terms on the invoice")
        self.assertNotRegex(str(consumer.narration), INDEMNITY)
        consumer_html = self._invoice_html(consumer)
        self.assertIn("Conditions générales de vente", consumer_html)
        self.assertNotRegex(_text(consumer_html), INDEMNITY)
        self.assertNotIn('recovery_legal_mentions', consumer_html)
        business_text = _text(self._invoice_html(business))
        self.assertIn("fixed indemnity for recovery costs of 40 euros (C. com. L441-10 II and D441-5)", business_text)
        self.assertEqual(business_text.count("40 euros"), 1, "printed once, by the report")

    def test_upgrade_removes_indemnity_from_terms_and_draft_invoices_L441_10(self):
        """19.0.1.2.0: the paragraph the module appended to the terms goes, from the company
        and from the notes of draft invoices; issued invoices are not rewritten."""
        post = _migration('19.0.1.2.0', 'post-migrate.py')
        self.env['ir.config_parameter'].sudo().set_param('account.use_invoice_terms', True)
        old = "<p>%s</p>" % post.OLD_MENTION.replace("'", "&#39;")
        self.company.recovery_invoice_mention = post.OLD_MENTION
        self.company.invoice_terms = TERMS + old
        posted = self._invoice(self.consumer, '2026-03-02')
        draft = self._invoice(self.consumer, '2026-03-02', post=False)
        self.assertIn("D441-5", draft.narration, "as on a database of 19.0.1.1.0")
        self.env.flush_all()
        post.migrate(self.env.cr, '19.0.1.1.0')
        self.env.invalidate_all()
        self.assertEqual(str(self.company.invoice_terms), TERMS)
        self.assertEqual(str(draft.narration), TERMS)
        self.assertIn("D441-5", str(posted.narration), "an issued invoice is left as it was sent")
        self.assertEqual(self.company.recovery_invoice_mention, DEFAULT_INVOICE_MENTION,
                         "the shipped text becomes the new default")
        # a company that reworded its mentions keeps them
        self.company.recovery_invoice_mention = "Pénalités : 15 % l'an. Indemnité : 40 euros (D441-5)."
        self.env.flush_all()
        post.migrate(self.env.cr, '19.0.1.1.0')
        self.env.invalidate_all()
        self.assertEqual(self.company.recovery_invoice_mention, "Pénalités : 15 % l'an. Indemnité : 40 euros (D441-5).")

    # -------------------------------------------------------------------------
    # One rate sentence per invoice (C. com. L441-9, L441-10 II)
    # -------------------------------------------------------------------------
    def _rate_sentences(self, invoice):
        doc = html.fromstring(self._invoice_html(invoice))
        mentions = doc.xpath("//div[@id='recovery_legal_mentions']")
        self.assertEqual(len(mentions), 1)
        return _text(mentions[0])

    def test_one_rate_sentence_legal_default_L441_9(self):
        text = self._rate_sentences(self._invoice(self.debtor, '2026-03-02'))
        self.assertIn("Late-payment penalty rate: the rate applied by the European Central Bank to its most recent "
                      "refinancing operation, plus 10 points.", text)
        self.assertNotIn("% a year", text, "no contractual rate besides")
        self.assertEqual(text.count("European Central Bank"), 1)

    def test_one_rate_sentence_contractual_rate_L441_9(self):
        self.company.recovery_penalty_rate = 12.0
        text = self._rate_sentences(self._invoice(self.debtor, '2026-03-02'))
        self.assertIn("Late-payment penalty rate: 12.00 % a year (contractual rate).", text)
        self.assertNotIn("European Central Bank", text, "never the legal default besides")
        self.debtor.recovery_penalty_rate = 15.0
        text = self._rate_sentences(self._invoice(self.debtor, '2026-03-02'))
        self.assertIn("15.00 % a year (contractual rate)", text, "the customer's rate first")

    def test_contractual_rate_below_floor_shows_applied_rate_L441_10(self):
        self.company.recovery_penalty_rate = 5.0  # 2026-H1 floor: 3 x 2.62 = 7.86 %
        text = self._rate_sentences(self._invoice(self.debtor, '2026-03-02', invoice_date='2026-02-01'))
        self.assertIn("Late-payment penalty rate: 7.86 % a year (three times the legal interest rate, the minimum "
                      "for a contractual rate).", text)
        self.assertNotIn("5.00 %", text)
        self.assertNotIn("European Central Bank", text)

    # -------------------------------------------------------------------------
    # Consumer mediator (C. conso L612-1, L616-1, R616-1)
    # -------------------------------------------------------------------------
    def test_consumer_mediator_setting_required_L612_1(self):
        with self.assertRaisesRegex(UserError, re.escape(
                "Set the consumer mediator in Settings > Recouvrement before sending a formal notice to a consumer "
                "(C. conso L612-1).")):
            self.company._recovery_check_mediator()
        self.env['res.config.settings'].sudo().create(MEDIATOR).execute()
        self.assertEqual(self.company.recovery_mediator_name, MEDIATOR['recovery_mediator_name'])
        self.assertEqual(self.company.recovery_mediator_url, MEDIATOR['recovery_mediator_url'])
        self.company._recovery_check_mediator()
        admin = self.env.ref('base.user_admin')
        arch = self.env['res.config.settings'].with_user(admin).get_view(view_type='form')['arch']
        block = etree.fromstring(arch).xpath("//block[@id='debt_recovery_settings']//setting[@id='recovery_consumer_mediator']")
        self.assertEqual(len(block), 1, "in the Recouvrement block")
        self.assertEqual(set(block[0].xpath(".//field/@name")), set(MEDIATOR))
        # the paragraph the formal notice calls
        paragraph = _text(self.env['ir.qweb']._render('l10n_fr_debt_recovery.report_consumer_mediator',
                                                      {'company': self.company}))
        self.assertEqual(paragraph, "En cas de litige, vous pouvez recourir gratuitement au médiateur de la "
                                    "consommation dont nous relevons, en vue de la résolution amiable du différend qui "
                                    "nous oppose : CM2C, Centre de la médiation de la consommation, 14 rue Saint-Jean, "
                                    "75017 Paris, https://www.cm2c.net (articles L612-1 et suivants et L616-1 du Code "
                                    "de la consommation).")

    def test_mediation_letter_names_consumer_mediator_L616_1(self):
        consumer = self._invoice(self.consumer, '2026-03-02', 800)
        business = self._invoice(self.debtor, '2026-03-02', 800)
        (consumer | business).write({'recovery_dispute_reason': 'quality'})
        with self.assertRaisesRegex(UserError, "Set the consumer mediator in Settings > Recouvrement before sending "
                                               "a mediation proposal to a consumer"):
            consumer.action_recovery_propose_mediation()
        self.assertFalse(consumer.recovery_mediation_date)
        business.action_recovery_propose_mediation()  # a business debtor needs no consumer mediator
        self.company.write(MEDIATOR)
        consumer.action_recovery_propose_mediation()
        letters = self.env['ir.attachment'].search([
            ('res_model', '=', 'account.move'), ('res_id', 'in', (consumer | business).ids),
            ('recovery_evidence', '=', 'correspondence')])
        text = {letter.res_id: _text(letter.raw.decode()) for letter in letters}
        self.assertIn("médiateur de la consommation dont nous relevons", text[consumer.id])
        self.assertIn("CM2C, Centre de la médiation de la consommation", text[consumer.id])
        self.assertIn("https://www.cm2c.net", text[consumer.id])
        self.assertNotIn("médiateur de la consommation", text[business.id])
        for letter_text in text.values():
            self.assertNotIn("ec.europa.eu/consumers/odr", letter_text, "the EU ODR platform closed on 20 July 2025")
        self.assertNotRegex(text[consumer.id], INDEMNITY)
        self.assertNotIn("Pénalités", text[consumer.id])

    # -------------------------------------------------------------------------
    # Late interest at the legal rate, no indemnity (C. civ. 1231-6, 1344-1)
    # -------------------------------------------------------------------------
    def test_consumer_statement_late_interest_no_indemnity_C_civ_1231_6(self):
        self._invoice(self.consumer, '2026-03-02', 500)
        self._invoice(self.debtor, '2026-03-02', 500)
        with freeze_time('2026-04-15'):
            consumer, business = (html.fromstring(self.env['ir.actions.report']._render_qweb_html(
                STATEMENT, partner.ids)[0]) for partner in (self.consumer, self.debtor))
        heads = [_text(th) for th in consumer.xpath("//table[contains(@class, 'o_recovery_statement_invoices')]//th")]
        self.assertIn("Late Interest at the Legal Rate", heads)
        self.assertNotIn("Penalties to Date", heads)
        self.assertNotIn("Indemnity", heads)
        self.assertEqual(len(consumer.xpath("//table[contains(@class, 'o_recovery_statement_invoices')]//tbody/tr[1]/td")),
                         len(heads), "no indemnity cell either")
        consumer_text = _text(consumer)
        self.assertNotRegex(consumer_text, INDEMNITY)
        self.assertIn("Late interest at the legal rate to date", consumer_text)
        self.assertIn("runs from the receipt of a formal notice to pay (French Civil Code 1231-6 and 1344-1)",
                      consumer_text)
        heads = [_text(th) for th in business.xpath("//table[contains(@class, 'o_recovery_statement_invoices')]//th")]
        self.assertIn("Penalties to Date", heads)
        self.assertIn("Indemnity", heads)
        self.assertIn("Recovery indemnities", _text(business))

    # -------------------------------------------------------------------------
    # 2-year limit from the completion of the work (C. conso L218-2)
    # -------------------------------------------------------------------------
    def test_service_date_defaults_to_invoice_date_L218_2(self):
        invoice = self._invoice(self.consumer, '2026-03-02', invoice_date='2026-02-01')
        self.assertEqual(invoice.recovery_service_date, self.d('2026-02-01'))
        self.assertEqual(invoice._recovery_limitation_start(), self.d('2026-02-01'))
        draft = self._invoice(self.consumer, '2026-03-02', post=False)
        draft.invoice_date = '2026-02-10'
        self.assertEqual(draft.recovery_service_date, self.d('2026-02-10'), "follows the invoice date")

    def test_service_date_editable_after_posting_L218_2(self):
        invoice = self._invoice(self.consumer, '2026-03-02', invoice_date='2026-02-01')
        invoice.is_manually_modified = False
        # as if posted in an earlier transaction, with tracking on as in production
        self.env.flush_all()
        self.env.cr.precommit.run()
        invoice.with_user(self.accountant).with_context(tracking_disable=False, mail_notrack=False).write(
            {'recovery_service_date': '2025-12-15'})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(invoice.recovery_service_date, self.d('2025-12-15'))
        self.assertFalse(invoice.is_manually_modified, "not an accounting change")
        self.assertEqual(invoice.state, 'posted')
        self.assertEqual(invoice._recovery_limitation_start(), self.d('2025-12-15'))
        self.assertTrue(invoice.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == 'recovery_service_date'), "the change is tracked (evidence)")
        arch = self.env['account.move'].with_user(self.accountant).get_view(view_type='form')['arch']
        [field] = etree.fromstring(arch).xpath("//page[@name='debt_recovery']//field[@name='recovery_service_date']")
        self.assertFalse(field.get('readonly'), "editable in the Recovery tab")
        # the case counts the consumer's 2 years from it
        self._run('2026-04-16')
        case = self.env['debt.recovery.case'].search([('partner_id', '=', self.consumer.id)])
        self.assertEqual(case.limitation_date, self.d('2027-12-15'))
