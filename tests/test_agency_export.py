"""What a collection agency receives (RGPD art. 5.1.c), the log of each file and its
deletion after the company's period (art. 5.1.e)."""
import csv
import datetime
import hashlib
import io
import zipfile

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import DebtRecoveryCommon

# the format the agencies' tools read: pinned here on purpose
CLAIM_COLUMNS = [
    "Débiteur", "Type de débiteur", "Forme juridique", "SIREN", "RCS", "N° TVA",
    "Adresse", "Complément d'adresse", "Code postal", "Ville", "Pays", "E-mail", "Téléphone",
    "Facture", "Date de facture", "Date d'échéance", "Jours de retard", "Devise", "Montant TTC", "Reste dû",
    "Pénalités ou intérêts de retard", "Indemnité forfaitaire", "Total réclamé", "Calculé au", "Avertissement",
    "Dossier", "Mise en demeure postée le", "N° LRAR", "Retour de la lettre", "Reçue le", "Dernière relance",
    "Fichier de la facture",
]
# what must never leave the company
SECRETS = ("Zébulon Vendeur", "Claire Manager", "Paul Comptable", "NOTE-INTERNE-CHATTER", "NOTE-EVENEMENT-SECRETE",
           "NOTE-CLIENT-SECRETE", "memo-interne", "Jean Contact", "jean.contact@")


