"""What a collection agency receives, and the log of each file sent.

The agency gets what it needs to recover and nothing more (RGPD art. 5.1.c, data
minimisation): the debtor's identity, the invoices with their amounts, penalties
and indemnity to date, and the proofs (invoices, formal notice, LRAR number and
receipt, evidence attachments), the reminders as dates, steps and channels. Never
the names of our employees (salesperson, who sent or validated what) nor internal
notes (chatter, event notes, customer notes). For a consumer, only the name, the
postal address and one way to reach them.

Each file is a log line (``debt.recovery.agency.export``): who made it (kept here,
never in the file), agency, debtors, invoices, size and SHA-256. The ZIP itself is
kept for the company's period (``res.company.recovery_agency_export_days``; RGPD
art. 5.1.e, storage limitation) and then deleted by the daily scheduled action
``ir_cron_debt_recovery_agency_export``; the log line stays and says when.
"""
import csv
import datetime
import hashlib
import io
import zipfile

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import split_every

DEFAULT_BATCH_SIZE = 200

# The files are read by the agency's tools (French spreadsheets, import
# mappings): their column names are a fixed French format, not a text of the
# interface, so they do not follow the user's language.
CLAIMS_FILE = 'creances.csv'
CLAIM_COLUMNS = [
    # the debtor
    "Débiteur", "Type de débiteur", "Forme juridique", "SIREN", "RCS", "N° TVA",
    "Adresse", "Complément d'adresse", "Code postal", "Ville", "Pays", "E-mail", "Téléphone",
    # the invoice
    "Facture", "Date de facture", "Date d'échéance", "Jours de retard", "Devise", "Montant TTC", "Reste dû",
    "Pénalités ou intérêts de retard", "Indemnité forfaitaire", "Total réclamé", "Calculé au", "Avertissement",
    # the proofs
    "Dossier", "Mise en demeure postée le", "N° LRAR", "Retour de la lettre", "Reçue le", "Dernière relance",
    "Fichier de la facture",
]
HISTORY_FILE = 'historique_relances.csv'
HISTORY_COLUMNS = ["Date", "Facture", "Étape", "Canal"]
EXHIBITS_FILE = 'pieces.csv'
EXHIBIT_COLUMNS = ["Fichier", "Pièce", "Facture", "Dossier", "SHA-256"]
EXHIBIT_KINDS = {
    'invoice': "Facture",
    'formal_notice': "Mise en demeure",
    'receipt': "Avis de réception ou pli retourné",
    'contract': "Devis signé / contrat",
    'correspondence': "Correspondance",
}
# Characters that make a spreadsheet read a cell as a formula (CSV injection)
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')


