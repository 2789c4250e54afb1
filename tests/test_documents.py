"""The printed documents as their readers get them: real PDFs from the report engine,
read back with poppler (pdftotext, pdffonts, pdfinfo) as an accountant, a greffe or
a debtor would read them."""
import io
import re
import subprocess

from freezegun import freeze_time
from PIL import Image

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase

from ..tools.fr_format import format_fr_rate, fr_typography
from .common import DebtRecoveryCommon

# English words a French document of the module must not carry, whoever prints it.
ENGLISH_WORDS = (
    'Invoice', 'Due date', 'Due Date', 'Payment due', 'Formal notice', 'Reminder', 'Late-payment', 'penalties',
    'Amount due', 'Court file', 'Administrator', 'Draft', 'Page 1 of', 'Total Claimed', 'Customer', 'Paid on',
)
MAX_COURT_FILE_BYTES = 1_500_000  # what the courts' online filing takes for one file


def _run(command, content):
    return subprocess.run(command, input=content, capture_output=True, check=True).stdout.decode()


def pdf_text(content, page=None):
    """The text of a PDF (or of one page), white space folded (pdftotext gives the
    non-breaking spaces as spaces)."""
    pages = ['-f', str(page), '-l', str(page)] if page else []
    command = subprocess.run(['pdftotext', *pages, '-', '-'], input=content, capture_output=True, check=True)
    assert not command.stderr, "poppler reads the PDF without repairing it: %s" % command.stderr
    return re.sub(r'[ \t\r\n\xa0\u202f]+', ' ', command.stdout.decode())


def pdf_pages(content):
    return int(re.search(r'Pages:\s+(\d+)', _run(['pdfinfo', '-'], content)).group(1))


def pdf_fonts(content):
    """``(name, embedded)`` of every font the PDF uses (columns cut as the header's dashes)."""
    lines = _run(['pdffonts', '-'], content).splitlines()
    spans = [m.span() for m in re.finditer(r'-+', lines[1])]
    return [(line[slice(*spans[0])].strip(), line[slice(*spans[3])].strip() == 'yes') for line in lines[2:] if line.strip()]


def png(width=600, height=400):
    buffer = io.BytesIO()
    Image.new('RGB', (width, height), (250, 250, 245)).save(buffer, format='PNG')
    return buffer.getvalue()


