from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import penalty

RATE_TYPES = [
    ('ecb', "ECB main refinancing rate"),
    ('legal_other', "Legal interest rate (other cases)"),
    ('legal_consumer', "Legal interest rate (creditor individual)"),
]


class DebtRecoveryRate(models.Model):
    """The rates the law refers to, as data an administrator extends each half-year.

    * ECB main refinancing rate (C. com. L441-10 II: the rate in force on 1 January
      applies to January-June, on 1 July to July-December, plus 10 points);
    * taux d'intérêt légal (CMF L313-2), set by arrêté each half-year.
    """
    _name = 'debt.recovery.rate'
    _description = 'Legal and ECB Rates'
    _order = 'rate_type, date_from desc'

    rate_type = fields.Selection(RATE_TYPES, required=True, index=True)
    date_from = fields.Date(
        "Effective From", required=True,
        help="ECB: the date the change took effect. Legal rate: 1 January or 1 July of its half-year.")
    rate = fields.Float("Rate (%)", digits=(6, 3), required=True)
    source = fields.Char(help="Where the figure comes from (Journal officiel, ECB press release...).")
    name = fields.Char(compute='_compute_name')

    _unique_rate = models.Constraint(
        'UNIQUE (rate_type, date_from)', "There is already a rate of this type from this date.")
    _rate_range = models.Constraint(
        'CHECK (rate >= -5 AND rate <= 50)', "A rate must lie between -5 % and 50 %.")

    @api.depends('rate_type', 'date_from', 'rate')
    def _compute_name(self):
        labels = dict(self._fields['rate_type']._description_selection(self.env))
        for record in self:
            if record.rate_type in ('legal_other', 'legal_consumer') and record.date_from:
                period = "%s-H%s" % penalty.half_year(record.date_from)
            else:
                period = record.date_from and fields.Date.to_string(record.date_from) or ''
            record.name = f"{labels.get(record.rate_type, '')} {period}: {record.rate:.2f} %"

    @api.constrains('rate_type', 'date_from')
    def _check_half_year_start(self):
        for record in self:
            if record.rate_type != 'ecb' and (record.date_from.month, record.date_from.day) not in ((1, 1), (7, 1)):
                raise ValidationError(_(
                    "A legal interest rate is set for a half-year: it starts on 1 January or 1 July, not on %s.",
                    record.date_from))

    @api.model
    def _get_table(self):
        """All recorded rates as the pure computation's RateTable (cached until a rate changes)."""
        return penalty.RateTable.from_rows(self._get_rows())

    @api.model
    @tools.ormcache()
    def _get_rows(self):
        rows = self.sudo().search_read([], ['rate_type', 'date_from', 'rate'])
        return tuple((r['rate_type'], r['date_from'], r['rate']) for r in rows)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _missing_rate_message(self, error):
        year, half = error.period
        labels = dict(self._fields['rate_type']._description_selection(self.env))
        return _("The %(rate)s of %(year)s-H%(half)s is not recorded: add it in Accounting > Configuration > "
                 "Legal rates before computing penalties for that half-year.",
                 rate=labels.get(error.rate_type, error.rate_type), year=year, half=half)
