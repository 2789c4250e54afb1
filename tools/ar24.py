"""AR24 (electronic registered letters, LRE): the HTTP client, without the ORM.

What it follows (AR24 API documentation, https://developers.ar24.fr/doc/, read in 2026;
the request signing and its test vector as given in its "Getting started"):

* requests are form data (GET query or POST multipart) with ``token`` and ``date``
  (``YYYY-MM-DD HH:MM:SS``, Paris time), and a ``signature`` header: the date
  encrypted with AES-256-CBC, key ``sha256_hex(private_key)`` (its first 32 bytes),
  IV ``sha256_hex(sha256_hex(private_key))[:16]``, base64;
* the HTTP status is always 200; the JSON body says ``{"status": "SUCCESS", "result":
  ...}`` where ``result`` is encrypted the same way with the key
  ``sha256_hex(date + private_key)``; errors come in clear, ``{"status": "ERROR",
  "message": ..., "slug": ...}``; ``{"status": "maintenance"}`` during maintenance;
* the API's own timeout is 60 seconds.

Routes used: ``POST /attachment/`` (a file for a user: ``file_id``), ``POST /mail/``
(the registered letter: ``to_*``, ``dest_statut``, ``ref_dossier``, ``ref_client``,
``attachment[n]``), ``GET /mail/`` (one letter by ``id``), ``GET /user/mail`` (the
user's letters) and the proof URLs the letter carries (``proof_ev_url``,
``proof_ar_url``, ``proof_rf_url``, ``proof_ng_url``, ``proof_bc_url``).
"""
import base64
import hashlib
import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_logger = logging.getLogger(__name__)

SANDBOX_URL = 'https://sandbox.ar24.fr/api'
PRODUCTION_URL = 'https://app.ar24.fr/api'
PARIS = ZoneInfo('Europe/Paris')
DEFAULT_TIMEOUT = 60

# Error kinds, each with its own message for the accountant (see the provider model).
AUTH, ADDRESS, FORMAT, CREDIT, OUTAGE, REFUSED = 'auth', 'address', 'format', 'credit', 'outage', 'refused'
# The slugs AR24 documents for authentication and the request date.
AUTH_SLUGS = {
    'token_invalid', 'token_missing', 'empty_date', 'invalid_date', 'expired_date', 'date_in_future',
    'empty_signature', 'invalid_signature', 'user_not_exist', 'user_unavailable', 'access_denied',
}


class Ar24Error(Exception):
    """A failure of an AR24 call: ``kind`` (one of the constants above), AR24's own
    ``message`` and ``slug`` when it gave them. ``retry`` says whether trying again
    later can succeed (an outage, a timeout)."""

    def __init__(self, kind, message='', slug=''):
        super().__init__(message or kind)
        self.kind = kind
        self.message = message
        self.slug = slug

    @property
    def retry(self):
        return self.kind == OUTAGE


def classify(slug):
    """The kind of an error from its slug: AR24 names its slugs after the field at
    fault (``missing_to_email``, ``email_wrong_format``...)."""
    slug = (slug or '').lower()
    if slug in AUTH_SLUGS or slug.startswith('token') or 'signature' in slug:
        return AUTH
    if any(word in slug for word in ('credit', 'payment', 'billing', 'balance')):
        return CREDIT
    if any(word in slug for word in ('attachment', 'file', 'pdf', 'size')):
        return FORMAT
    if any(word in slug for word in ('to_', 'email', 'lastname', 'firstname', 'company', 'address', 'statut')):
        return ADDRESS
    return REFUSED


# -----------------------------------------------------------------------------
# Signing and encryption
# -----------------------------------------------------------------------------
def request_date(now=None):
    """The ``date`` of a request: Paris time, as AR24 checks it."""
    now = now or datetime.now(tz=PARIS)
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo('UTC'))
    return now.astimezone(PARIS).strftime('%Y-%m-%d %H:%M:%S')


def _hex(value):
    return hashlib.sha256(value.encode()).hexdigest()


def _iv(private_key):
    return _hex(_hex(private_key))[:16].encode()


def _aes(key_hex):
    return algorithms.AES(key_hex.encode()[:32])


def _encrypt(text, key_hex, iv):
    padder = padding.PKCS7(128).padder()
    data = padder.update(text.encode()) + padder.finalize()
    encryptor = Cipher(_aes(key_hex), modes.CBC(iv)).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def _decrypt(text, key_hex, iv):
    decryptor = Cipher(_aes(key_hex), modes.CBC(iv)).decryptor()
    data = decryptor.update(base64.b64decode(text)) + decryptor.finalize()
    # PKCS#7 padding (AR24's test vector decrypts to a padded text)
    if data and 0 < data[-1] <= 16 and data.endswith(bytes([data[-1]]) * data[-1]):
        data = data[:-data[-1]]
    return data.decode()


