"""A local AR24 for the tests and the demo: an HTTP server on 127.0.0.1 (free port) that
checks the documented signing and answers as the documentation says (form data in,
JSON out, HTTP 200, ``result`` encrypted, errors in clear, ``maintenance``)."""
import itertools
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from odoo.addons.l10n_fr_debt_recovery.tools import ar24

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _form(handler):
    """The request's fields (and files) from its query string or form body."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
    length = int(handler.headers.get('Content-Length') or 0)
    body = handler.rfile.read(length) if length else b''
    ctype = handler.headers.get('Content-Type', '')
    files = {}
    if ctype.startswith('multipart/form-data'):
        message = BytesParser(policy=HTTP).parsebytes(b'Content-Type: ' + ctype.encode() + b'\r\n\r\n' + body)
        for part in message.iter_parts():
            name = part.get_param('name', header='content-disposition')
            if part.get_filename():
                files[name] = (part.get_filename(), part.get_payload(decode=True))
            else:
                query[name] = part.get_payload(decode=True).decode()
    elif body:
        query.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
    return query, files


class FakeAr24:
    """The server and what it saw. ``error`` (a dict ``slug``, ``message``), ``maintenance``,
    ``http_status`` and ``delay`` script the next answers; ``mails`` are the letters sent
    (by id), whose dated events a test sets to move them."""

    def __init__(self, token='tok-test', private_key='7X9gx9E3Qx4EiUdB63nc', user_id='4242'):
        self.token, self.private_key, self.user_id = token, private_key, user_id
        self.requests = []
        self.mails = {}
        self.error = None
        self.maintenance = False
        self.http_status = 200
        self.delay = 0
        self.sent_at = '2026-05-04 10:12:00'   # ts_ev_date of the letters it sends
        self._ids = itertools.count(9001)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._handle(self, 'GET')

            def do_POST(self):
                fake._handle(self, 'POST')

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.server.server_address[1]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def proof_url(self, kind, mail_id):
        return '%s/get/proof/%s-%s?token=proof' % (self.url, kind, mail_id)

    def new_mail(self, **values):
        mail_id = next(self._ids)
        mail = {'id': mail_id, 'type': 'lre', 'status': 'waiting', 'price_ht': 3.49,
                'ts_ev_date': self.sent_at, 'proof_ev_url': self.proof_url('ev', mail_id)}
        mail.update(values)
        self.mails[mail_id] = mail
        return mail

    # --- answers -----------------------------------------------------------------
    def _send(self, handler, status, payload, content_type='application/json'):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header('Content-Type', content_type)
        handler.send_header('Content-Length', str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler, method):
        path = urlsplit(handler.path).path
        if path.startswith('/get/proof/'):
            self.requests.append({'method': method, 'path': path, 'fields': {}, 'files': {}})
            return self._send(handler, 200, PDF + path.encode(), 'application/pdf')
        fields, files = _form(handler)
        self.requests.append({'method': method, 'path': path, 'fields': fields, 'files': files,
                              'signature': handler.headers.get('signature')})
        if self.delay:
            time.sleep(self.delay)
        if self.http_status != 200:
            return self._send(handler, self.http_status, b'<html>Bad gateway</html>', 'text/html')
        if self.maintenance:
            return self._send(handler, 200, {'status': 'maintenance'})
        date = fields.get('date', '')
        signed = handler.headers.get('signature') == ar24.signature(date, self.private_key)
        if fields.get('token') != self.token or not signed:
            return self._send(handler, 200, {'status': 'ERROR', 'slug': 'token_invalid',
                                             'message': 'Invalid token or signature'})
        if self.error:
            return self._send(handler, 200, {'status': 'ERROR', **self.error})
        result = self._route(method, path, fields, files)
        if result is None:
            return self._send(handler, 200, {'status': 'ERROR', 'slug': 'not_found', 'message': 'Not found'})
        return self._send(handler, 200, {'status': 'SUCCESS',
                                         'result': ar24.encrypt_result(result, date, self.private_key)})

    def _route(self, method, path, fields, files):
        path = path.rstrip('/')
        if method == 'POST' and path.endswith('/attachment'):
            name, content = files.get('file', (None, b''))
            if not content.startswith(b'%PDF'):
                return None
            return {'file_id': 'f-%d' % len(self.requests), 'name': name}
        if method == 'POST' and path.endswith('/mail'):
            if not fields.get('attachment[0]'):
                return None
            return self.new_mail(**{k: fields.get(k) for k in (
                'to_lastname', 'to_firstname', 'to_company', 'to_email', 'dest_statut', 'ref_dossier',
                'ref_client')})
        if method == 'GET' and path.endswith('/user/mail'):
            return list(self.mails.values())
        if method == 'GET' and path.endswith('/mail'):
            return self.mails.get(int(fields.get('id') or 0))
        return None
