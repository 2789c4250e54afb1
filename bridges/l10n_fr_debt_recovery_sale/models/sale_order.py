from odoo import _, api, fields, models


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    recovery_partner_suspended = fields.Boolean(
        "Work Suspended for the Customer", compute='_compute_recovery_partner_suspended',
        help="Work is suspended for this customer in the order's company (exception d'inexécution).")

    @api.depends('partner_id', 'company_id')
    def _compute_recovery_partner_suspended(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id
            order.recovery_partner_suspended = bool(partner) and \
                partner.with_company(order.company_id).recovery_suspended

    def action_confirm(self):
        """Refuse to confirm an order for a customer whose work is suspended in the
        order's company (the rule is the partner's); a recovery manager may, and the
        override is logged on the order."""
        overridden = self.browse()
        for order in self:
            if not order.partner_id._recovery_check_not_suspended(
                    order.company_id, _("confirming %s", order.name)):
                overridden |= order
        result = super().action_confirm()
        for order in overridden:
            order.message_post(body=_("Confirmed by %s although work is suspended for this customer.",
                                      self.env.user.name))
        return result