class TestDocuments(DebtRecoveryCommon, HttpCase):
    """An HTTP test: wkhtmltopdf fetches the report's styles (Odoo's fonts among them)
    from the running server, as in production; without them the PDF engine would fall
    back to the system's fonts and the font test would prove nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # French is installed with its translations, and the users act in English:
        # the documents must still be French.
        cls.env['res.lang']._activate_lang('fr_FR')
        cls.env['ir.module.module'].search([('name', 'in', ('account', 'l10n_fr_debt_recovery'))])._update_translations(
            ['fr_FR'])
        fr = cls.env.ref('base.fr').id
        cls.company.partner_id.write({
            'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon', 'country_id': fr,
            'company_registry': '73282932000074', 'recovery_legal_form': 'sarl', 'recovery_rcs': 'RCS Lyon 732 829 320',
        })
        cls.company.write({'street': '12 rue de la République', 'zip': '69002', 'city': 'Lyon',
                           'recovery_share_capital': 15000.0})
        cls.debtor.write({'street': '5 place Bellecour', 'zip': '69002', 'city': 'Lyon', 'country_id': fr,
                          'company_registry': '54205118000066', 'recovery_legal_form': 'sas', 'lang': 'en_US'})
        (cls.manager | cls.accountant).write({'lang': 'en_US'})
        cls.Case = cls.env['debt.recovery.case']
        cls.Report = cls.env['ir.actions.report'].with_context(force_report_rendering=True)

    def setUp(self):
        super().setUp()
        self.env['ir.config_parameter'].sudo().set_param('report.url', self.base_url())

    def _case(self, amounts=(1000.0, 500.0), due='2026-03-02'):
        moves = self.env['account.move']
        for amount in amounts:
            moves |= self._invoice(self.debtor, due, amount)
        return self.Case.create({'partner_id': self.debtor.id, 'move_ids': [Command.set(moves.ids)]}), moves

    def _as_manager(self, case):
        return case.with_user(self.manager).with_context(force_report_rendering=True, lang='en_US')

    def _to_court(self, case, receipt=True):
        """Validate, post and receive the letter, let the deadline pass, prepare the file."""
        with freeze_time('2026-04-24'):  # a Friday
            self._as_manager(case).action_validate_notice()
            case.write({'lrar_number': '1A 234 567 8901 2', 'notice_date': '2026-04-24',
                        'notice_copy_by_email': False})
            self._as_manager(case).action_record_posting()
        with freeze_time('2026-04-28'):  # the acknowledgement, signed on Monday, is back
            vals = {'receipt_status': 'signed', 'receipt_date': '2026-04-27',
                    'court_name': "Tribunal des activités économiques de Lyon"}
            if receipt:
                vals['receipt_attachment_id'] = self.env['ir.attachment'].create({
                    'name': 'avis-de-reception.png', 'raw': png(), 'mimetype': 'image/png',
                    'res_model': 'debt.recovery.case', 'res_id': case.id}).id
            case.write(vals)
            self._as_manager(case).action_record_receipt()
        with freeze_time('2026-05-11'):
            self._as_manager(case).action_deadline_passed()
            self._as_manager(case).action_prepare_court_file()

    def assertFrench(self, text, what):
        found = [word for word in ENGLISH_WORDS if word in text]
        self.assertFalse(found, "%s: English words in a French document" % what)
        self.assertNotRegex(text, r'\d{2}/\d{2}/\d{4}.*\b(AM|PM)\b', "%s: a US date" % what)
        self.assertNotRegex(text, r'\w \,', "%s: a space before a comma" % what)

    def assertSearchable(self, content, what):
        fonts = pdf_fonts(content)
        self.assertTrue(fonts, "%s: text drawn as outlines (no font)" % what)
        self.assertEqual([name for name, embedded in fonts if not embedded], [], "%s: fonts not embedded" % what)

    # --- the formal notice ------------------------------------------------------------
    @freeze_time('2026-04-24')
    def test_formal_notice_is_a_searchable_french_letter_with_letterhead(self):
        case, moves = self._case()
        self._as_manager(case).action_validate_notice()
        content = case.notice_attachment_id.raw
        self.assertEqual(case.notice_attachment_id.mimetype, 'application/pdf')
        self.assertSearchable(content, "formal notice")
        text = pdf_text(content)
        for expected in ("Lyon, le 24 avril 2026", "Objet : Mise en demeure de payer",
                         "Lettre recommandée avec demande d'avis de réception", "Madame, Monsieur,",
                         "Veuillez agréer, Madame, Monsieur", "Jeanne Durand, gérante",
                         # the letterhead and legal footer of every page (C. com. R123-237, R123-238)
                         "Atelier Durand SARL, SARL au capital de 15 000,00 €, SIREN 732 829 320, "
                         "RCS Lyon 732 829 320"):
            self.assertIn(expected, text)
        pages = pdf_pages(content)
        self.assertEqual(text.count("SARL au capital de 15 000,00 €"), pages, "the legal footer on every page")
        self.assertIn("Page %d / %d" % (pages, pages), text)
        self.assertNotIn("PROJET", text)
        self.assertNotIn("Claire Manager", text, "the signer is the representative, never the user who printed")
        self.assertFrench(text, "formal notice")
        # the copies of the invoices follow the letter, in French, with the issuer's letterhead
        self.assertGreater(pages, case.notice_letter_pages)
        self.assertGreaterEqual(case.notice_letter_pages, 1)
        copies = " ".join(pdf_text(content, page=n) for n in range(case.notice_letter_pages + 1, pages + 1))
        for move in moves:
            self.assertIn(move.name, copies)
        self.assertIn("Échéance", copies, "the copies of the invoices are in French")
        self.assertLess(len(content), 600_000, "a letter of a few pages stays light")

    @freeze_time('2026-04-24')
    def test_draft_letter_is_marked_projet_and_has_no_date(self):
        case, __ = self._case()
        content, report_type = self.Report.with_user(self.manager)._render_qweb_pdf(
            'l10n_fr_debt_recovery.action_report_formal_notice', case.ids)
        self.assertEqual(report_type, 'pdf')
        text = pdf_text(content)
        self.assertIn("PROJET", text)
        self.assertIn("non daté", text)
        self.assertNotIn("Lyon, le 24 avril 2026", text)
        self.assertEqual(case.state, 'draft', "printing a draft changes nothing")

    @freeze_time('2026-04-24')
    def test_letter_refused_with_an_incomplete_address(self):
        case, __ = self._case()
        self.debtor.street = False
        with self.assertRaisesRegex(UserError, "postal address is incomplete"):
            self.Report.with_user(self.manager)._render_qweb_pdf(
                'l10n_fr_debt_recovery.action_report_formal_notice', case.ids)
        with self.assertRaisesRegex(UserError, "postal address is incomplete"):
            self._as_manager(case).action_validate_notice()
        self.assertEqual(case.state, 'draft')
        self.assertFalse(case.notice_attachment_id)

    @freeze_time('2026-04-24')
    def test_letter_refused_without_a_signatory(self):
        case, __ = self._case()
        self.company.recovery_representative_name = False
        with self.assertRaisesRegex(UserError, "who signs"):
            self._as_manager(case).action_validate_notice()
        self.assertEqual((case.state, case.notice_letter_date), ('draft', False), "nothing half-done")

    # --- the court file ---------------------------------------------------------------
    def test_court_file_exhibits_stamped_listed_once_and_light(self):
        case, moves = self._case()
        contract = self.env['ir.attachment'].create({
            'name': 'devis-signe.png', 'raw': png(), 'mimetype': 'image/png', 'res_model': 'res.partner',
            'res_id': self.debtor.id, 'recovery_evidence': 'contract'})
        self._to_court(case)
        self.assertFalse(case.court_file_warning, "nothing is missing")
        with freeze_time('2026-05-11'):
            content, __ = self.Report.with_user(self.manager)._render_qweb_pdf(
                'l10n_fr_debt_recovery.action_report_injunction_file', case.ids)
            exhibits = self.env['report.l10n_fr_debt_recovery.report_injunction_request']._exhibits(case)
        self.assertSearchable(content, "court file")
        self.assertLess(len(content), MAX_COURT_FILE_BYTES)
        total = pdf_pages(content)
        pages = [pdf_text(content, page=number) for number in range(1, total + 1)]
        for number, text in enumerate(pages, start=1):
            self.assertIn("Page %d / %d" % (number, total), text)
        # each invoice once: the letter is produced without the copies that followed it
        self.assertEqual([e['title'].split(' ')[0] for e in exhibits],
                         ['Devis', 'Facture', 'Facture', 'Historique', 'Mise', 'Avis'])
        self.assertIn(contract, [e.get('attachment') for e in exhibits])
        listing = next(text for text in pages if "Bordereau des pièces" in text)
        stamped = {}
        for number, text in enumerate(pages, start=1):
            match = re.search(r'Pièce n° (\d+)', text)
            if match:
                stamped.setdefault(int(match.group(1)), []).append(number)
        self.assertEqual(sorted(stamped), [e['number'] for e in exhibits], "every exhibit is stamped")
        for exhibit in exhibits:
            first, last = stamped[exhibit['number']][0], stamped[exhibit['number']][-1]
            where = "p. %d" % first if first == last else "p. %d à %d" % (first, last)
            self.assertIn("%d %s" % (exhibit['number'], exhibit['title'].split(' (')[0]), listing)
            self.assertIn(where, listing, "the list gives the pages of exhibit %d" % exhibit['number'])
        for move in moves:
            invoice_pages = [n for n, text in enumerate(pages, start=1) if re.search(r'Facture %s\b' % re.escape(
                move.name), text) and 'Bordereau' not in text and 'Requête' not in text and 'Historique' not in text]
            self.assertEqual(len(invoice_pages), 1, "%s is produced once" % move.name)
        notice = next(e for e in exhibits if e['title'].startswith('Mise'))
        self.assertEqual(len(stamped[notice['number']]), case.notice_letter_pages)
        # the request speaks to the judge: no advice for the creditor, French only
        request = " ".join(pages[:stamped[1][0] - 1])
        for advice in ("Cerfa", "cerfa", "en ligne", "Conseil", "TAE", "contribution"):
            self.assertNotIn(advice, request)
        self.assertIn("Par ces motifs", request)
        self.assertEqual(request.count("Par ces motifs"), 1, "nothing said twice")
        self.assertFrench(" ".join(pages), "court file")

    def test_court_file_warns_when_an_exhibit_is_missing(self):
        case, __ = self._case()
        self._to_court(case, receipt=False)
        self.assertIn("signed acknowledgement of receipt", case.court_file_warning)
        self.assertIn("signed quote", case.court_file_warning)

    # --- the history, written in French whoever acted ---------------------------------
    def test_history_notes_are_rendered_in_french_for_an_english_user(self):
        case, moves = self._case()
        self._to_court(case)
        event = self.env['debt.recovery.event'].search([
            ('move_id', '=', moves[0].id), ('note_source', 'like', 'Acknowledgement of receipt signed%')])
        self.assertEqual(len(event), 1)
        self.assertEqual(event.note, "Acknowledgement of receipt signed on 04/27/2026; payment deadline 05/05/2026.",
                         "the back office reads it in the user's language")
        self.assertEqual(event._note_in('fr_FR'), "Avis de réception signé le 27 avril 2026\xa0; délai de paiement expirant "
                                                  "le 5 mai 2026.")
        with freeze_time('2026-05-11'):
            content, __ = self.Report.with_user(self.manager)._render_qweb_pdf(
                'l10n_fr_debt_recovery.action_report_recovery_history', case.ids)
        text = pdf_text(content)
        self.assertIn("Avis de réception signé le 27 avril 2026", text)
        self.assertIn("Action manuelle", text)
        self.assertNotIn("Claire Manager", text, "no employee name in an exhibit")
        self.assertFrench(text, "reminder history")


class TestFrenchTypography(DebtRecoveryCommon):
    """The French way of writing, as a pure function."""

    def test_typography_non_breaking_spaces_and_commas(self):
        self.assertEqual(fr_typography("<p>Objet : relance ; payé ? oui ! « bien » 10 % , fin</p>"),
                         "<p>Objet\xa0: relance\xa0; payé\xa0? oui\xa0! «\xa0bien\xa0» 10\xa0%, fin</p>")

    def test_typography_leaves_markup_times_and_addresses(self):
        html = '<p style="color: red;">à 12:30 sur https://exemple.fr</p><style>a:hover { b: c; }</style>'
        self.assertEqual(fr_typography(html), html)

    def test_rate_with_decimal_comma_and_non_breaking_space(self):
        self.assertEqual(format_fr_rate(12.4), "12,40\xa0%")
