from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class DebtRecoveryCommon(AccountTestInvoicingCommon):
    """A French company, a few debtors, and helpers to walk through time."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country('fr')
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data['company']
        cls.company.write({'email': 'compta@atelier-durand.fr', 'name': 'Atelier Durand SARL'})
        cls.plan = cls.env.ref('l10n_fr_debt_recovery.debt_recovery_plan_default')
        cls.step_courteous = cls.env.ref('l10n_fr_debt_recovery.debt_recovery_step_courteous')
        cls.step_call = cls.env.ref('l10n_fr_debt_recovery.debt_recovery_step_call')
        cls.step_firm = cls.env.ref('l10n_fr_debt_recovery.debt_recovery_step_firm')
        cls.step_notice = cls.env.ref('l10n_fr_debt_recovery.debt_recovery_step_formal_notice')
        cls.Event = cls.env['debt.recovery.event']
        cls.debtor = cls.env['res.partner'].create({
            'name': 'Boulangerie Martin SAS', 'is_company': True, 'email': 'contact@boulangerie-martin.fr',
            'lang': 'fr_FR' if cls.env['res.lang']._lang_get('fr_FR') else 'en_US',
        })
        cls.debtor_b = cls.env['res.partner'].create({
            'name': 'Garage Petit SARL', 'is_company': True, 'email': 'compta@garage-petit.fr',
        })
        cls.consumer = cls.env['res.partner'].create({
            'name': 'Jeanne Leroy', 'email': 'jeanne.leroy@example.fr',
        })
        cls.manager = mail_new_test_user(
            cls.env, login='recovery_manager', name='Claire Manager', email='claire@atelier-durand.fr',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
            groups='base.group_user,account.group_account_invoice,l10n_fr_debt_recovery.group_recovery_manager')
        cls.accountant = mail_new_test_user(
            cls.env, login='recovery_accountant', name='Paul Comptable', email='paul@atelier-durand.fr',
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
            groups='base.group_user,account.group_account_invoice,l10n_fr_debt_recovery.group_recovery_user')
        cls.company.write({
            'recovery_call_user_id': cls.accountant.id,
            'recovery_notice_user_id': cls.manager.id,
            'recovery_plan_id': cls.plan.id,
            'recovery_representative_name': "Jeanne Durand",
            'recovery_representative_capacity': "gérante",
        })

    @classmethod
    def _invoice(cls, partner, due, amount=1000.0, invoice_date=None, company=None, currency=None, post=True):
        """A customer invoice of one line without tax, due on ``due`` (posted unless ``post=False``),
        built by ``AccountTestInvoicingCommon._create_invoice_one_line``."""
        due = fields.Date.to_date(due)
        company = company or cls.company
        return cls._create_invoice_one_line(
            price_unit=amount, name='Prestation', tax_ids=cls.env['account.tax'],
            partner_id=partner, company_id=company, currency_id=currency or company.currency_id,
            invoice_date=invoice_date or fields.Date.subtract(due, days=30), invoice_date_due=due,
            post=post,
        )

    @classmethod
    def _pay(cls, invoice, amount, on):
        """Register a payment of ``amount`` on ``on`` (``AccountTestInvoicingCommon._register_payment``)."""
        return cls._register_payment(invoice, payment_date=fields.Date.to_date(on), amount=amount)

    def _run(self, on):
        """Run the scheduled action's engine as of ``on``."""
        with freeze_time(on):
            self.env['account.move']._cron_debt_recovery()
            self.env.flush_all()

    def _mails(self, partner=None):
        domain = [('model', '=', 'res.partner')]
        if partner:
            domain.append(('res_id', '=', partner.id))
        return self.env['mail.mail'].search(domain)

    def _step_events(self, moves, step=None, state='done'):
        domain = [('move_id', 'in', moves.ids), ('event_type', '=', 'step'), ('state', '=', state)]
        if step:
            domain.append(('step_id', '=', step.id))
        return self.Event.search(domain)

    def _activities(self, partner, activity_xmlid):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'), ('res_id', '=', partner.id),
            ('activity_type_id', '=', self.env.ref(activity_xmlid).id)])

    @staticmethod
    def d(value):
        return date.fromisoformat(value)
