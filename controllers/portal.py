"""The debtor's page: what it owes to one company, and what it can do about it.

Opened by the signed link of the reminders (``res.partner.recovery_portal_url``)
without an account, or by a portal user for its own company. A wrong token, a
debtor that is not a company's commercial partner, or a settled debt: 404, never
a hint. Every invoice id a form posts is checked against the invoices of the page.
The forms are CSRF-protected (Odoo's default for ``type='http'`` POST routes).
"""
from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import _, fields, http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from ..models.debt_recovery_portal import UPLOAD_MAX_BYTES, UPLOAD_MAX_FILES

_lt = LazyTranslate(__name__)

PAGE = '/recovery/<int:company_id>/<int:partner_id>'
MESSAGES = {
    'dispute': _lt("Your dispute has been recorded: our reminders stop for this invoice while we examine it."),
    'promise': _lt("Your promise to pay has been recorded: our reminders pause until that date."),
    'request': _lt("Your request has been sent: we will answer you shortly."),
    'plan': _lt("Your request for a payment plan has been sent: we will answer you by e-mail."),
    'signed': _lt("Thank you: the payment plan is agreed. Our reminders stop while its instalments are paid."),
}


class DebtorPortal(http.Controller):

    # --- access ------------------------------------------------------------------
    def _recovery_debtor(self, company_id, partner_id, access_token):
        """``(company, debtor, invoices)`` of the page, or 404."""
        company = request.env['res.company'].sudo().browse(company_id).exists()
        partner = request.env['res.partner'].sudo().browse(partner_id).exists()
        if not company or not partner or partner.commercial_partner_id != partner:
            raise NotFound()
        user = request.env.user
        if access_token:
            if not partner._recovery_portal_check_token(company, access_token):
                raise NotFound()
        elif user._is_public() or user.partner_id.commercial_partner_id != partner:
            raise NotFound()
        partner = partner.with_company(company)
        moves = partner._recovery_portal_moves(company)
        if not moves:
            # the debt is settled: the page is closed
            raise NotFound()
        if partner.lang and request.env['res.lang']._lang_get(partner.lang):
            request.update_context(lang=partner.lang)
        return company, partner, moves.with_context(lang=request.env.context.get('lang')).with_company(company)

    def _recovery_posted_moves(self, moves, move_ids):
        """The invoices a form names, each one of the page's, or 404."""
        try:
            ids = {int(move_id) for move_id in move_ids if move_id}
        except (TypeError, ValueError):
            raise NotFound() from None
        if not ids or not ids <= set(moves.ids):
            raise NotFound()
        return moves.filtered(lambda m: m.id in ids)

    def _recovery_url(self, company, partner, access_token, **params):
        query = dict(params)
        if access_token:
            query['access_token'] = access_token
        return '/recovery/%s/%s%s' % (company.id, partner.id, '?' + url_encode(query) if query else '')

    # --- the page ------------------------------------------------------------------
    @http.route('/recovery/thanks', type='http', auth='public', methods=['GET'], website=True, sitemap=False)
    def recovery_thanks(self, **kw):
        """Where an online payment lands: once all is paid the debtor's page is closed,
        so this page says thank you and shows nothing of anyone's account."""
        return request.render('l10n_fr_debt_recovery.debtor_portal_thanks', {})


    @http.route(PAGE, type='http', auth='public', methods=['GET'], website=True, sitemap=False)
    def recovery_page(self, company_id, partner_id, access_token=None, message=None, **kw):
        company, partner, moves = self._recovery_debtor(company_id, partner_id, access_token)
        text = MESSAGES.get(message)
        return self._recovery_render(company, partner, moves, access_token,
                                     message=text._translate(request.env.lang or 'en_US') if text else None)

    def _recovery_render(self, company, partner, moves, access_token, message=None, error=None, status=200):
        values = self._recovery_page_values(company, partner, moves, access_token)
        values.update(message=message, error=error)
        response = request.render('l10n_fr_debt_recovery.debtor_portal_page', values)
        response.status_code = status
        return response

    def _recovery_page_values(self, company, partner, moves, access_token):
        """What the page shows (the payment bridge adds Odoo's payment form)."""
        consumer = partner.recovery_debtor_type == 'consumer'
        lines = []
        for move in moves:
            lines.append({
                'move': move,
                'days_late': move.recovery_days_late,
                'penalty': 0.0 if consumer else move.recovery_penalty_amount,
                'indemnity': 0.0 if consumer else move.recovery_indemnity_amount,
                'pdf_url': move.get_portal_url(report_type='pdf', download=True),
                'pay_url': move.get_portal_url(),
                'can_stop': move.recovery_state in ('running', 'paused') and not move.recovery_payment_plan_id,
            })
        history = request.env['debt.recovery.event'].sudo().search([
            ('partner_id', '=', partner.id), ('company_id', '=', company.id), ('event_type', '=', 'step'),
            ('state', '=', 'done')], order='date desc, id desc', limit=100)
        reasons = moves._fields['recovery_dispute_reason']._description_selection(request.env)
        values = {
            'company': company,
            'partner': partner,
            'consumer': consumer,
            'lines': lines,
            'currency': moves.currency_id[:1] or company.currency_id,
            'total_due': sum(moves.mapped('amount_residual')),
            'history': history,
            'reasons': reasons,
            'access_token': access_token or '',
            'page_url': self._recovery_url(company, partner, access_token),
            'max_instalments': company.recovery_plan_max_instalments,
            'upload_max_mb': UPLOAD_MAX_BYTES // (1024 * 1024),
            'upload_max_files': UPLOAD_MAX_FILES,
            'today': fields.Date.context_today(partner),
            'proposed_plans': request.env['debt.recovery.payment.plan'].sudo().search([
                ('partner_id', '=', partner.id), ('company_id', '=', company.id), ('state', '=', 'draft'),
                ('proposed', '=', True)]),
        }
        return values

    def _recovery_act(self, company_id, partner_id, access_token, act):
        """Run what the debtor asked; bad input shows the page again with the reason (400)."""
        company, partner, moves = self._recovery_debtor(company_id, partner_id, access_token)
        try:
            with request.env.cr.savepoint():
                message = act(company, partner, moves)
        except ValidationError as error:
            return self._recovery_render(company, partner, moves, access_token, error=error.args[0], status=400)
        return request.redirect(self._recovery_url(company, partner, access_token, message=message))

    # --- what the debtor does ------------------------------------------------------
    @http.route(PAGE + '/dispute', type='http', auth='public', methods=['POST'], website=True, sitemap=False)
    def recovery_dispute(self, company_id, partner_id, access_token=None, move_id=None, reason=None, comment=None,
                         **kw):
        files = []
        for upload in request.httprequest.files.getlist('attachments'):
            if not upload.filename:
                continue
            # read one byte more than allowed: enough to refuse, never the whole of a huge file
            files.append((upload.filename, upload.read(UPLOAD_MAX_BYTES + 1)))

        def act(company, partner, moves):
            move = self._recovery_posted_moves(moves, [move_id])
            partner._recovery_debtor_dispute(move, reason, (comment or '').strip()[:2000], files)
            return 'dispute'
        return self._recovery_act(company_id, partner_id, access_token, act)

    @http.route(PAGE + '/promise', type='http', auth='public', methods=['POST'], website=True, sitemap=False)
    def recovery_promise(self, company_id, partner_id, access_token=None, move_id=None, date=None, amount=None, **kw):
        def act(company, partner, moves):
            move = self._recovery_posted_moves(moves, [move_id])
            try:
                promise_date = fields.Date.to_date(date)
                promise_amount = float((amount or '').replace(',', '.').replace(' ', ''))
            except ValueError:
                raise ValidationError(_("Give a date and an amount.")) from None
            return partner._recovery_debtor_promise(move, promise_date, promise_amount)
        return self._recovery_act(company_id, partner_id, access_token, act)

    @http.route(PAGE + '/plan/<int:plan_id>/sign', type='jsonrpc', auth='public', methods=['POST'], website=True)
    def recovery_plan_sign(self, company_id, partner_id, plan_id, access_token=None, name=None, signature=None,
                           **kw):
        """The debtor accepts a proposed payment plan by signing it (Odoo's portal
        signature form posts the name and the signature here)."""
        access_token = access_token or request.httprequest.args.get('access_token')
        company, partner, __ = self._recovery_debtor(company_id, partner_id, access_token)
        plan = request.env['debt.recovery.payment.plan'].sudo().browse(plan_id).exists()
        if not plan or plan.partner_id != partner or plan.company_id != company:
            raise NotFound()
        try:
            with request.env.cr.savepoint():
                plan.with_company(company)._recovery_sign(name, signature)
        except (ValidationError, TypeError, ValueError) as error:
            return {'error': error.args[0] if error.args else _("Invalid signature.")}
        return {'force_refresh': True,
                'redirect_url': self._recovery_url(company, partner, access_token, message='signed')}

    @http.route(PAGE + '/plan', type='http', auth='public', methods=['POST'], website=True, sitemap=False)
    def recovery_plan(self, company_id, partner_id, access_token=None, count=None, comment=None, **kw):
        def act(company, partner, moves):
            move_ids = request.httprequest.form.getlist('move_ids')
            chosen = self._recovery_posted_moves(moves, move_ids) if move_ids else moves
            try:
                instalments = int(count or 0)
            except ValueError:
                raise ValidationError(_("Choose the number of monthly instalments.")) from None
            partner._recovery_debtor_plan_request(company, chosen, instalments, (comment or '').strip()[:2000])
            return 'plan'
        return self._recovery_act(company_id, partner_id, access_token, act)
