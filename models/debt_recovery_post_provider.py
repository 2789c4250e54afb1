"""Who carries the formal notice: a provider of registered letters.

``manual`` is the flow without a service (print, post at the counter, type the LRAR
number). ``ar24`` sends an electronic registered letter (LRE) through AR24's API
(tools/ar24.py). A *qualified* (eIDAS) electronic registered letter has the legal value
of a paper LRAR (CPCE L100); the letter is sent here without AR24's eIDAS sender
identification (a one-time code), which is not implemented. A consumer must have
accepted electronic registered letters beforehand.
"""
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import ar24

PROVIDER_KINDS = [
    ('manual', "Manual (print, post, type the number)"),
    ('ar24', "AR24 (electronic registered letter)"),
]
# What each kind carries: paper letters, electronic ones, or both.
KIND_DELIVERY = {'manual': 'paper', 'ar24': 'electronic'}


class DebtRecoveryPostProvider(models.Model):
    _name = 'debt.recovery.post.provider'
    _description = 'Registered Letter Provider'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(PROVIDER_KINDS, required=True, default='manual')
    company_id = fields.Many2one('res.company', index=True, default=lambda self: self.env.company,
                                 help="Empty: every company may use it (the manual provider).")
    delivery = fields.Selection([('paper', "Paper (LRAR)"), ('electronic', "Electronic (LRE)")],
                                compute='_compute_delivery', string="Letters")
    test_mode = fields.Boolean(
        "Test Mode", default=True,
        help="Use the service's test environment (sandbox): nothing is really sent, nothing is charged.")
    # --- AR24 credentials: administrators only, never in exports nor logs --------
    ar24_token = fields.Char("AR24 API Token", groups='base.group_system', copy=False)
    ar24_private_key = fields.Char("AR24 Private Key", groups='base.group_system', copy=False)
    ar24_user_id = fields.Char("AR24 Sender Account", groups='base.group_system', copy=False,
                               help="The identifier of the AR24 user who sends the letters (id_user).")
    webhook_secret = fields.Char(groups='base.group_system', copy=False, readonly=True,
                                 default=lambda self: secrets.token_urlsafe(24))
    webhook_url = fields.Char("Notification URL", compute='_compute_webhook_url', groups='base.group_system',
                              help="The address AR24 calls when a letter changes; the scheduled action polls "
                                   "anyway.")

    _check_kind_company = models.Constraint(
        "CHECK(kind = 'manual' OR company_id IS NOT NULL)",
        "A registered letter service belongs to one company (its credentials are the company's).")

    @api.depends('kind')
    def _compute_delivery(self):
        for provider in self:
            provider.delivery = KIND_DELIVERY.get(provider.kind, 'paper')

    @api.depends('webhook_secret')
    def _compute_webhook_url(self):
        base = self.env['ir.config_parameter'].sudo().get_param('web.base.url', '')
        for provider in self:
            provider.webhook_url = provider.id and provider.kind == 'ar24' and '%s/l10n_fr_debt_recovery/ar24/%s/%s' % (
                base, provider.id, provider.sudo().webhook_secret) or False

    @api.constrains('kind', 'test_mode', 'active')
    def _check_credentials(self):
        for provider in self.sudo().filtered(lambda p: p.kind == 'ar24' and p.active and not p.test_mode):
            if not (provider.ar24_token and provider.ar24_private_key and provider.ar24_user_id):
                raise ValidationError(_(
                    "AR24 for real sending needs the API token, the private key and the sender account that "
                    "AR24 gave you; keep the test mode until then."))

    # -------------------------------------------------------------------------
    # What the case asks
    # -------------------------------------------------------------------------
    def _is_manual(self):
        return not self or self.kind == 'manual'

    def _check_can_send(self, case):
        """Refuse before any call what the service would refuse: a consumer who did not
        accept electronic registered letters, a recipient without an e-mail address."""
        self.ensure_one()
        partner = case.partner_id
        if self.delivery == 'electronic':
            if case.debtor_type == 'consumer' and not partner.recovery_lre_consent_date:
                raise UserError(_(
                    "%(debtor)s is a consumer who has not accepted electronic registered letters (CPCE L100): "
                    "%(provider)s sends only electronic letters. Record the consent date on the customer, or "
                    "send the formal notice by paper registered letter (manual provider).",
                    debtor=partner.display_name, provider=self.name))
            if not partner.email:
                raise UserError(_(
                    "%s has no e-mail address: an electronic registered letter is delivered to an e-mail "
                    "address. Enter it on the customer or send the letter by paper.", partner.display_name))
        if not self.sudo()._credentials_ok():
            raise UserError(_("The AR24 connection is not configured: an administrator enters the API token, "
                              "the private key and the sender account (Invoicing > Configuration > Registered "
                              "letter services)."))

    def _credentials_ok(self):
        self.ensure_one()
        return bool(self.ar24_token and self.ar24_private_key and self.ar24_user_id)

    def _ar24_client(self):
        """The client of this account: the sandbox in test mode (its URL can be set by
        the system parameter ``l10n_fr_debt_recovery.ar24_sandbox_url``)."""
        self.ensure_one()
        provider = self.sudo()
        params = self.env['ir.config_parameter'].sudo()
        if provider.test_mode:
            url = params.get_param('l10n_fr_debt_recovery.ar24_sandbox_url') or ar24.SANDBOX_URL
        else:
            url = params.get_param('l10n_fr_debt_recovery.ar24_url') or ar24.PRODUCTION_URL
        timeout = float(params.get_param('l10n_fr_debt_recovery.ar24_timeout') or ar24.DEFAULT_TIMEOUT)
        return ar24.Ar24Client(url, provider.ar24_token, provider.ar24_private_key, provider.ar24_user_id,
                               timeout=timeout, webhook=provider.webhook_url or None)

    def _error_message(self, error):
        """A failure of the service in the words of an accountant, with what to do."""
        detail = " (AR24 : %s)" % " - ".join(filter(None, [error.message, error.slug])) \
            if error.message or error.slug else ""
        return {
            ar24.AUTH: _("AR24 refused the connection: the API token, the private key or the sender account is "
                         "wrong or expired, or this server's clock is off. An administrator checks them in the "
                         "registered letter service.%s", detail),
            ar24.ADDRESS: _("AR24 refused the recipient: check the debtor's name and e-mail address.%s", detail),
            ar24.FORMAT: _("AR24 refused the letter's file: it must be a PDF within the service's size limit.%s",
                           detail),
            ar24.CREDIT: _("AR24 refused to send for lack of credit or of a means of payment on the sender "
                           "account.%s", detail),
            ar24.OUTAGE: _("AR24 cannot be reached or is under maintenance: nothing was sent. Try again later; "
                           "the scheduled action retries the tracking by itself.%s", detail),
            ar24.REFUSED: _("AR24 refused the letter.%s", detail),
        }[error.kind]

    # -------------------------------------------------------------------------
    # Sending and tracking (one implementation per kind)
    # -------------------------------------------------------------------------
    def _send(self, case, pdf_name, pdf_content, client_reference):
        """Send the case's formal notice; a dict ``reference``, ``number``, ``posted_on``
        (date or False), ``cost`` and ``mail`` (the raw letter). Raises ``ar24.Ar24Error``."""
        self.ensure_one()
        return getattr(self, '_send_%s' % self.kind)(case, pdf_name, pdf_content, client_reference)

    def _send_manual(self, case, pdf_name, pdf_content, client_reference):
        raise UserError(_("The manual provider sends nothing: print the letter, post it and record its number."))

    def _send_ar24(self, case, pdf_name, pdf_content, client_reference):
        client = self._ar24_client()
        mail = client.find_by_client_reference(client_reference)
        if not mail:
            partner = case.partner_id
            is_company = case.debtor_type != 'consumer'
            names = (case.recipient_name or partner.name or '').split(' ', 1)
            values = {
                'to_lastname': names[-1] if not is_company else (case.recipient_name or partner.name),
                'to_firstname': names[0] if not is_company and len(names) > 1 else '',
                'to_company': (case.recipient_name or partner.name) if is_company else '',
                'to_email': partner.email,
                'dest_statut': 'professionnel' if is_company else 'particulier',
                'ref_dossier': case.name,
                'ref_client': client_reference,
                'content': _("Mise en demeure de payer — dossier %s", case.name),
            }
            file_id = client.upload(pdf_name, pdf_content)
            mail = client.send(values, [file_id])
        return self._ar24_sent_values(mail)

    def _ar24_sent_values(self, mail):
        mail = mail or {}
        if not mail.get('id'):
            raise ar24.Ar24Error(ar24.REFUSED, "no letter id in the answer")
        return {
            'reference': str(mail['id']),
            'number': str(mail['id']),
            'posted_on': _ar24_date(mail.get('ts_ev_date')),
            'cost': float(mail.get('price_ht') or 0.0),
            'mail': mail,
        }

    def _fetch(self, case):
        """What happened to the case's letter: a dict ``status`` (``posted``,
        ``delivered``, ``refused``, ``unclaimed``, ``undelivered``), the dates
        ``posted_on``, ``presented_on``, ``received_on``, the proofs ``{kind: url}``
        (``deposit``, ``receipt``, ``return``) and ``provider_status``."""
        self.ensure_one()
        return getattr(self, '_fetch_%s' % self.kind)(case)

    def _fetch_manual(self, case):
        return None

    def _fetch_ar24(self, case):
        mail = self._ar24_client().get_mail(case.post_reference) or {}
        return _ar24_tracking(mail)

    def _download(self, url):
        self.ensure_one()
        return self._ar24_client().download(url)


