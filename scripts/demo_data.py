"""Demo data for l10n_fr_debt_recovery, created through the ORM.

Run inside Odoo (``env`` is given by ``odoo-bin shell``), as scripts/run.sh does:
    odoo-bin shell -d DB --no-http < scripts/demo_data.py
or on its own (it then starts Odoo itself):
    python scripts/demo_data.py -d DB --addons-path=...

A French company (Atelier Durand SARL, French chart, EUR), twelve French
customers and about 35 customer invoices dated from today, so that one run of
the recovery engine leaves every stage of the standard plan represented:
not yet due, late without step yet, courteous e-mail, phone call, firm e-mail,
formal-notice to-do, paid, partly paid, disputed, paused, customer never
reminded. The engine is then run once and a summary printed; everything is
committed at the end. Any error raises: the process exits non-zero.
No e-mail is sent: the reminders stay queued in mail.mail.
"""
import sys
from collections import Counter
from datetime import timedelta


def _bootstrap():
    """Standalone use: start Odoo from the command line arguments, return an env."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(sys.argv[1:], setup_logging=True)
    db = config['db_name']
    db = db[0] if isinstance(db, (list, tuple)) else db
    if not db:
        sys.exit("demo_data.py: give the database with -d DB")
    registry = Registry(db)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), cr


# ---------------------------------------------------------------------------
# French identifiers with valid check digits
# ---------------------------------------------------------------------------
def luhn_complete(digits):
    """``digits`` followed by its Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # doubled positions, counted from the check digit to come
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def demo_logo():
    """The demo company's logo (a framed roof over a workbench), as a base64 PNG."""
    import base64
    import io
    from PIL import Image, ImageDraw
    image = Image.new('RGB', (240, 240), (31, 78, 121))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 224, 224), outline=(255, 255, 255), width=8)
    draw.polygon([(48, 120), (120, 56), (192, 120)], fill=(240, 180, 60))
    draw.rectangle((64, 136, 176, 152), fill=(255, 255, 255))
    draw.rectangle((76, 152, 88, 192), fill=(255, 255, 255))
    draw.rectangle((152, 152, 164, 192), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return base64.b64encode(buffer.getvalue())


def french_ids(seed8, nic4='0001'):
    """(SIREN, SIRET, VAT) from 8 digits: SIREN and SIRET pass Luhn, VAT has its key."""
    siren = luhn_complete(seed8)
    siret = luhn_complete(siren + nic4)
    key = (12 + 3 * (int(siren) % 97)) % 97
    return siren, siret, f"FR{key:02d}{siren}"


def ensure_admin_credentials(env, admin):
    """Login 'admin', password 'admin', set below the ORM's write: writing them
    would send a "Security Update" e-mail at once, and no e-mail must leave."""
    from odoo.exceptions import AccessDenied

    if admin.login != 'admin':
        env.cr.execute("UPDATE res_users SET login = 'admin' WHERE id = %s", [admin.id])
        admin.invalidate_recordset(['login'])
    try:
        admin.with_user(admin)._check_credentials({'type': 'password', 'password': 'admin'},
                                                  {'interactive': True})
    except AccessDenied:
        admin._set_encrypted_password(admin.id, admin._crypt_context().hash('admin'))
    admin.with_user(admin)._check_credentials({'type': 'password', 'password': 'admin'},
                                              {'interactive': True})


def main(env):
    from odoo import Command, fields

    admin = env.ref('base.user_admin')
    if env['res.partner'].with_context(active_test=False).search_count([('ref', '=like', 'LDR-DEMO-%')]):
        print("demo_data.py: the demo data is already there, nothing to do.")
        print_summary(env)
        return

    # --- language, admin ----------------------------------------------------
    # _activate_and_install_lang also loads the French translations of the installed modules.
    lang = env['res.lang']._activate_and_install_lang('fr_FR')
    if not lang or not lang.active:
        raise RuntimeError("The French language (fr_FR) could not be activated.")
    admin.write({'lang': 'fr_FR', 'tz': 'Europe/Paris'})
    ensure_admin_credentials(env, admin)

    # --- the French company -------------------------------------------------
    fr = env.ref('base.fr')
    eur = env.ref('base.EUR')
    eur.active = True
    company = admin.company_id
    siren, siret, vat = french_ids('43219876')
    company_vals = {
        'name': "Atelier Durand SARL",
        'street': "14 rue des Tanneurs",
        'street2': "Zone artisanale de la Sarra",
        'zip': "69005",
        'city': "Lyon",
        'country_id': fr.id,
        'email': "contact@atelier-durand.fr",
        'phone': "+33 4 78 42 17 90",
        'website': "https://www.atelier-durand.fr",
        'vat': vat,
        'company_registry': siret,
        # who signs the letters, and the letterhead's legal identity (C. com. R123-237, R123-238)
        'recovery_representative_name': "Marie Durand",
        'recovery_representative_capacity': "gérante",
        'recovery_share_capital': 15000.0,
        'logo': demo_logo(),
    }
    if company.chart_template != 'fr':
        if company.root_id._existing_accounting():
            # The chart cannot change under existing entries: start a new French company.
            company = env['res.company'].create({'name': company_vals['name'], 'currency_id': eur.id,
                                                 'country_id': fr.id})
            admin.write({'company_ids': [Command.link(company.id)], 'company_id': company.id})
        else:
            company.write({'country_id': fr.id, 'currency_id': eur.id})
        env['account.chart.template'].try_loading('fr', company, install_demo=False)
    company.write(company_vals)
    company.partner_id.write({'lang': 'fr_FR', 'is_company': True, 'recovery_legal_form': 'sarl',
                              'recovery_rcs': "RCS Lyon %s %s %s" % (siren[:3], siren[3:6], siren[6:9])})
    if company.chart_template != 'fr' or company.currency_id != eur:
        raise RuntimeError(f"{company.name}: chart {company.chart_template}, currency {company.currency_id.name}: "
                           "expected the French chart in EUR.")
    if not company.recovery_plan_id:
        company.recovery_plan_id = env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default')

    # No e-mail or SMS leaves the machine: their queue jobs are switched off.
    for xmlid in ('mail.ir_cron_mail_scheduler_action', 'sms.ir_cron_sms_scheduler_action'):
        cron = env.ref(xmlid, raise_if_not_found=False)
        if cron:
            cron.active = False

    # From here on, work as the administrator in the French company, so that
    # salesperson, authors and to-dos belong to a user who can log in.
    env = env(user=admin.id, su=True, context=dict(env.context, lang='fr_FR', tz='Europe/Paris',
                                                   allowed_company_ids=[company.id]))
    company = company.with_env(env)
    today = fields.Date.context_today(env.user)

    # --- products -------------------------------------------------------------
    tax20 = company.account_sale_tax_id
    if not tax20 or tax20.amount != 20:
        raise RuntimeError(f"Expected a 20 % sale tax on {company.name}, found {tax20.display_name!r}.")
    Product = env['product.product']
    products = {}
    for key, name, ptype, price, taxed in [
        ('table', "Table de réunion en chêne massif", 'consu', 2480.0, True),
        ('bureau', "Bureau sur mesure en noyer", 'consu', 1650.0, True),
        ('comptoir', "Comptoir d'accueil en frêne", 'consu', 3920.0, True),
        ('etagere', "Étagère murale en hêtre (module)", 'consu', 185.0, True),
        ('chaise', "Chaise bistrot restaurée", 'consu', 95.0, True),
        ('pose', "Pose et installation (heure)", 'service', 58.0, True),
        ('etude', "Étude et plan d'agencement", 'service', 450.0, True),
        ('maintenance', "Contrat d'entretien annuel du mobilier", 'service', 690.0, True),
        ('restauration', "Restauration de meuble ancien (forfait)", 'service', 320.0, True),
        ('livraison', "Livraison et manutention", 'service', 75.0, True),
        ('debours', "Débours : frais de péage et stationnement", 'service', 38.5, False),
    ]:
        products[key] = Product.create({
            'name': name,
            'type': ptype,
            'list_price': price,
            'default_code': f"AD-{key.upper()[:6]}",
            'taxes_id': [Command.set(tax20.ids if taxed else [])],
        })

    # --- customers --------------------------------------------------------------
    Partner = env['res.partner']
    terms = {
        30: env.ref('account.account_payment_term_30days'),
        45: env.ref('account.account_payment_term_45days'),
        0: env.ref('account.account_payment_term_immediate'),
        15: env.ref('account.account_payment_term_15days'),
    }
    customers = {}

    def business(key, name, seed, street, zip_, city, email, phone, term, contact=None):
        siren_, siret_, vat_ = french_ids(seed)
        partner = Partner.create({
            'name': name, 'is_company': True, 'vat': vat_, 'company_registry': siret_,
            'street': street, 'zip': zip_, 'city': city, 'country_id': fr.id,
            'email': email, 'phone': phone, 'lang': 'fr_FR',
            'ref': f"LDR-DEMO-{key}", 'property_payment_term_id': terms[term].id,
        })
        if contact:
            cname, cfunction, cemail, cphone = contact
            Partner.create({
                'name': cname, 'parent_id': partner.id, 'type': 'invoice', 'function': cfunction,
                'email': cemail, 'phone': cphone, 'lang': 'fr_FR',
            })
        customers[key] = partner
        return partner

    def consumer(key, name, street, zip_, city, email, phone, term=0):
        customers[key] = Partner.create({
            'name': name, 'is_company': False, 'street': street, 'zip': zip_, 'city': city,
            'country_id': fr.id, 'email': email, 'phone': phone, 'lang': 'fr_FR',
            'ref': f"LDR-DEMO-{key}", 'property_payment_term_id': terms[term].id,
        })
        return customers[key]

    business('boulangerie', "Boulangerie Martin SAS", '51234567', "8 place des Terreaux", "69001", "Lyon",
             "contact@boulangerie-martin.fr", "+33 4 72 10 22 31", 30,
             contact=("Sophie Martin", "Gérante", "sophie.martin@boulangerie-martin.fr", "+33 6 12 45 78 90"))
    business('menuiserie', "Menuiserie Lefèvre SARL", '38765432', "27 quai de la Fosse", "44000", "Nantes",
             "compta@menuiserie-lefevre.fr", "+33 2 40 35 61 72", 30)
    business('garage', "Garage Moreau & Fils", '44455566', "112 avenue Thiers", "33100", "Bordeaux",
             False, "+33 5 56 86 14 03", 30)  # no e-mail address: reminders go by post
    business('architectes', "Cabinet Dubois Architectes", '79012345', "45 rue de Rivoli", "75004", "Paris",
             "administration@dubois-architectes.fr", "+33 1 42 77 58 20", 45,
             contact=("Antoine Dubois", "Associé gérant", "a.dubois@dubois-architectes.fr", "+33 6 87 21 43 65"))
    business('hotel', "Hôtel Le Relais Fleuri SARL", '52468013', "3 avenue d'Albigny", "74000", "Annecy",
             "reception@relais-fleuri.fr", "+33 4 50 23 09 87", 30,
             contact=("Nathalie Perrin", "Directrice", "direction@relais-fleuri.fr", "+33 6 45 32 10 98"))
    business('transports', "Transports Girard SA", '30219876', "16 rue Nationale", "59000", "Lille",
             "factures@transports-girard.fr", "+33 3 20 57 44 12", 30)
    business('pharmacie', "Pharmacie Bernard", '61827364', "9 place du Capitole", "31000", "Toulouse",
             "pharmacie.bernard@orange.fr", "+33 5 61 21 36 48", 30)
    business('imprimerie', "Imprimerie Roux et Cie", '47382910', "21 rue de Saint-Malo", "35000", "Rennes",
             "gestion@imprimerie-roux.fr", "+33 2 99 31 72 05", 45)
    consumer('petit', "Julien Petit", "5 rue Paradis", "13001", "Marseille",
             "julien.petit@free.fr", "+33 6 11 22 33 44")
    consumer('lambert', "Camille Lambert", "18 quai des Bateliers", "67000", "Strasbourg",
             "camille.lambert@gmail.com", "+33 6 55 43 21 09")
    consumer('fontaine', "Marie-Claire Fontaine", "32 rue de l'Aiguillerie", "34000", "Montpellier",
             "mc.fontaine@laposte.net", "+33 6 78 90 12 34", 15)
    consumer('garnier', "Thomas Garnier", "7 rue des Forges", "21000", "Dijon",
             "thomas.garnier@sfr.fr", "+33 6 23 45 67 81")
    business('traiteur', "Traiteur Chevalier SARL", '53698741', "14 rue de la Monnaie", "37000", "Tours",
             "compta@traiteur-chevalier.fr", "+33 2 47 05 18 36", 30)        # active payment plan
    business('fleuriste', "Atelier Floral Mercier EURL", '42817395', "6 rue des Halles", "63000",
             "Clermont-Ferrand", "contact@floral-mercier.fr", "+33 4 73 91 26 54", 30)  # asked for a plan

    # This customer is never reminded (negotiated payment terms, key account).
    customers['transports'].with_company(company).recovery_blocked = True

    # --- invoices ---------------------------------------------------------------
    # (customer, days late at today (negative: not yet due), lines, what happens next)
    # lines: (product key, quantity[, price]); next: None, ('paid',), ('partial', ratio),
    # ('dispute',), ('pause',)
    P = products
    specs = [
        ('boulangerie', 8, [('comptoir', 1), ('pose', 12)], None),                 # courteous, grouped
        ('boulangerie', 10, [('etagere', 6), ('livraison', 1)], None),            # courteous, grouped
        ('boulangerie', -12, [('maintenance', 1)], None),                         # not yet due
        ('boulangerie', 60, [('chaise', 24), ('livraison', 1)], ('paid',)),
        ('menuiserie', 20, [('etude', 2), ('debours', 1)], None),                 # call
        ('menuiserie', 36, [('table', 1), ('pose', 6)], None),                    # firm
        ('menuiserie', 75, [('bureau', 2)], None),                                # formal notice
        ('menuiserie', 90, [('restauration', 3)], ('paid',)),
        ('garage', 7, [('comptoir', 1), ('livraison', 1)], None),                 # courteous -> letter
        ('garage', 2, [('pose', 4), ('debours', 1)], None),                       # late, no step yet
        ('architectes', 50, [('table', 2), ('livraison', 1)], None),              # formal notice, grouped
        ('architectes', 70, [('bureau', 3), ('pose', 10)], None),                 # formal notice, grouped
        ('architectes', -5, [('etude', 1)], None),                                # not yet due
        ('architectes', 40, [('comptoir', 1), ('etagere', 4)], ('partial', 0.4)),  # firm, partly paid
        ('hotel', 22, [('chaise', 40), ('livraison', 2)], ('partial', 0.5)),      # call, partly paid
        ('hotel', 25, [('maintenance', 1)], ('paid',)),
        ('hotel', 3, [('restauration', 2)], None),                                # late, no step yet
        ('hotel', -1, [('etagere', 10), ('pose', 5)], None),                      # not yet due
        ('transports', 35, [('bureau', 1), ('etude', 1)], None),                  # never reminded
        ('transports', 55, [('table', 1)], None),                                 # never reminded
        ('pharmacie', 32, [('comptoir', 1), ('pose', 8)], ('dispute',)),          # disputed
        ('pharmacie', -20, [('maintenance', 1)], None),                           # not yet due
        ('imprimerie', 25, [('etagere', 12), ('pose', 6)], ('pause',)),           # paused 10 days
        ('imprimerie', 9, [('restauration', 1), ('debours', 1)], None),           # courteous
        ('petit', 7, [('restauration', 1)], None),                                # courteous
        ('petit', 2, [('chaise', 4)], None),                                      # late, no step yet
        ('petit', -8, [('etagere', 2), ('livraison', 1)], None),                  # not yet due
        ('lambert', 35, [('bureau', 1), ('livraison', 1)], ('partial', 0.3)),     # firm, partly paid
        ('lambert', 65, [('chaise', 6)], ('paid',)),
        ('fontaine', -3, [('restauration', 2)], None),                            # not yet due
        ('fontaine', 12, [('etagere', 3), ('pose', 2)], ('paid',)),
        ('garnier', 52, [('table', 1), ('livraison', 1)], None),                  # formal notice
        ('garnier', 21, [('restauration', 1), ('pose', 3)], None),                # call
        ('garnier', 95, [('chaise', 2)], ('paid',)),
        ('boulangerie', 48, [('pose', 3)], ('paid',)),
        ('traiteur', 40, [('table', 2), ('chaise', 12)], None),                   # in an active payment plan
        ('traiteur', 26, [('pose', 6)], None),                                    # in an active payment plan
        ('fleuriste', 18, [('etagere', 4), ('livraison', 1)], None),              # plan asked on its page
    ]
    journal = env['account.journal'].search(
        [('type', '=', 'sale'), ('company_id', '=', company.id)], limit=1)
    if not journal:
        raise RuntimeError(f"No sales journal in {company.name}.")
    vals_list = []
    for key, late, lines, __ in specs:
        partner = customers[key]
        term = partner.property_payment_term_id
        term_days = max(term.line_ids.mapped('nb_days') or [0])
        due = today - timedelta(days=late)
        vals_list.append({
            'move_type': 'out_invoice',
            'partner_id': (partner.child_ids.filtered(lambda c: c.type == 'invoice')[:1] or partner).id,
            'journal_id': journal.id,
            'invoice_date': due - timedelta(days=term_days),
            'invoice_payment_term_id': term.id,
            'invoice_user_id': admin.id,
            'narration': "Pénalités de retard : taux BCE + 10 points. Indemnité forfaitaire pour frais "
                         "de recouvrement : 40 € (C. com. art. L441-10).",
            'invoice_line_ids': [Command.create({
                'product_id': P[line[0]].id,
                'quantity': line[1],
                **({'price_unit': line[2]} if len(line) > 2 else {}),
            }) for line in lines],
        })
    # Created and posted in date order: the sequence numbers follow the dates.
    order = sorted(range(len(specs)), key=lambda i: vals_list[i]['invoice_date'])
    moves = [None] * len(specs)
    for i in order:
        moves[i] = env['account.move'].create(vals_list[i])
        moves[i].action_post()
        expected_due = today - timedelta(days=specs[i][1])
        if moves[i].invoice_date_due != expected_due:
            raise RuntimeError(f"{moves[i].name}: due {moves[i].invoice_date_due}, expected {expected_due}.")

    # --- payments, disputes, pauses -------------------------------------------------
    bank = env['account.journal'].search([('type', '=', 'bank'), ('company_id', '=', company.id)], limit=1)
    for move, (key, late, __, action) in zip(moves, specs):
        if not action:
            continue
        if action[0] in ('paid', 'partial'):
            amount = move.amount_total if action[0] == 'paid' else round(move.amount_total * action[1], 2)
            pay_date = min(today, move.invoice_date_due + timedelta(days=3 if action[0] == 'paid' else -2))
            wizard = env['account.payment.register'].with_context(
                active_model='account.move', active_ids=move.ids).create({
                    'journal_id': bank.id,
                    'payment_date': pay_date,
                    'amount': amount,
                    'payment_difference_handling': 'open',
                    'communication': move.name,
                })
            wizard._create_payments()
        elif action[0] == 'dispute':
            move.write({
                'recovery_dispute_reason': 'quality',
                'recovery_dispute_note': "Le client signale des rayures sur le plateau du comptoir et une "
                                         "porte mal ajustée ; reprise prévue par l'atelier avant règlement.",
            })
        elif action[0] == 'pause':
            move.write({
                'recovery_pause_until': today + timedelta(days=10),
                'recovery_pause_reason': "Promesse de règlement par virement sous 10 jours "
                                         "(appel du service comptable).",
            })
    for move, (key, late, __, action) in zip(moves, specs):
        if action and action[0] == 'paid' and move.payment_state not in ('paid', 'in_payment'):
            raise RuntimeError(f"{move.name}: payment state {move.payment_state} after a full payment.")
        if action and action[0] == 'partial' and move.payment_state != 'partial':
            raise RuntimeError(f"{move.name}: payment state {move.payment_state} after a partial payment.")

    # --- payment plans: one agreed (first instalment paid), one asked for on the debtor's page --
    demo_payment_plans(env, customers, company, today, bank)

    # --- one run of the recovery engine ------------------------------------------------
    env.flush_all()
    mails_before = env['mail.mail'].search_count([])
    activities_before = env['mail.activity'].search_count([])
    env['account.move']._cron_debt_recovery()
    env.flush_all()
    print(f"Demo data: company {company.name} (id {company.id}, chart {company.chart_template}, "
          f"{company.currency_id.name}), {len(customers)} customers, {len(moves)} invoices.")
    print(f"Engine run: {env['mail.mail'].search_count([]) - mails_before} e-mails queued, "
          f"{env['mail.activity'].search_count([]) - activities_before} to-dos created.")
    demo_registered_letter(env, admin)
    print_summary(env)
    env.cr.commit()
    print("Demo data committed.")


def demo_payment_plans(env, customers, company, today, bank):
    """An active plan of 3 monthly instalments agreed a month ago, its first instalment
    paid; and a plan in 4 instalments asked for by a debtor on its page, to answer."""
    from odoo import Command  # noqa: PLC0415
    Plan = env['debt.recovery.payment.plan'].with_company(company)
    debtor = customers['traiteur']
    moves = env['account.move'].search([('commercial_partner_id', '=', debtor.id), ('state', '=', 'posted'),
                                        ('move_type', '=', 'out_invoice')])
    plan = Plan.create({'partner_id': debtor.id, 'company_id': company.id,
                        'move_ids': [Command.set(moves.ids)], 'generate_count': 3,
                        'generate_first_date': today + timedelta(days=5)})
    plan.action_generate_instalments()
    plan.action_confirm()
    first = plan.instalment_ids.sorted('date')[0]
    wizard = env['account.payment.register'].with_context(
        active_model='account.move', active_ids=moves.sorted('invoice_date_due')[:1].ids).create({
            'journal_id': bank.id, 'payment_date': today, 'amount': first.amount,
            'payment_difference_handling': 'open', 'communication': "Échéancier : 1re échéance"})
    wizard._create_payments()
    debtor = customers['fleuriste']
    moves = env['account.move'].search([('commercial_partner_id', '=', debtor.id), ('state', '=', 'posted'),
                                        ('move_type', '=', 'out_invoice')])
    debtor.sudo().with_company(company)._recovery_debtor_plan_request(
        company, moves, 4, "Saison creuse : nous pourrons régler en quatre fois à partir du mois prochain.")
    print(f"Payment plans: {plan.partner_id.name} active ({plan.amount_total:.2f} in 3 instalments, the first "
          f"paid), {debtor.name} asked for 4 instalments on its page; its page: "
          f"{debtor.with_company(company).recovery_portal_url}")


def demo_registered_letter(env, admin):
    """One formal notice sent by AR24 in test mode, with its proofs. The AR24 here is the
    local fake of the tests (tests/ar24_fake.py), started and stopped by this script on
    127.0.0.1: nothing leaves the machine, the provider stays in test mode with dummy
    credentials, and the case says so. Afterwards the sandbox URL is the real one again."""
    from odoo import fields
    from odoo.addons.l10n_fr_debt_recovery.tests.ar24_fake import FakeAr24
    case = env['debt.recovery.case'].search([('state', '=', 'draft'), ('debtor_type', '=', 'professional'),
                                             ('partner_id.email', '!=', False)], limit=1)
    if not case:
        print("Registered letter demo: no draft case to send.")
        return
    fake = FakeAr24(token='demo-token', private_key='demo-private-key', user_id='1').start()
    fake.sent_at = str(fields.Datetime.now())[:19]
    params = env['ir.config_parameter'].sudo()
    try:
        params.set_param('l10n_fr_debt_recovery.ar24_sandbox_url', fake.url + '/api')
        provider = env['debt.recovery.post.provider'].create({
            'name': "AR24 (mode test)", 'kind': 'ar24', 'company_id': case.company_id.id, 'test_mode': True,
            'ar24_token': fake.token, 'ar24_private_key': fake.private_key, 'ar24_user_id': fake.user_id})
        case.post_provider_id = provider
        as_manager = case.with_user(admin).with_company(case.company_id)
        as_manager.action_validate_notice()
        as_manager.action_post_send()
        mail = fake.mails[int(case.post_reference)]
        mail.update(status='AR', view_date=str(fields.Datetime.now())[:19],
                    proof_ar_url=fake.proof_url('ar', mail['id']))
        as_manager.action_post_check()
        print(f"Registered letter demo: {case.name} sent through the local AR24 test server (test mode), "
              f"state {case.state}, tracking {case.post_state}, deadline {case.notice_deadline}.")
    finally:
        params.set_param('l10n_fr_debt_recovery.ar24_sandbox_url', False)
        fake.stop()


def print_summary(env):
    Move = env['account.move'].sudo().with_context(lang='en_US')
    invoices = Move.search([('move_type', '=', 'out_invoice'), ('state', '=', 'posted')])
    states = dict(Move._fields['recovery_state']._description_selection(Move.env))
    print(f"Customer invoices: {len(invoices)}")
    print("  per recovery status: " + ", ".join(
        f"{states.get(k, k)} {v}" for k, v in sorted(Counter(invoices.mapped('recovery_state')).items())))
    steps = Counter(m.recovery_step_id.display_name if m.recovery_step_id else "(no step)" for m in invoices)
    print("  per last step:       " + ", ".join(f"{k} {v}" for k, v in sorted(steps.items())))
    payment = Counter(invoices.mapped('payment_state'))
    print("  per payment state:   " + ", ".join(f"{k} {v}" for k, v in sorted(payment.items())))
    mails = env['mail.mail'].sudo().search([('model', '=', 'res.partner')])
    print(f"Reminder e-mails in the queue: {len(mails.filtered(lambda m: m.state == 'outgoing'))} "
          f"(of {len(mails)} on customers), recipients: "
          + "; ".join(sorted(mails.recipient_ids.mapped('email'))))
    todo_types = [t for t in (
        env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_call', raise_if_not_found=False),
        env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_letter', raise_if_not_found=False),
        env.ref('l10n_fr_debt_recovery.mail_activity_type_recovery_formal_notice', raise_if_not_found=False),
    ) if t]
    activities = env['mail.activity'].sudo().search([('activity_type_id', 'in', [t.id for t in todo_types])])
    per_type = Counter(a.activity_type_id.with_context(lang='en_US').name for a in activities)
    print(f"Recovery to-dos: {len(activities)} ("
          + ", ".join(f"{k} {v}" for k, v in sorted(per_type.items())) + ")")
    events = env['debt.recovery.event'].sudo().search([])
    print(f"Recovery events: {len(events)} ("
          + ", ".join(f"{k}/{c}/{s} {v}" for (k, c, s), v in sorted(Counter(
              (e.event_type, e.channel, e.state) for e in events).items())) + ")")


if 'env' in globals():          # odoo-bin shell
    main(env)  # noqa: F821
else:                            # python scripts/demo_data.py -d DB ...
    _env, _cr = _bootstrap()
    try:
        main(_env)          # commits at its end
    finally:
        _cr.close()         # anything not committed is rolled back
