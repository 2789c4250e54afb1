"""The address AR24 calls when a registered letter changes (the ``webhook`` parameter
sent with each request). Nothing in the call is trusted: the secret in the address
says which provider it is for, and the letter is then read again from AR24 through a
signed request, exactly as the scheduled action does."""
import hmac
import logging

from odoo import http
from odoo.http import request

from ..tools import ar24

_logger = logging.getLogger(__name__)
# at most this many letters are read again for one call that names none
MAX_CASES_PER_CALL = 20


class PostWebhook(http.Controller):

    @http.route('/l10n_fr_debt_recovery/ar24/<int:provider_id>/<string:secret>', type='http', auth='public',
                methods=['GET', 'POST'], csrf=False, save_session=False)
    def ar24_notification(self, provider_id, secret, **params):
        env = request.env(su=True)
        provider = env['debt.recovery.post.provider'].browse(provider_id).exists()
        expected = provider.webhook_secret if provider and provider.kind == 'ar24' else None
        if not expected or not hmac.compare_digest(expected.encode(), (secret or '').encode()):
            _logger.warning("Registered letter notification refused: unknown provider or wrong secret")
            return request.make_response('forbidden', status=403)
        mail_id = params.get('id_mail') or params.get('id') or params.get('mail_id')
        domain = [('post_provider_id', '=', provider.id), ('post_state', '=', 'posted')]
        if mail_id:
            domain.append(('post_reference', '=', str(mail_id)))
        cases = env['debt.recovery.case'].search(domain, limit=MAX_CASES_PER_CALL)
        for case in cases:
            try:
                with env.cr.savepoint():
                    case._post_apply(provider._fetch(case) or {})
            except ar24.Ar24Error as error:
                case.post_error = provider._error_message(error)
        return request.make_response('OK', status=200)