def _ar24_date(value):
    """AR24 dates are ``YYYY-MM-DD HH:MM:SS`` (Paris time): the day."""
    if not value:
        return False
    try:
        return fields.Date.to_date(str(value)[:10])
    except ValueError:
        return False


def _ar24_tracking(mail):
    """The tracking of an AR24 letter from its dated events (``ts_ev_date``: sent and
    notified to the recipient; ``view_date``: accepted, the acknowledgement;
    ``refused_date``; ``negligence_date``: not accepted in time; ``bounced_date``: the
    notification could not be delivered) and their proof URLs."""
    posted = _ar24_date(mail.get('ts_ev_date'))
    proofs = {}
    if mail.get('proof_ev_url'):
        proofs['deposit'] = mail['proof_ev_url']
    result = {'status': 'posted', 'posted_on': posted, 'presented_on': posted, 'received_on': False,
              'provider_status': str(mail.get('status') or ''), 'proofs': proofs}
    if mail.get('view_date'):
        result.update(status='delivered', received_on=_ar24_date(mail['view_date']))
        if mail.get('proof_ar_url'):
            proofs['receipt'] = mail['proof_ar_url']
    elif mail.get('refused_date'):
        result.update(status='refused', received_on=_ar24_date(mail['refused_date']))
        if mail.get('proof_rf_url'):
            proofs['return'] = mail['proof_rf_url']
    elif mail.get('negligence_date'):
        result.update(status='unclaimed', received_on=_ar24_date(mail['negligence_date']))
        if mail.get('proof_ng_url'):
            proofs['return'] = mail['proof_ng_url']
    elif mail.get('bounced_date'):
        result.update(status='undelivered')
        if mail.get('proof_bc_url'):
            proofs['return'] = mail['proof_bc_url']
    elif not posted:
        result['status'] = 'sending'
    return result
