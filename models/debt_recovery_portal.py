"""The debtor's page (portal): its link, what it shows, and what the debtor does from it.

The link carries a signed token (HMAC of the database secret, the debtor, the
creditor company and the debtor's link *epoch*): nothing to store per e-mail, and
every link of a debtor dies at once when its debt to the company is settled (the
epoch moves on). Whatever the debtor does (contest, promise, ask for a plan) goes
through the same owners as in the back office (``_recovery_dispute``,
``_recovery_record_promise``, payment plans) and leaves an event marked as coming
from the debtor, and a chatter message authored by the debtor.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import consteq, format_date, formatLang
from odoo.tools.misc import hmac
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.translate import _lt

from .debt_recovery_event import Amount

TOKEN_SCOPE = 'l10n_fr_debt_recovery.debtor_portal'
# what a debtor may attach to a dispute: documents and pictures, nothing executable
UPLOAD_MIMETYPES = ('application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'text/plain')
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_FILES = 5


class ResPartner(models.Model):
    _inherit = 'res.partner'

    recovery_portal_epoch = fields.Integer(
        copy=False, readonly=True, groups='base.group_system',
        help="Moves on when the debtor's debt is settled: the links to its page sent before die.")
    recovery_portal_url = fields.Char("Debtor's Page", compute='_compute_recovery_portal_url',
                                      help="The link to the debtor's page for the current company, as e-mailed.")

    @api.depends_context('company')
    def _compute_recovery_portal_url(self):
        company = self.env.company
        for partner in self:
            debtor = partner.commercial_partner_id
            if not debtor.id:
                partner.recovery_portal_url = False
                continue
            partner.recovery_portal_url = '%s/recovery/%s/%s?access_token=%s' % (
                debtor.get_base_url(), company.id, debtor.id, debtor._recovery_portal_token(company))

    def _recovery_portal_token(self, company):
        self.ensure_one()
        return hmac(self.env(su=True), TOKEN_SCOPE, (self.id, company.id, self.sudo().recovery_portal_epoch))

    def _recovery_portal_check_token(self, company, token):
        """Whether ``token`` opens the page of this debtor in ``company`` today."""
        self.ensure_one()
        return bool(token) and isinstance(token, str) and consteq(self._recovery_portal_token(company), token)

    def _recovery_portal_moves(self, company):
        """The invoices the page shows: posted customer invoices of the debtor in the
        company with something still due."""
        self.ensure_one()
        return self.env['account.move'].sudo().search([
            ('commercial_partner_id', '=', self.id), ('company_id', '=', company.id),
            ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
            ('payment_state', 'not in', ('paid', 'in_payment', 'reversed')), ('amount_residual', '>', 0),
        ], order='invoice_date_due, id')

    def _recovery_portal_expire(self, company):
        """The debt is settled: the links sent so far stop working."""
        for partner in self.sudo():
            if not partner._recovery_portal_moves(company):
                partner.recovery_portal_epoch += 1

    # -------------------------------------------------------------------------
    # What the debtor does from its page
    # -------------------------------------------------------------------------
    def _recovery_debtor_log(self, records, body):
        """A chatter message on each record, authored by the debtor."""
        for record in records:
            record.sudo().message_post(body=body, author_id=self.id, message_type='comment',
                                       subtype_xmlid='mail.mt_note')

    def _recovery_debtor_dispute(self, move, reason, comment, files):
        """The debtor contests an invoice: exactly the back-office dispute, with its files."""
        self.ensure_one()
        reasons = dict(move._fields['recovery_dispute_reason']._description_selection(self.env))
        if reason not in reasons:
            raise ValidationError(_("Choose a reason for contesting the invoice."))
        if move.recovery_state not in ('running', 'paused'):
            raise ValidationError(_("This invoice cannot be contested here: please contact us."))
        self._recovery_debtor_check_files(files)
        move = move.sudo().with_context(recovery_event_origin='debtor')
        move._recovery_dispute(reason, fields.Date.context_today(self), comment)
        self._recovery_debtor_log(move, _("Invoice contested by the customer from its page (%(reason)s): "
                                          "%(comment)s", reason=reasons[reason], comment=comment or ''))
        if files:
            move.message_post(body=_("Documents sent by the customer with the dispute."), author_id=self.id,
                              attachments=files, message_type='comment', subtype_xmlid='mail.mt_note')
        return True

    @api.model
    def _recovery_debtor_check_files(self, files):
        """``files``: ``[(name, content)]``; at most 5, 5 MB each, documents or pictures."""
        if len(files) > UPLOAD_MAX_FILES:
            raise ValidationError(_("Send at most %s files.", UPLOAD_MAX_FILES))
        for name, content in files:
            if len(content) > UPLOAD_MAX_BYTES:
                raise ValidationError(_("%(name)s is too large: at most %(size)s MB a file.", name=name,
                                        size=UPLOAD_MAX_BYTES // (1024 * 1024)))
            if guess_mimetype(content, default='application/octet-stream') not in UPLOAD_MIMETYPES:
                raise ValidationError(_("%s: send PDF documents or pictures (PNG, JPEG) only.", name))

    def _recovery_debtor_promise(self, move, date, amount):
        """A promise within the company's limits (date within the allowed delay, at least
        the minimum share of what is due) pauses the invoice as a promise taken on the
        phone; otherwise it is a request the recovery user answers."""
        self.ensure_one()
        company = move.company_id
        today = fields.Date.context_today(self)
        date = fields.Date.to_date(date)
        currency = move.currency_id
        if not date or date < today:
            raise ValidationError(_("Choose a payment date from today."))
        if currency.compare_amounts(amount, 0.0) <= 0 or currency.compare_amounts(amount, move.amount_residual) > 0:
            raise ValidationError(_("The amount must be more than zero and at most %s.",
                                    formatLang(self.env, move.amount_residual, currency_obj=currency)))
        if move.recovery_state not in ('running', 'paused') or move.recovery_payment_plan_id:
            raise ValidationError(_("A promise cannot be recorded on this invoice here: please contact us."))
        latest = fields.Date.add(today, days=company.recovery_portal_promise_days)
        minimum = currency.round(move.amount_residual * company.recovery_portal_promise_min_share / 100.0)
        move = move.sudo().with_context(recovery_event_origin='debtor')
        if date <= latest and currency.compare_amounts(amount, minimum) >= 0:
            move.write({'recovery_promise_date': date, 'recovery_promise_amount': amount})
            self._recovery_debtor_log(move, _("Promise to pay %(amount)s by %(date)s, made by the customer from "
                                              "its page.", amount=formatLang(self.env, amount, currency_obj=currency),
                                              date=format_date(self.env, date)))
            return 'promise'
        move._recovery_change(event_type='promise', note=_lt(
            "The customer asks to pay %(amount)s by %(date)s (beyond what is granted at once): to answer.",
            amount=Amount(amount, currency), date=date))
        self._recovery_debtor_log(move, _("Request from the customer: pay %(amount)s by %(date)s.",
                                          amount=formatLang(self.env, amount, currency_obj=currency),
                                          date=format_date(self.env, date)))
        user = company.recovery_call_user_id or move.invoice_user_id
        move.activity_schedule('mail.mail_activity_data_todo', user_id=user.id if user else self.env.uid,
                               date_deadline=today,
                               summary=_("Request from the customer: pay %s later", move.name))
        return 'request'

    def _recovery_debtor_plan_request(self, company, moves, count, comment):
        """The debtor asks to pay in ``count`` monthly instalments: a draft plan the
        recovery user accepts (confirms), changes or refuses."""
        self.ensure_one()
        moves = moves.filtered(lambda m: m.recovery_state in ('running', 'paused') and not m.recovery_payment_plan_id)
        if not moves:
            raise ValidationError(_("None of these invoices can be paid in instalments here: please contact us."))
        if not 1 <= count <= company.recovery_plan_max_instalments:
            raise ValidationError(_("Choose between 1 and %s monthly instalments.",
                                    company.recovery_plan_max_instalments))
        Plan = self.env['debt.recovery.payment.plan'].sudo().with_company(company)
        if Plan.search_count([('partner_id', '=', self.id), ('company_id', '=', company.id), ('state', '=', 'draft'),
                              ('debtor_request', '=', True)]):
            raise ValidationError(_("Your request for a payment plan is already being examined."))
        plan = Plan.create({
            'partner_id': self.id, 'company_id': company.id, 'move_ids': [fields.Command.set(moves.ids)],
            'debtor_request': True, 'debtor_comment': comment, 'generate_count': count,
            'generate_first_date': fields.Date.add(fields.Date.context_today(self), months=1),
        })
        plan.action_generate_instalments()
        moves.sudo().with_context(recovery_event_origin='debtor')._recovery_change(
            event_type='payment_plan', note=_lt("The customer asks for a payment plan in %(count)s monthly "
                                                "instalments: to answer.", count=count))
        self._recovery_debtor_log(plan, _("Payment plan requested by the customer from its page: %(count)s "
                                          "monthly instalments. %(comment)s", count=count, comment=comment or ''))
        user = company.recovery_call_user_id
        plan.activity_schedule('mail.mail_activity_data_todo', user_id=user.id if user else self.env.uid,
                               date_deadline=fields.Date.context_today(self),
                               summary=_("Payment plan requested by the customer: accept, change or refuse"))
        return plan


class AccountMove(models.Model):
    _inherit = 'account.move'

    def _recovery_event_vals(self, event_type, note, **extra):
        vals = super()._recovery_event_vals(event_type, note, **extra)
        if self.env.context.get('recovery_event_origin') == 'debtor' and 'origin' not in extra:
            vals['origin'] = 'debtor'
        return vals

    def _recovery_sync_payment_state(self):
        """A settled debt closes the debtor's page: its links die."""
        res = super()._recovery_sync_payment_state()
        for company in self.company_id:
            moves = self.filtered(lambda m: m.company_id == company and m.payment_state in (
                'paid', 'in_payment', 'reversed'))
            moves.commercial_partner_id._recovery_portal_expire(company)
        return res


