"""Build the benchmark dataset in a database holding Odoo's accounting only (no
l10n_fr_debt_recovery): a French company, N/10 customers (companies with an
e-mail address), N posted customer invoices, 10 per customer, due dates
spread over the last 120 days (invoice date = due date - 30, payment term
30 days), not paid.

Fast: a dozen prototype invoices are created and posted through the ORM, then
copied N times in SQL, every column of account_move / account_move_line (and
their tax and tag relations) taken from the prototype except the ones that
make each invoice itself (id, name and sequence, customer, dates, due date,
payment reference). The prototypes are removed afterwards. Amounts, taxes,
receivable lines and residuals are therefore the ORM's own.

    python bench/build_dataset.py --db DB --addons-path PATH --n 10000
"""
import time
from datetime import timedelta

from benchlib import boot, die, parse_args, say

PROTOTYPES = [  # (product index, quantity) per line
    [(0, 1)], [(1, 2)], [(2, 1), (5, 3)], [(3, 6), (4, 1)], [(5, 10)], [(0, 1), (1, 1), (4, 2)],
    [(2, 3)], [(3, 12), (5, 2)], [(4, 5)], [(1, 1), (5, 1)], [(0, 2), (3, 4)], [(2, 1), (4, 1), (5, 4)],
]
PRODUCTS = [  # name, list price
    ("Oak meeting table", 2480.0), ("Walnut desk", 1650.0), ("Ash reception counter", 3920.0),
    ("Beech shelf module", 185.0), ("Installation (hour)", 58.0), ("Delivery", 75.0),
]