class TestAgencyExport(DebtRecoveryCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        france = cls.env.ref('base.fr')
        cls.Export = cls.env['debt.recovery.agency.export']
        cls.agency = cls.env['res.partner'].create({
            'name': 'Recouvrement Express', 'is_company': True, 'recovery_is_agency': True,
            'recovery_agency_commission': 15.0})
        cls.salesperson = mail_new_test_user(
            cls.env, login='zebulon', name='Zébulon Vendeur', email='zebulon@atelier-durand.fr',
            company_id=cls.company.id, groups='base.group_user,account.group_account_invoice')
        cls.debtor.write({
            'street': '5 place Bellecour', 'street2': 'Bâtiment B', 'zip': '69002', 'city': 'Lyon',
            'country_id': france.id, 'company_registry': '54205118000066', 'recovery_legal_form': 'sas',
            'recovery_rcs': 'RCS Lyon 542 051 180', 'vat': 'FR59542051180', 'phone': '04 78 00 00 01',
            'comment': '<p>NOTE-CLIENT-SECRETE</p>',
        })
        # a person at the debtor's: not the debtor's identity, never sent
        cls.env['res.partner'].create({'name': 'Jean Contact', 'parent_id': cls.debtor.id, 'type': 'contact',
                                       'email': 'jean.contact@boulangerie-martin.fr', 'phone': '06 11 11 11 11'})
        cls.consumer.write({
            'street': '3 rue des Lilas', 'zip': '69003', 'city': 'Lyon', 'country_id': france.id,
            'phone': '06 12 34 56 78', 'website': 'https://jeanne-leroy.example.fr', 'function': 'Infirmière',
            'comment': '<p>NOTE-CLIENT-SECRETE</p>',
        })

    # helpers -----------------------------------------------------------------
    def _hand_over(self, on, moves=None, case=None):
        context = ({'active_model': 'debt.recovery.case', 'active_id': case.id} if case
                   else {'active_model': 'account.move', 'active_ids': moves.ids})
        with freeze_time(on):
            action = self.env['debt.recovery.agency.wizard'].with_user(self.manager).with_context(
                **context).create({'agency_id': self.agency.id}).action_confirm()
        return self.env['debt.recovery.agency.handoff'].browse(action['res_id'])

    def _csv(self, archive, name):
        raw = archive.read(name)
        self.assertTrue(raw.startswith(b'\xef\xbb\xbf'), "UTF-8 with a BOM: Excel opens it right")
        return list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline=''), delimiter=';'))

    def _claims(self, archive):
        rows = self._csv(archive, 'creances.csv')
        self.assertEqual(rows[0], CLAIM_COLUMNS)
        return {row[CLAIM_COLUMNS.index("Facture")]: dict(zip(CLAIM_COLUMNS, row)) for row in rows[1:]}

    def _doc_lang(self):
        return self.env['debt.recovery.french.document']._doc_lang()

    def _label(self, model, field_name, value):
        """A selection label as the French documents write it."""
        env = self.env(context=dict(self.env.context, lang=self._doc_lang()))
        return dict(self.env[model]._fields[field_name]._description_selection(env))[value]

    def _assert_nothing_internal(self, archive, secrets=SECRETS):
        for name in archive.namelist():
            text = archive.read(name).decode('utf-8', errors='ignore')
            for secret in secrets:
                self.assertNotIn(secret, text, "%r found in %s" % (secret, name))

    # tests --------------------------------------------------------------------
    def test_business_claims_proofs_and_nothing_internal(self):
        first = self._invoice(self.debtor, '2026-03-02', 1000)
        second = self._invoice(self.debtor, '2026-03-10', 250.5)
        first.invoice_user_id = self.salesperson
        first.message_post(body="NOTE-INTERNE-CHATTER", subtype_xmlid='mail.mt_note')
        self._run('2026-04-16')
        case = self.env['debt.recovery.case'].search([('partner_id', '=', self.debtor.id)])
        self.assertEqual(case.move_ids, first | second)
        self.Event.create({'move_id': first.id, 'partner_id': self.debtor.id, 'event_type': 'call',
                           'channel': 'call', 'call_outcome': 'no_answer', 'note': "NOTE-EVENEMENT-SECRETE",
                           'user_id': self.salesperson.id})
        Attachment = self.env['ir.attachment']
        notice = Attachment.create({'name': 'mise-en-demeure.pdf', 'raw': b'%PDF-1.4 lettre',
                                    'res_model': 'debt.recovery.case', 'res_id': case.id})
        receipt = Attachment.create({'name': 'ar-signe.png', 'raw': b'\x89PNG ar',
                                     'res_model': 'debt.recovery.case', 'res_id': case.id})
        contract = Attachment.create({'name': 'devis-signe.pdf', 'raw': b'%PDF-1.4 devis', 'res_model': 'account.move',
                                      'res_id': first.id, 'recovery_evidence': 'contract'})
        Attachment.create({'name': 'memo-interne.txt', 'raw': b'pas pour l agence', 'res_model': 'account.move',
                           'res_id': first.id})
        case.write({'notice_attachment_id': notice.id, 'notice_date': '2026-04-17',
                    'lrar_number': '1A 123 456 7890 1', 'receipt_status': 'signed', 'receipt_date': '2026-04-18',
                    'receipt_attachment_id': receipt.id})

        handoff = self._hand_over('2026-04-20 10:00:00', case=case)
        archive = zipfile.ZipFile(io.BytesIO(handoff.zip_attachment_id.raw))
        names = archive.namelist()
        case_file = case.name.replace('/', '_')
        invoice_files = {move: next(n for n in names if n.startswith('factures/%s.' % move.name.replace('/', '_')))
                         for move in first | second}
        self.assertEqual(set(names), {
            'creances.csv', 'historique_relances.csv', 'pieces.csv', *invoice_files.values(),
            'mise_en_demeure/%s.pdf' % case_file, 'avis_de_reception/%s.png' % case_file,
            'pieces_justificatives/%s-devis-signe.pdf' % contract.id,
        })
        self.assertEqual(archive.read('mise_en_demeure/%s.pdf' % case_file), b'%PDF-1.4 lettre')

        claims = self._claims(archive)
        self.assertEqual(set(claims), {first.name, second.name})
        row = claims[first.name]
        self.assertEqual(row["Débiteur"], 'Boulangerie Martin SAS')
        self.assertEqual(row["Type de débiteur"], self._label('res.partner', 'recovery_debtor_type', 'professional'))
        self.assertTrue(row["Forme juridique"])
        self.assertEqual((row["SIREN"], row["RCS"], row["N° TVA"]),
                         ('542 051 180', 'RCS Lyon 542 051 180', 'FR59542051180'))
        self.assertEqual((row["Adresse"], row["Complément d'adresse"], row["Code postal"], row["Ville"]),
                         ('5 place Bellecour', 'Bâtiment B', '69002', 'Lyon'))
        self.assertEqual((row["E-mail"], row["Téléphone"]), ('contact@boulangerie-martin.fr', '04 78 00 00 01'),
                         "the company's own e-mail and phone")
        # French formatting: dd/mm/yyyy, decimal comma, no thousands separator
        self.assertEqual((row["Date de facture"], row["Date d'échéance"], row["Jours de retard"]),
                         ('31/01/2026', '02/03/2026', '49'))
        self.assertEqual((row["Devise"], row["Montant TTC"], row["Reste dû"]), ('EUR', '1000,00', '1000,00'))
        # 1000 x 12.15 % (ECB + 10 points) x 49 days / 365 = 16.31, and the 40 EUR indemnity
        with freeze_time('2026-04-20'):
            self.assertEqual(first._recovery_penalty()['penalty'], 16.31)
        self.assertEqual((row["Pénalités ou intérêts de retard"], row["Indemnité forfaitaire"],
                          row["Total réclamé"], row["Calculé au"], row["Avertissement"]),
                         ('16,31', '40,00', '1056,31', '20/04/2026', ''))
        self.assertEqual(claims[second.name]["Montant TTC"], '250,50')
        self.assertEqual((row["Dossier"], row["Mise en demeure postée le"], row["N° LRAR"], row["Reçue le"]),
                         (case.name, '17/04/2026', '1A 123 456 7890 1', '18/04/2026'))
        self.assertEqual(row["Retour de la lettre"], self._label('debt.recovery.case', 'receipt_status', 'signed'))
        self.assertEqual(row["Dernière relance"], first.recovery_step_id.with_context(lang=self._doc_lang()).name)
        self.assertEqual(row["Fichier de la facture"], invoice_files[first])

        # the reminders: dates, steps and channels only
        history = self._csv(archive, 'historique_relances.csv')
        self.assertEqual(history[0], ["Date", "Facture", "Étape", "Canal"])
        steps = self._step_events(first | second).sorted(lambda e: (e.date, e.move_id.id, e.id))
        self.assertTrue(steps)
        self.assertEqual(history[1:], [[e.date.strftime('%d/%m/%Y'), e.move_id.name,
                                        e.step_id.with_context(lang=self._doc_lang()).name,
                                        self._label('debt.recovery.event', 'channel', e.channel)] for e in steps])

        # the index of the proofs, with each file's fingerprint
        exhibits = self._csv(archive, 'pieces.csv')
        self.assertEqual(exhibits[0], ["Fichier", "Pièce", "Facture", "Dossier", "SHA-256"])
        self.assertEqual({r[0] for r in exhibits[1:]}, set(names) - {'creances.csv', 'historique_relances.csv',
                                                                      'pieces.csv'})
        for path, __, __, __, digest in exhibits[1:]:
            self.assertEqual(digest, hashlib.sha256(archive.read(path)).hexdigest())

        # no employee's name (salesperson, who handed over, who got the call), no internal note
        self._assert_nothing_internal(archive)

    def test_consumer_gets_name_address_and_one_contact(self):
        by_phone = self.env['res.partner'].create({
            'name': 'Marc Petit', 'phone': '06 98 76 54 32', 'street': '8 rue Garibaldi', 'zip': '69006',
            'city': 'Lyon', 'country_id': self.env.ref('base.fr').id, 'comment': '<p>NOTE-CLIENT-SECRETE</p>'})
        self.assertEqual((self.consumer.recovery_debtor_type, by_phone.recovery_debtor_type), ('consumer', 'consumer'))
        by_email = self._invoice(self.consumer, '2026-03-02', 800)
        phoned = self._invoice(by_phone, '2026-03-02', 300)
        handoff = self._hand_over('2026-04-20', moves=by_email | phoned)
        archive = zipfile.ZipFile(io.BytesIO(handoff.zip_attachment_id.raw))
        claims = self._claims(archive)
        row = claims[by_email.name]
        self.assertEqual(row["Débiteur"], 'Jeanne Leroy')
        self.assertEqual((row["Adresse"], row["Code postal"], row["Ville"]), ('3 rue des Lilas', '69003', 'Lyon'))
        self.assertEqual((row["E-mail"], row["Téléphone"]), ('jeanne.leroy@example.fr', ''),
                         "one contact channel: the e-mail, not the phone as well")
        self.assertEqual([row[c] for c in ("Forme juridique", "SIREN", "RCS", "N° TVA")], ['', '', '', ''])
        # no formal notice received: no interest yet, and never the 40 EUR (C. civ. 1231-6; C. com. L441-10)
        self.assertEqual((row["Pénalités ou intérêts de retard"], row["Indemnité forfaitaire"], row["Total réclamé"]),
                         ('0,00', '0,00', '800,00'))
        self.assertEqual((claims[phoned.name]["E-mail"], claims[phoned.name]["Téléphone"]), ('', '06 98 76 54 32'))
        self._assert_nothing_internal(archive, SECRETS + (
            '06 12 34 56 78', 'jeanne-leroy.example.fr', 'Infirmière'))
        self.assertEqual(handoff.export_ids.partner_ids, self.consumer | by_phone)

    def test_missing_rate_is_said_not_guessed(self):
        self.company.recovery_penalty_rate = 20.0  # a contractual rate needs the 2026-H2 floor, not recorded
        move = self._invoice(self.debtor, '2026-06-20', 1000)
        handoff = self._hand_over('2026-07-15', moves=move)
        row = self._claims(zipfile.ZipFile(io.BytesIO(handoff.zip_attachment_id.raw)))[move.name]
        self.assertIn('2026-H2', row["Avertissement"])
        self.assertEqual([row[c] for c in ("Pénalités ou intérêts de retard", "Indemnité forfaitaire", "Total réclamé")],
                         ['', '', ''], "no figure rather than a wrong one")
        self.assertEqual(row["Reste dû"], '1000,00')

    def test_export_is_logged_for_managers_only(self):
        move = self._invoice(self.debtor, '2026-03-02', 1000)
        handoff = self._hand_over('2026-04-20 10:00:00', moves=move)
        export = handoff.export_ids
        self.assertEqual(len(export), 1)
        raw = export.attachment_id.raw
        self.assertEqual(handoff.zip_attachment_id, export.attachment_id)
        self.assertEqual((export.agency_id, export.partner_ids, export.move_ids, export.user_id, export.company_id),
                         (self.agency, self.debtor, move, self.manager, self.company))
        self.assertEqual(export.date, datetime.datetime(2026, 4, 20, 10, 0))
        self.assertEqual(export.file_name, 'recouvrement-Recouvrement_Express-2026-04-20.zip')
        self.assertEqual(export.attachment_id.name, export.file_name)
        self.assertEqual((export.file_size, export.file_sha256), (len(raw), hashlib.sha256(raw).hexdigest()))
        self.assertEqual((export.state, str(export.delete_on)), ('kept', '2026-07-19'), "kept 90 days by default")
        # seen from the invoice, the debtor and the agency, by a manager
        for record in (move, self.debtor, self.agency):
            record = record.with_user(self.manager)
            self.assertEqual(record.recovery_agency_export_count, 1)
            self.assertEqual(self.Export.with_user(self.manager).search(
                record.action_recovery_agency_exports()['domain']), export)
        # the file carries personal data: a reminders user sees neither the log nor the ZIP
        with self.assertRaises(AccessError):
            export.with_user(self.accountant).read(['file_name'])
        with self.assertRaises(AccessError):
            export.attachment_id.with_user(self.accountant).read(['datas'])
        with self.assertRaises(AccessError):
            handoff.with_user(self.accountant).action_export()
        self.assertEqual(handoff.with_user(self.accountant).amount_handed, 1000.0, "the hand-off itself stays visible")
        # sent again: a second file, logged as well
        with freeze_time('2026-04-27'):
            handoff.with_user(self.manager).action_export()
        self.assertEqual(len(handoff.export_ids), 2)
        self.assertEqual(handoff.zip_attachment_id, handoff.export_ids.sorted('date')[-1].attachment_id)
        handoff.action_record_return()
        with self.assertRaises(UserError):
            handoff.with_user(self.manager).action_export()

    def test_cron_deletes_the_file_after_the_period_and_keeps_the_log(self):
        self.company.recovery_agency_export_days = 30
        cron = self.env.ref('l10n_fr_debt_recovery.ir_cron_debt_recovery_agency_export')
        self.assertEqual((cron.model_id.model, cron.code.strip(), cron.active),
                         ('debt.recovery.agency.export', 'model._cron_delete_expired()', True))
        old = self._hand_over('2026-04-20 10:00:00', moves=self._invoice(self.debtor, '2026-03-02', 1000)).export_ids
        recent = self._hand_over('2026-05-10 10:00:00', moves=self._invoice(self.debtor_b, '2026-03-02', 500)
                                 ).export_ids
        attachment, digest = old.attachment_id, old.file_sha256
        self.assertEqual(str(old.delete_on), '2026-05-20')
        with freeze_time('2026-05-19 23:00:00'):
            self.assertFalse(self.Export._cron_delete_expired(), "29 days: still kept")
        self.assertEqual(old.state, 'kept')
        with freeze_time('2026-05-20 03:00:00'):
            self.assertEqual(self.Export._cron_delete_expired(), old)
        self.assertFalse(attachment.exists(), "the ZIP is gone")
        self.assertEqual((old.state, old.deletion_date), ('deleted', datetime.datetime(2026, 5, 20, 3, 0)))
        self.assertEqual((old.file_sha256, old.agency_id), (digest, self.agency), "the log line stays")
        self.assertFalse(old.handoff_id.zip_attachment_id)
        self.assertEqual(recent.state, 'kept', "exported 10 days before: kept")
        with freeze_time('2026-05-21 03:00:00'):
            self.assertFalse(self.Export._cron_delete_expired(), "nothing twice")
        # a manager may delete a file before its time
        with self.assertRaises(AccessError):
            recent.with_user(self.accountant).action_delete_file()
        recent.with_user(self.manager).action_delete_file()
        self.assertEqual(recent.state, 'deleted')
        self.assertFalse(recent.attachment_id)

    def test_retention_setting_at_least_one_day_nothing_saved(self):
        self.assertEqual(self.company.recovery_agency_export_days, 90)
        min_amount = self.company.recovery_min_amount
        with self.assertRaises(ValidationError) as caught:
            # Save: Odoo writes the company's related settings as the wizard is created
            self.env['res.config.settings'].create({
                'recovery_agency_export_days': 0, 'recovery_min_amount': min_amount + 123.0}).execute()
        self.assertIn("at least one day", str(caught.exception))
        self.company.invalidate_recordset()
        self.assertEqual((self.company.recovery_agency_export_days, self.company.recovery_min_amount),
                         (90, min_amount), "nothing of the refused settings is saved")
        with self.assertRaises(ValidationError):
            self.company.recovery_agency_export_days = -5
        self.env['res.config.settings'].create({'recovery_agency_export_days': 1}).execute()
        self.assertEqual(self.company.recovery_agency_export_days, 1)
