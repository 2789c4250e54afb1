"""Pay everything due from the debtor's page, through Odoo's payment form.

The transaction route checks the page's access exactly as the page does (signed
token or the debtor's own login; 404 otherwise) and pays the page's invoices that
are not contested, for what is due on them, whatever amount the browser sends. The transaction carries
the invoices: once done, ``account_payment`` posts the payment and reconciles it,
which closes their recovery (``account.move._recovery_sync_payment_state``).
"""
from odoo import _
from odoo.exceptions import ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount
from odoo.addons.l10n_fr_debt_recovery.controllers.portal import PAGE, DebtorPortal


class DebtorPortalPayment(DebtorPortal):

    def _recovery_page_values(self, company, partner, moves, access_token):
        values = super()._recovery_page_values(company, partner, moves, access_token)
        payable = self._recovery_payable(moves)
        if len(payable.currency_id) == 1:
            values.update(self._recovery_payment_values(company, partner, payable, access_token))
        return values

    def _recovery_payable(self, moves):
        """What "pay everything" pays: the invoices of the page the debtor does not contest."""
        return moves.filtered(lambda m: m.recovery_state != 'disputed')

    def _recovery_payment_values(self, company, partner, moves, access_token):
        """The values of ``payment.form`` for all the invoices of the page."""
        total = sum(moves.mapped('amount_residual'))
        values = PortalAccount()._get_common_page_view_values(invoices_data={
            'partner': partner,
            'company': company,
            'total_amount': total,
            'currency': moves.currency_id,
            'amount_residual': total,
            # paid in full, the page is closed: land on a page that shows no account
            'landing_route': '/recovery/thanks',
            'transaction_route': '/recovery/%s/%s/transaction' % (company.id, partner.id),
        }, access_token=access_token)
        values['amount'] = total
        return values

    @route(PAGE + '/transaction', type='jsonrpc', auth='public')
    def recovery_transaction(self, company_id, partner_id, access_token=None, **kwargs):
        """A draft transaction for everything due on the page; its processing values."""
        company, partner, moves = self._recovery_debtor(company_id, partner_id, access_token)
        moves = self._recovery_payable(moves)
        if len(moves.currency_id) != 1:
            raise ValidationError(_("Invoices in several currencies are paid one by one."))
        portal = PaymentPortal()
        kwargs.pop('amount', None)
        portal._validate_transaction_kwargs(kwargs)
        kwargs['amount'] = sum(moves.mapped('amount_residual'))
        logged_in = not request.env.user._is_public()
        payer = request.env.user.partner_id if logged_in else partner
        reference = company.get_next_batch_payment_communication() if len(moves) > 1 else moves.name
        return portal._process_transaction(payer.id, moves.currency_id.id, moves.ids, reference, **kwargs)
