import smtplib

from odoo import _, models


class MailMail(models.Model):
    _inherit = 'mail.mail'

    def _postprocess_sent_message(self, success_pids, success_emails, failure_reason=False, failure_type=None):
        # A reminder that could not be delivered is not a reminder: its events
        # become failed and the invoices go back one rung, so the next run retries.
        if failure_type and not success_pids and not success_emails:
            events = self.env['debt.recovery.event'].sudo().search([
                ('mail_id', 'in', self.ids), ('state', '=', 'done')])
            if events:
                events._recovery_mark_failed(failure_reason or _("The e-mail could not be sent (%s).", failure_type))
        return super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type)

    def _send(self, *args, **kwargs):
        try:
            return super()._send(*args, **kwargs)
        except smtplib.SMTPServerDisconnected as error:
            # The server hung up: the mail being sent stays in exception without
            # going through _postprocess_sent_message; its reminder was not delivered.
            events = self.env['debt.recovery.event'].sudo().search([
                ('mail_id', 'in', self.filtered(lambda m: m.state == 'exception').ids), ('state', '=', 'done')])
            if events:
                events._recovery_mark_failed(_("The mail server closed the connection: %s", error))
            raise
