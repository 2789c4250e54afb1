from odoo import _, models
from odoo.tools import html2plaintext


class MailThread(models.AbstractModel):
    _inherit = 'mail.thread'

    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounce of a reminder recorded by Odoo fails its events (the invoices go
        back one rung and the next run retries), unless another recipient of the
        same e-mail did receive it."""
        super()._routing_handle_bounce(email_message, message_dict)
        message, bounced_email = message_dict.get('bounced_message'), message_dict.get('bounced_email')
        if not message or not bounced_email:
            return
        events = self.env['debt.recovery.event'].sudo().search([
            ('mail_message_id', 'in', message.ids), ('state', '=', 'done'), ('event_type', '=', 'step')])
        recipients = set(events.mail_id.recipient_ids.mapped('email_normalized'))
        if not events or recipients - {bounced_email}:
            return
        detail = ' '.join(html2plaintext(message_dict.get('body') or '').split())[:300]
        events._recovery_mark_failed(_("Bounced by %(email)s: %(detail)s", email=bounced_email, detail=detail))
