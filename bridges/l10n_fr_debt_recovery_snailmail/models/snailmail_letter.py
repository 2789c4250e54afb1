from odoo import _, fields, models

# Snailmail errors after which the letter will not leave by itself: the to-do comes back.
TODO_ERRORS = ('CREDIT_ERROR', 'TRIAL_ERROR', 'NO_PRICE_AVAILABLE', 'MISSING_REQUIRED_FIELDS', 'FORMAT_ERROR')


class SnailmailLetter(models.Model):
    _inherit = 'snailmail.letter'

    def write(self, vals):
        res = super().write(vals)
        if vals.get('state') == 'error':
            self._recovery_letter_failed()
        return res

    def _recovery_letter_failed(self):
        """A reminder letter that cannot leave (no credit, no IAP account, a country or a
        format Snailmail refuses): its events say why and the letter to-do comes back,
        once, for the person who receives call to-dos. Snailmail keeps retrying what it
        retries (credits, account, address)."""
        Event = self.env['debt.recovery.event'].sudo()
        for letter in self.filtered(lambda l: l.error_code in TODO_ERRORS):
            events = Event.search([('letter_id', '=', letter.id)])
            if not events or events.activity_id:
                continue
            company = letter.company_id
            user = company.recovery_call_user_id or events.move_id.invoice_user_id[:1] or self.env.user
            activity = letter.partner_id.activity_schedule(
                'l10n_fr_debt_recovery.mail_activity_type_recovery_letter', user_id=user.id,
                date_deadline=fields.Date.context_today(self),
                summary=_("Send a reminder letter to %s", letter.partner_id.display_name),
                note=_("The letter could not leave by post (%s): send it yourself.", letter.error_code))
            events.write({'activity_id': activity.id})