def signature(date, private_key):
    """The ``signature`` header of a request dated ``date``."""
    return _encrypt(date, _hex(private_key), _iv(private_key))


def decrypt_result(result, date, private_key):
    """The ``result`` of a successful answer to a request dated ``date``, decoded."""
    text = _decrypt(result, _hex(date + private_key), _iv(private_key))
    try:
        return json.loads(text)
    except ValueError:
        return text


def encrypt_result(value, date, private_key):
    """The inverse of :func:`decrypt_result` (for a test server or a demo)."""
    return _encrypt(json.dumps(value), _hex(date + private_key), _iv(private_key))


# -----------------------------------------------------------------------------
# The client
# -----------------------------------------------------------------------------
class Ar24Client:
    """One AR24 account: ``base_url`` (sandbox or production), the API ``token``, the
    ``private_key`` that signs, the sender's ``user_id``. Credentials are never logged."""

    def __init__(self, base_url, token, private_key, user_id, timeout=DEFAULT_TIMEOUT, webhook=None):
        self.base_url = base_url.rstrip('/')
        self.token = token
        self.private_key = private_key
        self.user_id = str(user_id)
        self.timeout = timeout
        self.webhook = webhook

    def _call(self, method, route, data=None, files=None):
        date = request_date()
        params = {'token': self.token, 'date': date, 'id_user': self.user_id}
        if self.webhook and method == 'POST':
            params['webhook'] = self.webhook
        params.update(data or {})
        url = '%s/%s' % (self.base_url, route.lstrip('/'))
        headers = {'signature': signature(date, self.private_key), 'Accept-Language': 'fr'}
        try:
            if method == 'GET':
                response = requests.get(url, params=params, headers=headers, timeout=self.timeout)
            else:
                response = requests.post(url, data=params, files=files, headers=headers, timeout=self.timeout)
        except requests.Timeout as error:
            _logger.warning("AR24 %s %s timed out", method, route)
            raise Ar24Error(OUTAGE, "timeout") from error
        except requests.RequestException as error:
            _logger.warning("AR24 %s %s failed: %s", method, route, error.__class__.__name__)
            raise Ar24Error(OUTAGE, error.__class__.__name__) from error
        if response.status_code >= 500:
            raise Ar24Error(OUTAGE, "HTTP %s" % response.status_code)
        try:
            body = response.json()
        except ValueError as error:
            raise Ar24Error(OUTAGE, "HTTP %s, not JSON" % response.status_code) from error
        status = str(body.get('status', '')).upper()
        if status == 'MAINTENANCE':
            raise Ar24Error(OUTAGE, "maintenance", 'maintenance')
        if status != 'SUCCESS':
            slug = body.get('slug') or ''
            raise Ar24Error(classify(slug), body.get('message') or '', slug)
        result = body.get('result')
        if isinstance(result, str) and result:
            try:
                result = decrypt_result(result, date, self.private_key)
            except ValueError as error:
                # a result we cannot decrypt: the private key does not match the token
                raise Ar24Error(AUTH, "undecryptable result", 'invalid_signature') from error
        return result

    def upload(self, filename, content):
        """Upload the letter's PDF; its ``file_id``."""
        result = self._call('POST', 'attachment/', files={'file': (filename, content, 'application/pdf')})
        file_id = (result or {}).get('file_id')
        if not file_id:
            raise Ar24Error(FORMAT, "no file_id", 'attachment_error')
        return file_id

    def send(self, values, file_ids):
        """Send a registered letter; the letter as AR24 returns it (``id``, ``status``...)."""
        data = dict(values)
        for index, file_id in enumerate(file_ids):
            data['attachment[%d]' % index] = file_id
        return self._call('POST', 'mail/', data=data)

    def get_mail(self, mail_id):
        """One registered letter: its status, dated events and proof URLs."""
        return self._call('GET', 'mail/', data={'id': mail_id})

    def find_by_client_reference(self, reference):
        """The user's letter sent with ``ref_client == reference``, if any (the way back
        to a letter whose sending succeeded while our transaction did not)."""
        result = self._call('GET', 'user/mail') or []
        mails = result.get('mails', result) if isinstance(result, dict) else result
        if isinstance(mails, dict):
            mails = list(mails.values())
        for mail in mails or []:
            if isinstance(mail, dict) and mail.get('ref_client') == reference:
                return mail
        return None

    def download(self, url):
        """A proof (PDF) from the URL AR24 gave for it (it carries its own token)."""
        try:
            response = requests.get(url, timeout=self.timeout)
        except requests.RequestException as error:
            raise Ar24Error(OUTAGE, error.__class__.__name__) from error
        if response.status_code != 200 or not response.content:
            raise Ar24Error(OUTAGE, "proof HTTP %s" % response.status_code)
        return response.content
