from odoo import api, fields, models

from ..models.res_partner_suspension import SUSPENSION_REPORT


class DebtRecoverySuspend(models.TransientModel):
    """Suspend work (exception d'inexécution, C. civ. 1219), first step: the last
    warning. The customer is told to pay the invoices due by a short deadline, failing
    which work is suspended the next day (by the daily run, or earlier by a manager's
    *Suspend now* on the customer). With *Terminate*, the notice is also the formal
    notice before termination of C. civ. 1226, printed for registered post."""
    _name = 'debt.recovery.suspend'
    _description = 'Suspend Work'

    partner_id = fields.Many2one('res.partner', string="Customer", required=True)
    deadline = fields.Date("Last Deadline", required=True,
                           default=lambda self: fields.Date.add(fields.Date.context_today(self), days=8),
                           help="Last day to pay; without payment, work is suspended the next day.")
    send_notice = fields.Boolean("Send the notice by e-mail", default=True)
    terminate = fields.Boolean(
        "Announce the termination of the contract",
        help="The notice also says that failing payment within the deadline you may terminate the contract "
             "(C. civ. 1226); print the letter and send it by registered post with acknowledgement of receipt.")
    move_ids = fields.Many2many('account.move', string="Invoices Due", compute='_compute_move_ids')

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get('active_model') == 'res.partner' and self.env.context.get('active_id'):
            res['partner_id'] = self.env['res.partner'].browse(self.env.context['active_id']).commercial_partner_id.id
        return res

    @api.depends('partner_id')
    def _compute_move_ids(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.move_ids = wizard.partner_id._recovery_suspension_moves(self.env.company, today) \
                if wizard.partner_id else False

    def action_confirm(self):
        """Send the last warning; the letter is kept on the customer (and printed when
        the contract is to be terminated: it goes by registered post)."""
        self.ensure_one()
        self.partner_id.check_access('read')
        self.partner_id._recovery_warn_suspension(self.move_ids, self.deadline, terminate=self.terminate,
                                                  send_mail=self.send_notice)
        if self.terminate:
            return self.env.ref(SUSPENSION_REPORT).report_action(self.partner_id)
        return {'type': 'ir.actions.act_window_close'}