def main():
    args = parse_args()
    registry = boot(args)
    from odoo import SUPERUSER_ID, Command, api, fields

    n = args.n
    debtors = max(n // 10, 1)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True, 'mail_create_nolog': True,
                                                  'mail_notrack': True})
        if env['account.move'].search_count([]):
            die(f"{args.db} already holds accounting entries: build the dataset on a fresh copy of the base")

        # --- French company, French chart, EUR -------------------------------
        fr, eur = env.ref('base.fr'), env.ref('base.EUR')
        eur.active = True
        company = env.company
        if company.chart_template != 'fr':
            company.write({'country_id': fr.id, 'currency_id': eur.id})
            env['account.chart.template'].try_loading('fr', company, install_demo=False)
        company.write({
            'name': "Bench Menuiserie SARL", 'street': "14 rue des Tanneurs", 'zip': "69005",
            'city': "Lyon", 'country_id': fr.id, 'email': "contact@bench-menuiserie.example.fr",
            'phone': "+33 4 78 42 17 90",
        })
        if company.chart_template != 'fr' or company.currency_id != eur:
            die(f"chart {company.chart_template}, currency {company.currency_id.name}: expected fr / EUR")
        # nothing leaves the machine: the mail and SMS queue jobs are off
        for xmlid in ('mail.ir_cron_mail_scheduler_action', 'sms.ir_cron_sms_scheduler_action'):
            cron = env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.active = False
        say(f"company ready ({time.perf_counter() - started:.1f} s)")

        # --- customers: ORM, in large batches -----------------------------------
        t0 = time.perf_counter()
        term30 = env.ref('account.account_payment_term_30days')
        partners = env['res.partner']
        for start in range(0, debtors, 2000):
            partners |= env['res.partner'].create([{
                'name': f"Client {i:06d} SAS",
                'is_company': True,
                'email': f"compta@client{i:06d}.example.fr",
                'street': f"{1 + i % 180} rue de la République",
                'zip': f"{69001 + i % 9}", 'city': "Lyon", 'country_id': fr.id,
                'property_payment_term_id': term30.id,
                'customer_rank': 1,
            } for i in range(start, min(start + 2000, debtors))])
        env.flush_all()
        say(f"{len(partners)} customers ({time.perf_counter() - t0:.1f} s)")

        # --- prototypes: ORM, posted ---------------------------------------------
        t0 = time.perf_counter()
        tax = company.account_sale_tax_id
        if not tax or tax.amount != 20:
            die(f"expected a 20 % sale tax, found {tax.display_name!r}")
        products = env['product.product'].create([{
            'name': name, 'type': 'service', 'list_price': price, 'taxes_id': [Command.set(tax.ids)],
        } for name, price in PRODUCTS])
        journal = env['account.journal'].search(
            [('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
        today = fields.Date.context_today(env.user)
        protos = env['account.move'].create([{
            'move_type': 'out_invoice',
            'partner_id': partners[0].id,
            'journal_id': journal.id,
            'invoice_date': today - timedelta(days=60),
            'invoice_payment_term_id': term30.id,
            'invoice_line_ids': [Command.create({'product_id': products[p].id, 'quantity': q}) for p, q in lines],
        } for lines in PROTOTYPES])
        protos.action_post()
        env.flush_all()
        if set(protos.mapped('payment_state')) != {'not_paid'} or len(protos.line_ids.filtered(
                lambda l: l.account_type == 'asset_receivable')) != len(protos):
            die("the prototypes are not posted, unpaid invoices with one receivable line each")
        # free their names for the copies
        cr.execute("UPDATE account_move SET name = 'BENCHPROTO/' || id, sequence_prefix = 'BENCHPROTO/' "
                   "WHERE id = ANY(%s)", [protos.ids])
        say(f"{len(protos)} prototype invoices posted ({time.perf_counter() - t0:.1f} s)")

        # --- copies in SQL -------------------------------------------------------
        t0 = time.perf_counter()
        cr.execute("""
            CREATE TEMP TABLE bench_move ON COMMIT DROP AS
            WITH g AS (
                SELECT i, i %% %(debtors)s AS p, i / %(debtors)s AS k FROM generate_series(0, %(n)s - 1) i
            ), d AS (
                SELECT i, p, (%(today)s::date - ((12 * k + (p * 5 + k * 7) %% 12) %% 120))::date AS due FROM g
            )
            SELECT i, nextval('account_move_id_seq')::int AS move_id,
                   (%(protos)s::int[])[1 + i %% %(nprotos)s] AS proto_id,
                   (%(partners)s::int[])[1 + p] AS partner_id,
                   due, (due - 30)::date AS inv_date
              FROM d
        """, {'n': n, 'debtors': debtors, 'today': today, 'protos': protos.ids, 'nprotos': len(protos),
              'partners': partners.ids})
        # names follow the dates, as posting in date order would give them
        cr.execute("""
            ALTER TABLE bench_move ADD COLUMN prefix varchar, ADD COLUMN number int, ADD COLUMN name varchar,
                                   ADD COLUMN partner_name varchar;
            UPDATE bench_move b SET prefix = s.prefix, number = s.number
              FROM (SELECT i, %(code)s || '/' || extract(year FROM inv_date)::int || '/' AS prefix,
                           row_number() OVER (PARTITION BY extract(year FROM inv_date)
                                              ORDER BY inv_date, i)::int AS number
                      FROM bench_move) s
             WHERE s.i = b.i;
            UPDATE bench_move SET name = prefix || lpad(number::text, greatest(5, length(number::text)), '0');
            UPDATE bench_move b SET partner_name = p.name FROM res_partner p WHERE p.id = b.partner_id;
            CREATE TEMP TABLE bench_line ON COMMIT DROP AS
            SELECT nextval('account_move_line_id_seq')::int AS line_id, l.id AS proto_line_id, b.*
              FROM bench_move b JOIN account_move_line l ON l.move_id = b.proto_id;
        """, {'code': journal.code})

        def columns(table):
            cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                       "AND table_schema = current_schema() ORDER BY ordinal_position", [table])
            return [c for [c] in cr.fetchall()]

        now = "(now() AT TIME ZONE 'UTC')"
        move_set = {
            'id': 'b.move_id', 'name': 'b.name', 'sequence_prefix': 'b.prefix', 'sequence_number': 'b.number',
            'partner_id': 'b.partner_id', 'commercial_partner_id': 'b.partner_id',
            'partner_shipping_id': 'b.partner_id', 'invoice_partner_display_name': 'b.partner_name',
            'date': 'b.inv_date', 'invoice_date': 'b.inv_date', 'invoice_date_due': 'b.due',
            'payment_reference': 'b.name', 'access_token': 'NULL', 'inalterable_hash': 'NULL',
            'secure_sequence_number': 'NULL', 'message_main_attachment_id': 'NULL', 'delivery_date': 'NULL',
            'taxable_supply_date': 'NULL', 'sending_data': 'NULL', 'is_move_sent': 'FALSE',
            'create_date': now, 'write_date': now,
        }
        line_set = {
            'id': 'b.line_id', 'move_id': 'b.move_id', 'partner_id': 'b.partner_id', 'move_name': 'b.name',
            'date': 'b.inv_date', 'invoice_date': 'b.inv_date',
            'date_maturity': 'CASE WHEN p.date_maturity IS NULL THEN NULL ELSE b.due END',
            'name': "CASE WHEN p.display_type = 'payment_term' THEN b.name ELSE p.name END",
            'discount_date': 'NULL', 'matching_number': 'NULL', 'full_reconcile_id': 'NULL',
            'create_date': now, 'write_date': now,
        }

        def copy(table, join, overrides):
            cols = columns(table)
            select = ", ".join(overrides.get(c, f'p."{c}"') for c in cols)
            names = ", ".join('"%s"' % c for c in cols)
            cr.execute(f'INSERT INTO "{table}" ({names}) SELECT {select} FROM {join}')
            return cr.rowcount

        moves = copy('account_move', 'bench_move b JOIN account_move p ON p.id = b.proto_id', move_set)
        lines = copy('account_move_line', 'bench_line b JOIN account_move_line p ON p.id = b.proto_line_id',
                     line_set)
        for rel, col in [('account_move_line_account_tax_rel', 'account_move_line_id'),
                         ('account_account_tag_account_move_line_rel', 'account_move_line_id')]:
            other = [c for c in columns(rel) if c != col]
            cr.execute(f'INSERT INTO "{rel}" ("{col}", {", ".join(other)}) '
                       f'SELECT b.line_id, {", ".join("r." + c for c in other)} '
                       f'FROM bench_line b JOIN "{rel}" r ON r."{col}" = b.proto_line_id')
        say(f"{moves} invoices, {lines} journal items copied in SQL ({time.perf_counter() - t0:.1f} s)")

        # --- the prototypes go ------------------------------------------------------
        cr.execute("DELETE FROM mail_message WHERE model = 'account.move' AND res_id = ANY(%s)", [protos.ids])
        cr.execute("DELETE FROM mail_followers WHERE res_model = 'account.move' AND res_id = ANY(%s)",
                   [protos.ids])
        cr.execute("DELETE FROM account_move_line WHERE move_id = ANY(%s)", [protos.ids])
        cr.execute("DELETE FROM account_move WHERE id = ANY(%s)", [protos.ids])
        env.invalidate_all()

        # --- checks ------------------------------------------------------------------
        cr.execute("""
            SELECT COUNT(*), COUNT(DISTINCT m.commercial_partner_id), COUNT(DISTINCT m.name),
                   MIN(m.invoice_date_due), MAX(m.invoice_date_due),
                   COUNT(*) FILTER (WHERE m.invoice_date_due <= %(today)s::date - 5)
              FROM account_move m WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                AND m.payment_state = 'not_paid'
        """, {'today': today})
        count, customers, names, first_due, last_due, overdue5 = cr.fetchone()
        cr.execute("""
            SELECT COUNT(*) FROM (SELECT l.move_id FROM account_move_line l GROUP BY l.move_id
                                  HAVING ROUND(SUM(l.balance), 2) != 0) x
        """)
        [unbalanced] = cr.fetchone()
        cr.execute("""
            SELECT COUNT(*), ROUND(SUM(l.amount_residual), 2) = ROUND((SELECT SUM(amount_residual)
                   FROM account_move WHERE move_type = 'out_invoice'), 2)
              FROM account_move_line l JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled AND l.date_maturity IS NOT NULL
        """)
        receivables, residual_ok = cr.fetchone()
        if (count, customers, names, receivables) != (n, debtors, n, n) or unbalanced or not residual_ok:
            die(f"dataset check failed: {count} invoices, {customers} customers, {names} names, "
                f"{receivables} receivable lines, {unbalanced} unbalanced, residuals ok {residual_ok}")
        # a sample read back through the ORM, totals recomputed from the lines
        sample = env['account.move'].search([('move_type', '=', 'out_invoice')], limit=3, order='id desc')
        for move in sample:
            total = move.amount_total
            move.line_ids.invalidate_recordset()
            move._compute_amount()
            if move.currency_id.compare_amounts(move.amount_total, total) or move.payment_state != 'not_paid':
                die(f"{move.name}: ORM recomputes {move.amount_total}, stored {total}")
        env.invalidate_all()
        env['ir.config_parameter'].set_param('bench.dataset_date', str(today))
        env['ir.config_parameter'].set_param('bench.dataset_n', str(n))
        cr.commit()
    say(f"dataset N={n}: {count} posted unpaid customer invoices, {customers} customers, due {first_due} .. "
        f"{last_due}, {overdue5} overdue by 5 days or more; built in {time.perf_counter() - started:.1f} s")


if __name__ == '__main__':
    main()
