"""What French law grants the creditor on each invoice: penalties, the 40 EUR
indemnity, and the bill that claims them. The computation itself is the pure
function ``tools.penalty.compute_claim``; this file only feeds it from the
accounting (instalments, reconciled payments and credit notes with their dates)."""
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..tools import legal_dates, penalty



class AccountMove(models.Model):
    _inherit = 'account.move'

    recovery_penalty_rate_info = fields.Char("Penalty Rate", compute='_compute_recovery_penalty_display')
    recovery_penalty_warning = fields.Char("Penalty Warning", compute='_compute_recovery_amounts')
    recovery_penalty_detail = fields.Html("Penalty Computation", compute='_compute_recovery_penalty_display',
                                          sanitize=False)
    recovery_claim_line_ids = fields.One2many(
        'account.move.line', 'recovery_claimed_move_id', string="Penalty Invoice Lines", readonly=True)
    recovery_penalty_billed = fields.Monetary("Penalties Billed", compute='_compute_recovery_billed')
    recovery_indemnity_billed = fields.Monetary("Indemnities Billed", compute='_compute_recovery_billed')
    recovery_term_warning = fields.Char("Payment Term Warning", compute='_compute_recovery_term_warning')

    # -------------------------------------------------------------------------
    # The claim as the law engine sees it
    # -------------------------------------------------------------------------
    def _recovery_instalments(self):
        """One claim per receivable line (instalment), with the payments and
        credit notes reconciled with it, at their own dates, in the invoice currency."""
        self.ensure_one()
        instalments = []
        for line in self.line_ids.filtered(lambda l: l.account_type == 'asset_receivable'):
            if line.amount_currency <= 0:
                continue
            movements = [
                (partial.credit_move_id.date, partial.debit_amount_currency)
                for partial in line.matched_credit_ids
            ]
            instalments.append({
                'due_date': line.date_maturity or self.invoice_date_due,
                'amount': line.amount_currency,
                'movements': movements,
            })
        return instalments

    def _recovery_interest_start(self):
        """Consumer debtors owe interest only from the receipt of a formal notice
        (C. civ. 1231-6, 1344-1): the case's letter received (acknowledgement signed, or
        first presented when it came back unclaimed or refused)."""
        if 'recovery_case_receipt_date' in self.env.context:
            return self.env.context['recovery_case_receipt_date']
        return self.recovery_case_id.received_date

    def _recovery_policy(self):
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        company = self.company_id
        insolvency = partner.recovery_insolvency_date
        return {
            'debtor_type': partner.recovery_debtor_type or 'professional',
            'contractual_rate': partner.recovery_penalty_rate or company.recovery_penalty_rate or None,
            'freeze_rate': company.recovery_penalty_freeze,
            'interest_start': self._recovery_interest_start() or None,
            # C. com. L441-10 II: no indemnity when proceedings forbid paying at maturity
            'insolvency': bool(insolvency and self.invoice_date_due and insolvency <= self.invoice_date_due),
            'interest_stop': self._recovery_interest_stop(insolvency),
        }

    def _recovery_interest_stop(self, opening):
        """C. com. L622-28: the opening judgment stops the interest of the claims born
        before it (invoices issued on or before its date, as ``_recovery_sync_insolvency``
        freezes them), except those of contracts with a deferred payment of one year or
        more (the last due date a year or more after the invoice date)."""
        self.ensure_one()
        if not opening or not self.invoice_date or self.invoice_date > opening:
            return None
        if self.invoice_date_due and self.invoice_date_due >= fields.Date.add(self.invoice_date, years=1):
            return None
        return opening

    def _recovery_penalty(self, at_date=None, table=None):
        """Penalties and indemnity of the whole invoice (all instalments) as of
        ``at_date`` (default today; interest stops by itself at full payment).

        :return: ``{'days', 'segments': [{'date_from', 'date_to', 'rate', 'base',
            'amount', ...}], 'penalty', 'indemnity', 'total'}``
        :raise UserError: when a rate of a needed half-year is not recorded.
        """
        self.ensure_one()
        at_date = fields.Date.to_date(at_date) or fields.Date.context_today(self)
        table = table or self.env['debt.recovery.rate']._get_table()
        try:
            return penalty.compute_claim(self._recovery_instalments(), at_date, table, **self._recovery_policy())
        except penalty.MissingRateError as error:
            raise UserError(self.env['debt.recovery.rate']._missing_rate_message(error)) from None

    @api.depends_context('date')
    @api.depends('line_ids.matched_credit_ids', 'line_ids.amount_residual', 'state', 'commercial_partner_id')
    def _compute_recovery_amounts(self):
        table = None
        for move in self:
            move.recovery_penalty_amount = move.recovery_indemnity_amount = 0.0
            move.recovery_penalty_warning = False
            if move.move_type != 'out_invoice' or move.state != 'posted':
                continue
            if table is None:
                table = self.env['debt.recovery.rate']._get_table()
            try:
                result = move._recovery_penalty(table=table)
            except UserError as error:
                move.recovery_penalty_warning = error.args[0]
                continue
            move.recovery_penalty_amount = result['penalty']
            move.recovery_indemnity_amount = result['indemnity']

    @api.depends_context('date')
    @api.depends('line_ids.matched_credit_ids', 'line_ids.amount_residual', 'state', 'commercial_partner_id')
    def _compute_recovery_penalty_display(self):
        # apart from the amounts: only the invoice form needs the rate and the segment table
        table = None
        for move in self:
            move.recovery_penalty_rate_info = move.recovery_penalty_detail = False
            if move.move_type != 'out_invoice' or move.state != 'posted':
                continue
            table = table or self.env['debt.recovery.rate']._get_table()
            try:
                result = move._recovery_penalty(table=table)
            except UserError:
                continue
            move.recovery_penalty_rate_info = move._recovery_rate_info(result, table)
            move.recovery_penalty_detail = move._recovery_segments_html(result)

    def _recovery_rate_info(self, result, table):
        """The rate that applies now, and why (for the form and the letters)."""
        reasons = {
            'default': _("ECB rate + 10 points"),
            'contractual': _("contractual rate"),
            'floor': _("3 x legal interest rate (floor)"),
            'legal': _("legal interest rate"),
        }
        if result['segments']:
            segment = result['segments'][-1]
            return _("%(rate)s %% (%(reason)s)", rate=f"{segment['rate']:.2f}",
                     reason=reasons.get(segment['rate_reason'], ''))
        policy = self._recovery_policy()
        if policy['debtor_type'] == 'consumer':
            return _("Consumer: legal interest only from the receipt of a formal notice")
        try:
            rate, reason = penalty.applicable_rate(*penalty.half_year(fields.Date.context_today(self)), table,
                                                   policy['contractual_rate'])
        except penalty.MissingRateError as error:
            return self.env['debt.recovery.rate']._missing_rate_message(error)
        return _("%(rate)s %% (%(reason)s)", rate=f"{rate:.2f}", reason=reasons.get(reason, ''))

    def _recovery_segments_html(self, result):
        if not result['segments']:
            return False
        currency = self.currency_id
        rows = Markup('').join(
            Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                   "<td class='text-end'>%s</td><td class='text-end'>%s</td></tr>") % (
                format_date(self.env, s['date_from']), format_date(self.env, s['date_to']), s['days'],
                formatLang(self.env, s['base'], currency_obj=currency), f"{s['rate']:.2f} %",
                formatLang(self.env, s['amount'], currency_obj=currency))
            for s in result['segments'])
        head = Markup("<tr><th>%s</th><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                      "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr>") % (
            _("From"), _("To"), _("Days"), _("Base"), _("Rate"), _("Amount"))
        return Markup("<table class='table table-sm o_recovery_segments'><thead>%s</thead><tbody>%s</tbody></table>") % (
            head, rows)

    @api.depends('recovery_claim_line_ids.price_subtotal', 'recovery_claim_line_ids.parent_state')
    def _compute_recovery_billed(self):
        for move in self:
            lines = move.sudo().recovery_claim_line_ids.filtered(lambda l: l.parent_state != 'cancel')
            move.recovery_penalty_billed = sum(
                lines.filtered(lambda l: l.recovery_claim_kind == 'penalty').mapped('price_subtotal'))
            move.recovery_indemnity_billed = sum(
                lines.filtered(lambda l: l.recovery_claim_kind == 'indemnity').mapped('price_subtotal'))

    # -------------------------------------------------------------------------
    # Penalty invoice
    # -------------------------------------------------------------------------
    def action_recovery_bill_penalties(self):
        """Bill the penalties and indemnities of the selected invoices of one
        debtor: one draft invoice, no VAT (BOI-TVA-BASE-10-10-50), one line per
        claimed invoice and kind, only what was not billed before."""
        if not self:
            raise UserError(_("Select the invoices whose penalties you want to bill."))
        if any(m.move_type != 'out_invoice' or m.state != 'posted' for m in self):
            raise UserError(_("Penalties can only be billed on posted customer invoices."))
        if len(self.commercial_partner_id) > 1 or len(self.company_id) > 1:
            raise UserError(_("Bill the penalties of one customer at a time."))
        if len(self.currency_id) > 1:
            raise UserError(_("These invoices are in different currencies: bill their penalties separately."))
        today = fields.Date.context_today(self)
        table = self.env['debt.recovery.rate']._get_table()
        products = {
            'penalty': self.env.ref('l10n_fr_debt_recovery.product_recovery_penalty'),
            'indemnity': self.env.ref('l10n_fr_debt_recovery.product_recovery_indemnity'),
        }
        partner = self.commercial_partner_id
        lang = partner.lang or self.env.lang
        lines = []
        for move in self.sorted('invoice_date_due').with_context(lang=lang):
            result = move._recovery_penalty(today, table)
            due_penalty = move.currency_id.round(result['penalty'] - move.recovery_penalty_billed)
            due_indemnity = move.currency_id.round(result['indemnity'] - move.recovery_indemnity_billed)
            if move.currency_id.compare_amounts(due_penalty, 0) > 0:
                lines.append(move._recovery_penalty_line_vals(products['penalty'], 'penalty', due_penalty, result))
            if move.currency_id.compare_amounts(due_indemnity, 0) > 0:
                lines.append(move._recovery_penalty_line_vals(products['indemnity'], 'indemnity', due_indemnity, result))
        if not lines:
            raise UserError(_("Nothing to bill: the penalties and indemnities of these invoices are already "
                              "billed up to today, or none is owed."))
        bill = self.env['account.move'].create({
            'move_type': 'out_invoice',
            'partner_id': partner.id,
            'company_id': self.company_id.id,
            'currency_id': self.currency_id.id,
            'invoice_date': today,
            'invoice_origin': ", ".join(self.mapped('name')),
            'invoice_line_ids': [fields.Command.create(vals) for vals in lines],
        })
        body = _("Penalties billed on %s.", bill._get_html_link())
        self._message_log_batch({move.id: body for move in self})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'account.move',
            'res_id': bill.id,
            'view_mode': 'form',
            'views': [(False, 'form')],
        }

    def _recovery_penalty_line_vals(self, product, kind, amount, result):
        self.ensure_one()
        if kind == 'penalty':
            detail = "; ".join(
                self.env._("%(base)s x %(rate)s %% x %(days)s d / 365 from %(start)s to %(end)s = %(amount)s",
                  base=formatLang(self.env, s['base'], currency_obj=self.currency_id), rate=f"{s['rate']:.2f}",
                  days=s['days'], start=format_date(self.env, s['date_from']),
                  end=format_date(self.env, s['date_to']),
                  amount=formatLang(self.env, s['amount'], currency_obj=self.currency_id))
                for s in result['segments'])
            name = _("Late-payment penalties on %(invoice)s due %(due)s (C. com. L441-10 II): %(detail)s",
                     invoice=self.name, due=format_date(self.env, self.invoice_date_due), detail=detail)
            if self.recovery_penalty_billed:
                name += " " + _("(less %s already billed)",
                                formatLang(self.env, self.recovery_penalty_billed, currency_obj=self.currency_id))
        else:
            count = int(round(result['indemnity'] / 40.0))
            name = _("Fixed indemnity for recovery costs on %(invoice)s: %(count)s late instalment(s) x 40.00 EUR "
                     "(C. com. L441-10 II and D441-5)", invoice=self.name, count=count)
        return {
            'product_id': product.id,
            'name': name,
            'quantity': 1,
            'price_unit': amount,
            'tax_ids': [fields.Command.clear()],
            'recovery_claimed_move_id': self.id,
            'recovery_claim_kind': kind,
        }

    # -------------------------------------------------------------------------
    # Payment-term guard (C. com. L441-10 I)
    # -------------------------------------------------------------------------
    @api.depends('invoice_date', 'invoice_date_due', 'move_type', 'commercial_partner_id', 'company_id')
    def _compute_recovery_term_warning(self):
        for move in self:
            move.recovery_term_warning = False
            if move.move_type != 'out_invoice' or not move.invoice_date or not move.invoice_date_due:
                continue
            if move.commercial_partner_id.recovery_debtor_type == 'consumer':
                continue
            method = move.company_id.recovery_payment_term_limit or '60_days'
            limit = legal_dates.max_due_date(move.invoice_date, method)
            if move.invoice_date_due > limit:
                move.recovery_term_warning = _(
                    "The due date %(due)s is beyond the legal maximum between businesses (%(limit)s, "
                    "C. com. L441-10 I): the company risks a fine of up to 2 million euros.",
                    due=format_date(self.env, move.invoice_date_due), limit=format_date(self.env, limit))


class AccountMoveLine(models.Model):
    _inherit = 'account.move.line'

    recovery_claimed_move_id = fields.Many2one(
        'account.move', string="Claimed Invoice", index='btree_not_null', copy=False, readonly=True,
        help="The overdue invoice whose penalties or indemnity this line bills.")
    recovery_claim_kind = fields.Selection(
        [('penalty', "Late-payment penalties"), ('indemnity', "Recovery indemnity")], copy=False, readonly=True,
        index='btree_not_null')  # the dashboard's billed penalties: a few lines among millions
