"""The formal notice sent through a registered letter service and tracked.

**Send** gives the validated letter (frozen address, PDF) to the case's provider, then
records the posting through the case workflow (``action_record_posting``). The
tracking (scheduled action, webhook, button) moves the case with what came back
through ``action_record_receipt``, which computes the payment deadline: the letter's
proofs are kept on the case as attachments (recovery evidence).
"""
import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import ar24

_logger = logging.getLogger(__name__)

POST_STATES = [
    ('none', "Not sent through a service"),
    ('posted', "Sent, awaiting the recipient"),
    ('delivered', "Delivered, acknowledgement signed"),
    ('refused', "Refused by the recipient"),
    ('unclaimed', "Not claimed in time"),
    ('undelivered', "Could not be delivered"),
]
TRACKED_POST_STATES = ('posted',)
DEFAULT_TRACKING_BATCH = 50


class DebtRecoveryCase(models.Model):
    _inherit = 'debt.recovery.case'

    post_provider_id = fields.Many2one(
        'debt.recovery.post.provider', string="Sent Through", copy=False, tracking=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        default=lambda self: self.env.company.recovery_post_provider_id,
        help="The registered letter service that carries the formal notice; empty or manual: print, post and "
             "record the number yourself.")
    post_kind = fields.Selection(related='post_provider_id.kind', string="Service")
    post_state = fields.Selection(POST_STATES, string="Letter Tracking", default='none', copy=False, readonly=True,
                                  tracking=True, index=True)
    post_reference = fields.Char("Service Reference", copy=False, readonly=True, index='btree_not_null',
                                 help="The letter's identifier at the service.")
    post_client_reference = fields.Char(
        "Our Reference at the Service", copy=False, readonly=True,
        help="Sent with the letter: if the letter left but Odoo could not record it, the next attempt finds it "
             "at the service by this reference instead of sending it twice.")
    post_cost = fields.Monetary("Cost (excl. VAT)", copy=False, readonly=True)
    post_provider_status = fields.Char("Status at the Service", copy=False, readonly=True)
    post_checked_at = fields.Datetime("Last Checked", copy=False, readonly=True)
    post_error = fields.Text("Tracking Problem", copy=False, readonly=True)
    deposit_proof_attachment_id = fields.Many2one(
        'ir.attachment', string="Proof of Sending", copy=False, readonly=True,
        help="The service's proof that the letter was sent (preuve de dépôt / d'envoi).")
    return_proof_attachment_id = fields.Many2one(
        'ir.attachment', string="Proof of Refusal or Non-claim", copy=False, readonly=True,
        help="The service's proof that the letter was refused, not claimed in time or could not be delivered.")

    # -------------------------------------------------------------------------
    # Send
    # -------------------------------------------------------------------------
    def _post_client_reference(self):
        """Ours, stable for one validated letter: the same case and letter date give the
        same reference, so an attempt after a lost answer finds the letter sent."""
        self.ensure_one()
        uuid = self.env['ir.config_parameter'].sudo().get_param('database.uuid', '')[:8]
        return 'odoo-%s-%s-%s' % (uuid, self.id, fields.Date.to_string(self.notice_letter_date))

    def _post_letter_pdf(self):
        """The validated letter as PDF (kept at validation)."""
        self.ensure_one()
        attachment = self.notice_attachment_id
        if not attachment or attachment.mimetype != 'application/pdf' or not attachment.raw:
            raise UserError(_("The formal notice of %s has no PDF to send: validate the letter again.", self.name))
        return '%s.pdf' % self.name.replace('/', '_'), attachment.raw

    def _post_lock(self):
        """Hold the case while it is sent: a second click or worker gets a clear message."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute("SELECT id FROM debt_recovery_case WHERE id IN %s FOR UPDATE NOWAIT",
                                    [tuple(self.ids)])
        except psycopg2.errors.LockNotAvailable:
            raise UserError(_("The formal notice of %s is being sent by someone else.", self.name)) from None

    def action_post_send(self):
        """Send the validated formal notice through the case's service, and record the
        posting (reference, number, date, cost) in the same transaction."""
        self._check_manager()
        self._check_state('notice_ready')
        for case in self:
            provider = case.post_provider_id
            if provider._is_manual():
                raise UserError(_("%s goes by paper registered letter: print it, post it, then record its number "
                                  "and posting date.", case.name))
            provider._check_can_send(case)
            pdf_name, pdf_content = case._post_letter_pdf()
            case._post_lock()
            reference = case._post_client_reference()
            try:
                sent = provider._send(case, pdf_name, pdf_content, reference)
            except ar24.Ar24Error as error:
                _logger.info("Formal notice %s not sent by %s: %s", case.name, provider.kind, error.kind)
                raise UserError(provider._error_message(error)) from None
            today = fields.Date.context_today(self)
            case.write({
                'post_reference': sent['reference'],
                'post_client_reference': reference,
                'post_cost': sent['cost'],
                'post_state': 'posted',
                'post_provider_status': str(sent['mail'].get('status') or ''),
                'post_error': False,
                'lrar_number': sent['number'],
                'notice_date': sent['posted_on'] or today,
            })
            case.action_record_posting()
            case.message_post(body=_("Formal notice sent through %(provider)s%(test)s: reference %(ref)s, cost "
                                     "%(cost)s excl. VAT.", provider=provider.name, ref=sent['reference'],
                                     test=_(" (test mode)") if provider.test_mode else "",
                                     cost="%.2f %s" % (sent['cost'], case.currency_id.symbol or '')))
            try:
                with self.env.cr.savepoint():
                    case._post_apply(provider._fetch(case) or {})
            except ar24.Ar24Error:
                pass  # the proofs come with the tracking
        return True

    # -------------------------------------------------------------------------
    # Tracking
    # -------------------------------------------------------------------------
    def action_post_check(self):
        """Ask the service now what became of the letter."""
        for case in self.filtered(lambda c: c.post_state in TRACKED_POST_STATES and c.post_reference):
            try:
                case._post_apply(case.post_provider_id._fetch(case) or {})
            except ar24.Ar24Error as error:
                raise UserError(case.post_provider_id._error_message(error)) from None
        return True

    def _post_attach(self, provider, url, name):
        content = provider._download(url)
        return self.env['ir.attachment'].sudo().create({
            'name': '%s - %s.pdf' % (name, self.name.replace('/', '_')),
            'raw': content, 'res_model': self._name, 'res_id': self.id,
            'recovery_evidence': 'post_proof',
        })

    def _post_apply(self, tracking):
        """Move the case with what the service says: the proofs downloaded, then the
        receipt recorded through the workflow (which computes the deadline)."""
        self.ensure_one()
        if not tracking:
            return
        provider = self.post_provider_id
        proofs = tracking.get('proofs') or {}
        vals = {'post_checked_at': fields.Datetime.now(), 'post_error': False,
                'post_provider_status': tracking.get('provider_status') or False}
        if proofs.get('deposit') and not self.deposit_proof_attachment_id:
            vals['deposit_proof_attachment_id'] = self._post_attach(
                provider, proofs['deposit'], _("Preuve de dépôt")).id
        status = tracking.get('status')
        self.write(vals)
        if status not in ('delivered', 'refused', 'unclaimed', 'undelivered') or self.post_state != 'posted':
            return
        if status == 'undelivered':
            if proofs.get('return'):
                self.return_proof_attachment_id = self._post_attach(provider, proofs['return'],
                                                                    _("Preuve de non-distribution"))
            self.post_state = 'undelivered'
            self._log_event(_("The registered letter %s could not be delivered to the recipient's address: the "
                              "debtor is not put on notice. Send the formal notice by paper.", self.post_reference),
                            channel='formal_notice')
            self.activity_schedule('l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice',
                                   user_id=self.user_id.id, date_deadline=fields.Date.context_today(self),
                                   summary=_("Registered letter undeliverable: send the formal notice by paper"))
            return
        if self.state not in ('notice_sent', 'deadline_passed') or self.received_date:
            self.post_state = status
            return
        if status == 'delivered':
            receipt = self._post_attach(provider, proofs['receipt'], _("Accusé de réception")) \
                if proofs.get('receipt') else self.env['ir.attachment']
            self.write({'receipt_status': 'signed', 'receipt_date': tracking['received_on'],
                        'receipt_attachment_id': receipt.id or self.receipt_attachment_id.id})
        else:
            proof = self._post_attach(provider, proofs['return'], _("Preuve de refus") if status == 'refused'
                                      else _("Preuve de non-réclamation")) \
                if proofs.get('return') else self.env['ir.attachment']
            self.write({'receipt_status': status,
                        'presentation_date': tracking.get('presented_on') or self.notice_date,
                        'return_proof_attachment_id': proof.id or False,
                        'receipt_attachment_id': proof.id or self.receipt_attachment_id.id})
        self.post_state = status
        self.action_record_receipt()

    @api.model
    def _post_tracking_batch(self):
        return int(self.env['ir.config_parameter'].sudo().get_param(
            'l10n_fr_debt_recovery.post_tracking_batch', DEFAULT_TRACKING_BATCH))

    @api.model
    def _cron_post_tracking(self):
        """The scheduled action: ask the services what became of the letters sent. An
        outage stops the run (retried next time); other failures are noted on the case."""
        in_cron = bool(self.env.context.get('ir_cron_progress_id'))
        cases = self.sudo().search([('post_state', 'in', TRACKED_POST_STATES), ('post_reference', '!=', False),
                                    ('post_provider_id.kind', '!=', 'manual')],
                                   order='post_checked_at asc nulls first, id', limit=self._post_tracking_batch())
        if in_cron:
            self.env['ir.cron']._commit_progress(remaining=len(cases))
        for case in cases:
            try:
                with self.env.cr.savepoint():
                    if not case.try_lock_for_update():
                        continue
                    case._post_apply(case.post_provider_id._fetch(case) or {})
            except ar24.Ar24Error as error:
                message = case.post_provider_id._error_message(error)
                case.write({'post_error': message, 'post_checked_at': fields.Datetime.now()})
                if error.retry:
                    _logger.info("Registered letter tracking stopped: %s is unavailable", case.post_provider_id.kind)
                    break
            if in_cron and self.env['ir.cron']._commit_progress(1) <= 0:
                break
        return True
