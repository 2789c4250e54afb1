"""Reminder letters by post: the letter channel creates a Snailmail letter (the debtor's
French reminder letter followed by its invoices) instead of a to-do, when the company
enabled it and the address is complete; Snailmail sends it and retries it as it does."""
from markupsafe import Markup

from odoo import _, api, models
from odoo.tools import pdf

LETTER_REPORT = 'l10n_fr_debt_recovery_snailmail.action_report_reminder_letter'


class DebtRecoveryChannel(models.AbstractModel):
    _inherit = 'debt.recovery.channel'

    @api.model
    def _by_snailmail(self, group):
        """Whether the group's letter goes by post (the e-mail step falls back to a
        letter when the debtor has no e-mail address)."""
        return group.channel in ('letter', 'email') and group.company.recovery_letter_by_snailmail

    @api.model
    def _writes(self, group):
        return super()._writes(group) or self._by_snailmail(group)

    @api.model
    def _prepare_todo(self, group, preview=False):
        if group.channel != 'letter' or preview or not self._by_snailmail(group):
            return super()._prepare_todo(group, preview=preview)
        partner = group.partner
        missing = self.env['snailmail.letter']._recovery_missing_address(partner)
        if missing:
            res = super()._prepare_todo(group, preview=preview)
            res.address_note = _("The postal address of %(debtor)s is incomplete (%(missing)s): the letter cannot "
                                 "go by post.", debtor=partner.display_name, missing=", ".join(missing))
            res.note = " ".join(filter(None, [group.note, res.address_note]))
            return res
        res = super()._prepare_todo(group, preview=True)
        res.activity_vals = None
        res.letter = self._create_letter(group)
        return res

    @api.model
    def _prepare_email(self, group):
        # the e-mail step without an address becomes a letter and notes why: keep our note too
        res = super()._prepare_email(group)
        if getattr(res, 'address_note', None) and res.address_note not in (res.note or ''):
            res.note = " ".join(filter(None, [res.note, res.address_note]))
        return res

    @api.model
    def _letter_body(self, group):
        """The reminder's French text: the step's e-mail as the customer would read it."""
        if group.step.mail_template_id:
            return self._render_email(group).get('body_html') or ''
        return ''

    @api.model
    def _create_letter(self, group):
        """The letter of one debtor (kept on its first invoice, whose chatter shows the
        letter's state and errors), queued for Snailmail."""
        Report = self.env['ir.actions.report'].with_company(group.company).with_context(lang=group.partner.lang)
        content, kind = Report.sudo().with_context(report_pdf_no_attachment=True)._render_qweb_pdf(
            LETTER_REPORT, group.partner.ids,
            data={'body': self._letter_body(group), 'move_ids': group.moves.ids, 'step_id': group.step.id})
        if kind == 'pdf':
            invoices = [a.raw for a in self._invoice_attachments(group.moves) if a.mimetype == 'application/pdf']
            content = pdf.merge_pdf([content] + invoices) if invoices else content
        move = group.moves.sorted(lambda m: (m.invoice_date_due or m.date, m.id))[:1]
        attachment = self.env['ir.attachment'].sudo().create({
            'name': 'Lettre de relance - %s.%s' % ((group.partner.name or '').replace('/', '_'), kind),
            'raw': content, 'mimetype': 'application/pdf' if kind == 'pdf' else 'text/html',
            'res_model': 'account.move', 'res_id': move.id,
        })
        return self.env['snailmail.letter'].sudo().create({
            'partner_id': group.partner.id, 'model': 'account.move', 'res_id': move.id,
            'company_id': group.company.id, 'attachment_id': attachment.id, 'user_id': self.env.uid,
            'state': 'pending',
        })


class DebtRecoveryEngine(models.AbstractModel):
    _inherit = 'debt.recovery.engine'

    @api.model
    def _record(self, prepared, mails, sms, activities):
        events = super()._record(prepared, mails, sms, activities)
        for group, res in prepared:
            letter = getattr(res, 'letter', None)
            if letter:
                events.filtered(lambda e: e.move_id in group.moves and e.step_id == group.step).letter_id = letter
        return events

    @api.model
    def _chatter_body(self, group, res, mail):
        letter = getattr(res, 'letter', None)
        if not letter or res.failure:
            return super()._chatter_body(group, res, mail)
        body = Markup("<p>%s</p>") % _(
            "Reminder “%(step)s”: letter queued for sending by post (Snailmail) to %(address)s, listing "
            "%(invoices)s.", step=group.step.name, invoices=", ".join(group.invoice_names),
            address=", ".join(filter(None, [letter.street, letter.zip, letter.city])))
        note = res.note or group.note
        if note:
            body += Markup("<p>%s</p>") % note
        return body


class SnailmailLetter(models.Model):
    _inherit = 'snailmail.letter'

    @api.model
    def _recovery_missing_address(self, partner):
        """What Snailmail needs and the debtor's address lacks (``_is_valid_address``)."""
        labels = {'street': _("street"), 'zip': _("postal code"), 'city': _("city"), 'country_id': _("country")}
        return [label for fname, label in labels.items() if not partner[fname]]