class ResCompany(models.Model):
    _inherit = 'res.company'

    recovery_portal_promise_days = fields.Integer(
        "Debtor's Page: Promise Within (days)", default=30,
        help="A promise to pay made by the debtor on its page is accepted at once when its date is within "
             "this many days; later, it is a request the recovery user answers.")
    recovery_portal_promise_min_share = fields.Float(
        "Debtor's Page: Minimum Share Promised (%)", default=20.0,
        help="A promise made on the debtor's page is accepted at once when it covers at least this share of "
             "what is due on the invoice.")

    @api.constrains('recovery_portal_promise_days', 'recovery_portal_promise_min_share')
    def _check_recovery_portal_limits(self):
        for company in self:
            if not 0 <= company.recovery_portal_promise_days <= 365:
                raise ValidationError(_("A promise is granted at once within 0 to 365 days (%s entered).",
                                        company.recovery_portal_promise_days))
            if not 0 <= company.recovery_portal_promise_min_share <= 100:
                raise ValidationError(_("The minimum share promised lies between 0 and 100 %% (%s entered).",
                                        company.recovery_portal_promise_min_share))


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    recovery_portal_promise_days = fields.Integer(related='company_id.recovery_portal_promise_days', readonly=False)
    recovery_portal_promise_min_share = fields.Float(related='company_id.recovery_portal_promise_min_share',
                                                     readonly=False)