def _csv(rows, columns):
    """A CSV as French spreadsheets open it: ``;`` separator, UTF-8 with a BOM."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=';', lineterminator='\r\n')
    writer.writerow(columns)
    writer.writerows(rows)
    return text.getvalue().encode('utf-8-sig')


def _text(value):
    """A text cell; one that a spreadsheet would run as a formula is quoted."""
    value = (value or '').strip()
    return "'" + value if value.startswith(FORMULA_START) else value


def _date(value):
    return value.strftime('%d/%m/%Y') if value else ''


def _amount(value, currency):
    """Decimal comma, no thousands separator: ``1234,50``."""
    return ("%.*f" % (currency.decimal_places, currency.round(value or 0.0))).replace('.', ',')


def _file_part(name):
    return (name or '').replace('/', '_').replace('\\', '_').strip() or 'document'


class DebtRecoveryAgencyExport(models.Model):
    """One file handed to a collection agency: the log outlives the file."""
    _name = 'debt.recovery.agency.export'
    _description = 'Export to a Collection Agency'
    _order = 'date desc, id desc'
    _rec_name = 'file_name'

    handoff_id = fields.Many2one('debt.recovery.agency.handoff', string="Hand-off", required=True, index=True,
                                 ondelete='restrict', readonly=True)
    company_id = fields.Many2one('res.company', required=True, index=True, readonly=True)
    agency_id = fields.Many2one('res.partner', string="Agency", required=True, index=True, readonly=True)
    partner_ids = fields.Many2many('res.partner', 'debt_recovery_agency_export_partner_rel', 'export_id',
                                   'partner_id', string="Debtors", readonly=True)
    move_ids = fields.Many2many('account.move', 'debt_recovery_agency_export_move_rel', 'export_id', 'move_id',
                                string="Invoices", readonly=True)
    date = fields.Datetime("Exported On", required=True, default=fields.Datetime.now, index=True, readonly=True)
    user_id = fields.Many2one('res.users', string="Exported By", default=lambda self: self.env.user, readonly=True,
                              help="Kept in this log only: no employee's name is written in the file.")
    # --- the file ---------------------------------------------------------------
    attachment_id = fields.Many2one('ir.attachment', string="File", readonly=True, ondelete='set null')
    file_data = fields.Binary(related='attachment_id.datas', string="ZIP")
    file_name = fields.Char("File Name", required=True, readonly=True)
    file_size = fields.Integer("Size (bytes)", readonly=True)
    file_sha256 = fields.Char("SHA-256", readonly=True,
                              help="Fingerprint of the file sent: it still identifies it after the file is deleted.")
    state = fields.Selection([('kept', "Kept"), ('deleted', "Deleted")], default='kept', required=True,
                             index=True, readonly=True)
    delete_on = fields.Date("To Be Deleted On", compute='_compute_delete_on',
                            help="The export date plus the days set in Settings > Recouvrement.")
    deletion_date = fields.Datetime("Deleted On", readonly=True)

    @api.depends('date', 'company_id.recovery_agency_export_days', 'state')
    def _compute_delete_on(self):
        for export in self:
            export.delete_on = export.state == 'kept' and export.date and fields.Date.add(
                export.date.date(), days=export.company_id.recovery_agency_export_days)

    # -------------------------------------------------------------------------
    # Making the file
    # -------------------------------------------------------------------------
    @api.model
    def _export_handoff(self, handoff):
        """Build the ZIP of ``handoff`` for its agency, keep it and log it.

        :return: the log line (``debt.recovery.agency.export``)
        """
        moves = handoff.move_ids.filtered(lambda m: m.state == 'posted' and m.payment_state in ('not_paid', 'partial'))
        content = self._zip_content(handoff, moves)
        name = "recouvrement-%s-%s.zip" % (_file_part(handoff.agency_id.name).replace(' ', '_'),
                                           fields.Date.context_today(self))
        export = self.sudo().create({
            'handoff_id': handoff.id, 'company_id': handoff.company_id.id, 'agency_id': handoff.agency_id.id,
            'partner_ids': [fields.Command.set(moves.commercial_partner_id.ids)],
            'move_ids': [fields.Command.set(moves.ids)],
            'user_id': self.env.user.id,
            'file_name': name, 'file_size': len(content), 'file_sha256': hashlib.sha256(content).hexdigest(),
        })
        export.attachment_id = self.env['ir.attachment'].sudo().create({
            'name': name, 'raw': content, 'mimetype': 'application/zip',
            'res_model': export._name, 'res_id': export.id,
        })
        return export.sudo(False)

    @api.model
    def _zip_content(self, handoff, moves):
        """``creances.csv`` (a line per invoice), ``historique_relances.csv``, ``pieces.csv``
        (the index of the proofs) and the proofs themselves."""
        exhibits = self._exhibits(handoff, moves)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
            invoice_files = {move: path for path, __, kind, move, __ in exhibits if kind == 'invoice'}
            archive.writestr(CLAIMS_FILE, _csv(self._claim_rows(moves, invoice_files), CLAIM_COLUMNS))
            archive.writestr(HISTORY_FILE, _csv(self._history_rows(moves), HISTORY_COLUMNS))
            archive.writestr(EXHIBITS_FILE, _csv([
                [path, EXHIBIT_KINDS[kind], move.name or '', case.name or '', hashlib.sha256(content).hexdigest()]
                for path, content, kind, move, case in exhibits], EXHIBIT_COLUMNS))
            for path, content, __, __, __ in exhibits:
                archive.writestr(path, content)
        return buffer.getvalue()

    @api.model
    def _labels(self, model, field_name):
        """A selection's labels in the language of the module's French documents."""
        env = self.env(context=dict(self.env.context, lang=self.env['debt.recovery.french.document']._doc_lang()))
        return dict(self.env[model]._fields[field_name]._description_selection(env))

    @api.model
    def _debtor_identity(self, debtor, labels):
        """The debtor's columns of ``creances.csv``. A business: its identity, registry
        numbers and the company's own e-mail and phone. A consumer: name, postal address
        and a single way to reach them (the e-mail, else the phone), nothing else
        (RGPD art. 5.1.c).

        :param labels: ``{field name: {value: label}}`` of the selections written
        """
        lang = self.env['debt.recovery.french.document']._doc_lang()
        address = [debtor.street, debtor.street2, debtor.zip, debtor.city,
                   debtor.country_id.with_context(lang=lang).name]
        if debtor.recovery_debtor_type == 'consumer':
            email = debtor.email or ''
            phone = '' if email else debtor.phone or ''
            registry = ['', '', '', '']
        else:
            email, phone = debtor.email or '', debtor.phone or ''
            registry = [labels['recovery_legal_form'].get(debtor.recovery_legal_form, ''),
                        debtor.recovery_siren or '', debtor.recovery_rcs or '', debtor.vat or '']
        debtor_type = labels['recovery_debtor_type'].get(debtor.recovery_debtor_type, '')
        return [_text(value) for value in [debtor.name, debtor_type, *registry, *address, email, phone]]

    @api.model
    def _claim_rows(self, moves, invoice_files):
        """A line per invoice: debtor, amounts with penalties and indemnity to date
        (``account.move._recovery_penalty``), formal notice and its proof."""
        today = fields.Date.context_today(self)
        table = self.env['debt.recovery.rate']._get_table()
        receipt_labels = self._labels('debt.recovery.case', 'receipt_status')
        labels = {name: self._labels('res.partner', name) for name in ('recovery_legal_form', 'recovery_debtor_type')}
        identities = {debtor: self._debtor_identity(debtor, labels) for debtor in moves.commercial_partner_id}
        lang = self.env['debt.recovery.french.document']._doc_lang()
        rows = []
        for move in moves.sorted(lambda m: (m.commercial_partner_id.name or '', m.invoice_date_due, m.name)):
            currency = move.currency_id
            try:
                claim = move._recovery_penalty(at_date=today, table=table)
                warning = ''
                penalty, indemnity = claim['penalty'], claim['indemnity']
                amounts = [_amount(penalty, currency), _amount(indemnity, currency),
                           _amount(move.amount_residual + penalty + indemnity, currency)]
            except UserError as error:
                # the law is data: say that a rate is missing rather than send a wrong figure
                warning = error.args[0]
                amounts = ['', '', '']
            due = move.recovery_due_date or move.invoice_date_due
            days_late = max((today - due).days, 0) if due else 0
            case = move.recovery_case_id
            rows.append(identities[move.commercial_partner_id] + [
                _text(move.name), _date(move.invoice_date), _date(move.invoice_date_due), days_late,
                currency.name, _amount(move.amount_total, currency),
                _amount(move.amount_residual, currency), *amounts, _date(today), _text(warning),
                _text(case.name), _date(case.notice_date), _text(case.lrar_number),
                receipt_labels.get(case.receipt_status, ''), _date(case.received_date),
                _text(move.recovery_step_id.with_context(lang=lang).name), invoice_files.get(move, ''),
            ])
        return rows

    @api.model
    def _history_rows(self, moves):
        """The reminders done, as dates, steps and channels only: no author, no note,
        no message."""
        lang = self.env['debt.recovery.french.document']._doc_lang()
        channels = self._labels('debt.recovery.event', 'channel')
        events = self.env['debt.recovery.event'].sudo().search(
            [('move_id', 'in', moves.ids), ('event_type', '=', 'step'), ('state', '=', 'done')],
            order='date, move_id, id')
        return [[_date(event.date), _text(event.move_id.name), _text(event.step_id.with_context(lang=lang).name),
                 channels.get(event.channel, '')] for event in events]

    @api.model
    def _exhibits(self, handoff, moves):
        """The proofs, as ``(path in the ZIP, content, kind, invoice, case)``: each invoice
        (the PDF kept when it was sent, else rendered), each case's formal notice and the
        receipt or returned envelope, and the attachments of the invoices and debtors
        marked as recovery evidence."""
        Report = self.env['ir.actions.report'].sudo()
        Move, Case = self.env['account.move'], self.env['debt.recovery.case']
        exhibits = []
        for move in moves.sorted(lambda m: (m.invoice_date, m.name)):
            kept = move.sudo().invoice_pdf_report_id
            if kept:
                content, extension = kept.raw, 'pdf'
            else:
                content, extension, __ = Report._recovery_render('account.account_invoices', move)
            exhibits.append(("factures/%s.%s" % (_file_part(move.name), extension), content, 'invoice', move, Case))
        for case in (moves.recovery_case_ids | handoff.case_id).sudo().sorted('id'):
            if case.notice_attachment_id:
                exhibits.append(("mise_en_demeure/%s.pdf" % _file_part(case.name), case.notice_attachment_id.raw,
                                 'formal_notice', Move, case))
            receipt = case.receipt_attachment_id
            if receipt:
                extension = receipt.name.rsplit('.', 1)[-1] if '.' in (receipt.name or '') else 'pdf'
                exhibits.append(("avis_de_reception/%s.%s" % (_file_part(case.name), extension), receipt.raw,
                                 'receipt', Move, case))
        evidence = self.env['ir.attachment'].sudo().search([
            '|', '&', ('res_model', '=', 'account.move'), ('res_id', 'in', moves.ids),
            '&', ('res_model', '=', 'res.partner'), ('res_id', 'in', moves.commercial_partner_id.ids),
            ('recovery_evidence', '!=', False)], order='id')
        for attachment in evidence:
            move = Move.browse(attachment.res_id) if attachment.res_model == 'account.move' else Move
            exhibits.append(("pieces_justificatives/%s-%s" % (attachment.id, _file_part(attachment.name)),
                             attachment.raw, attachment.recovery_evidence, move, Case))
        return exhibits

    @api.model
    def _action_open(self, domain):
        return {
            'type': 'ir.actions.act_window', 'name': _("Agency Exports"), 'res_model': self._name,
            'view_mode': 'list,form', 'domain': domain, 'context': {'create': False},
        }

    # -------------------------------------------------------------------------
    # Deleting the file
    # -------------------------------------------------------------------------
    def action_delete_file(self):
        """Delete the ZIP now, before its period ends (the agency confirmed it has it,
        or a debtor asked); the log line stays."""
        if not self.env.user.has_group('l10n_fr_debt_recovery.group_recovery_manager'):
            raise AccessError(_("Only a recovery manager can delete an agency export."))
        self.sudo().filtered(lambda e: e.state == 'kept')._delete_file()
        return True

    def _delete_file(self):
        """Unlink the ZIP (the filestore's garbage collector removes its content) and
        mark the log line deleted, with the date."""
        self.attachment_id.unlink()
        self.write({'state': 'deleted', 'deletion_date': fields.Datetime.now()})

    @api.model
    def _expired_domain(self, today):
        """Exports kept for their company's period: exported on ``today`` minus the
        period or earlier."""
        domains = []
        for company in self.env['res.company'].sudo().search([]):
            first_kept = today - datetime.timedelta(days=company.recovery_agency_export_days - 1)
            domains.append(Domain('company_id', '=', company.id)
                           & Domain('date', '<', datetime.datetime.combine(first_kept, datetime.time.min)))
        return Domain('state', '=', 'kept') & Domain.OR(domains)

    @api.model
    def _batch_size(self):
        """Exports per batch (system parameter ``l10n_fr_debt_recovery.agency_export_batch_size``)."""
        return int(self.env['ir.config_parameter'].sudo().get_param(
            'l10n_fr_debt_recovery.agency_export_batch_size', DEFAULT_BATCH_SIZE))

    @api.model
    def _cron_delete_expired(self):
        """The daily scheduled action ``ir_cron_debt_recovery_agency_export``: delete the
        ZIPs past their company's period, keep the log lines.

        In a cron job each batch is committed with ``ir.cron._commit_progress``;
        elsewhere (tests, shell) the caller owns the transaction.

        :return: the log lines whose file was deleted
        """
        exports = self.sudo()
        in_cron = bool(self.env.context.get('ir_cron_progress_id'))
        expired = exports.search(self._expired_domain(fields.Date.context_today(self)), order='date, id')
        if in_cron:
            self.env['ir.cron']._commit_progress(remaining=len(expired))
        deleted = exports.browse()
        for batch in split_every(self._batch_size(), expired.ids, exports.browse):
            try:
                with self.env.cr.savepoint():
                    locked = batch.try_lock_for_update()
            except psycopg2.errors.SerializationFailure:
                # another worker (or a manager's click) deleted them and committed meanwhile
                locked = exports.browse()
            locked = locked.filtered(lambda e: e.state == 'kept')
            locked._delete_file()
            deleted |= locked
            if in_cron and self.env['ir.cron']._commit_progress(len(batch)) <= 0:
                break
        return deleted


class AccountMove(models.Model):
    _inherit = 'account.move'

    recovery_agency_export_count = fields.Integer(
        compute='_compute_recovery_agency_export_count', groups='l10n_fr_debt_recovery.group_recovery_manager')

    def _compute_recovery_agency_export_count(self):
        counts = dict(self.env['debt.recovery.agency.export']._read_group(
            [('move_ids', 'in', self.ids)], ['move_ids'], ['__count']))
        for move in self:
            move.recovery_agency_export_count = counts.get(move, 0)

    def action_recovery_agency_exports(self):
        """The files that carried this invoice to a collection agency."""
        self.ensure_one()
        return self.env['debt.recovery.agency.export']._action_open([('move_ids', 'in', self.ids)])


class ResPartner(models.Model):
    _inherit = 'res.partner'

    recovery_agency_export_count = fields.Integer(
        compute='_compute_recovery_agency_export_count', groups='l10n_fr_debt_recovery.group_recovery_manager')

    def _recovery_agency_export_domain(self):
        """The files about this debtor, or sent to this agency."""
        return ['|', ('partner_ids', 'in', self.commercial_partner_id.ids), ('agency_id', 'in', self.ids)]

    def _compute_recovery_agency_export_count(self):
        Export = self.env['debt.recovery.agency.export']
        for partner in self:
            partner.recovery_agency_export_count = Export.search_count(partner._recovery_agency_export_domain())

    def action_recovery_agency_exports(self):
        self.ensure_one()
        return self.env['debt.recovery.agency.export']._action_open(self._recovery_agency_export_domain())
