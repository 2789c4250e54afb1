"""Bad input: each case gives a clear message and leaves nothing half-done
(no e-mail, no event, no stage change) when it is refused."""
import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import formatLang, mute_logger

from .common import DebtRecoveryCommon


@tagged('post_install', '-at_install')
class TestBadInput(DebtRecoveryCommon):

    def _open_wizard(self, invoices, user=None):
        user = user or self.accountant
        action = invoices.with_user(user).action_recovery_remind()
        return self.env['debt.recovery.remind'].with_user(user).browse(action['res_id'])

    def _footprint(self, invoices):
        """Everything a reminder of these invoices could leave behind."""
        partners = invoices.commercial_partner_id
        return (
            len(self._mails()),
            len(self.Event.search([('move_id', 'in', invoices.ids)])),
            len(self.env['mail.activity'].search([('res_model', '=', 'res.partner'), ('res_id', 'in', partners.ids)])),
            tuple(invoices.mapped('recovery_step_id').ids),
            tuple(invoices.mapped('recovery_state')),
        )

    # -- debtor without e-mail -------------------------------------------------------
    @freeze_time('2026-03-08')
    def test_no_email_relancer_makes_a_letter_todo(self):
        no_mail = self.env['res.partner'].create({'name': 'Sans Courriel SARL', 'is_company': True})
        invoice = self._invoice(no_mail, '2026-03-02')
        wizard = self._open_wizard(invoice)
        self.assertIn('no e-mail address', wizard.line_ids.preview_body, "the preview says why")
        result = wizard.action_send()
        self.assertEqual(result['params']['type'], 'success')
        self.assertFalse(self._mails(no_mail))
        event = self._step_events(invoice, self.step_courteous)
        self.assertEqual((event.channel, event.origin), ('letter', 'manual'))
        self.assertIn('no e-mail address', event.note)
        self.assertEqual(len(self._activities(no_mail, 'l10n_fr_debt_recovery.mail_activity_type_recovery_letter')), 1)

    # -- contractual rate ---------------------------------------------------------------
    def test_negative_or_absurd_contractual_rate_refused(self):
        invoice = self._invoice(self.debtor, '2026-01-02')
        before = invoice.with_context(date='2026-03-02')._recovery_penalty('2026-03-02')['penalty']
        writes = {
            'customer': lambda rate: self.debtor.write({'recovery_penalty_rate': rate}),
            'company': lambda rate: self.company.write({'recovery_penalty_rate': rate}),
            'settings': lambda rate: self.env['res.config.settings'].create({'recovery_penalty_rate': rate}).execute(),
        }
        for rate in (-2.0, 250.0, 1e9):
            for where, write in writes.items():
                with self.subTest(rate=rate, where=where):
                    # (assertRaises, not assertRaisesRegex: only the former rolls the savepoint back)
                    with self.assertRaises(ValidationError) as caught:
                        write(rate)
                    self.assertIn("must lie between 0", caught.exception.args[0])
                    self.assertIn("not a rate a court would apply", caught.exception.args[0])
        self.assertEqual(self.debtor.recovery_penalty_rate, 0.0)
        self.assertEqual(self.company.recovery_penalty_rate, 0.0)
        self.assertEqual(invoice._recovery_penalty('2026-03-02')['penalty'], before, "nothing changed")
        # a rate below the legal floor is accepted with a warning, and the floor applies
        with freeze_time('2026-03-02'):
            self.debtor.recovery_penalty_rate = 1.0
            self.assertIn('below the legal floor', self.debtor.recovery_penalty_rate_warning)

    # -- missing rate half-year ------------------------------------------------------------
    def test_missing_rate_half_year_noted_not_guessed(self):
        """2026-H2 legal rates are not recorded: the firm reminder of July goes
        without penalty figures, the event says which rate is missing, and billing
        the penalties is refused with the same message."""
        self.assertFalse(self.env['debt.recovery.rate'].search(
            [('rate_type', '=', 'legal_other'), ('date_from', '=', '2026-07-01')]))
        self.debtor.recovery_penalty_rate = 5.0  # contractual: the floor of 2026-H2 is needed
        invoice = self._invoice(self.debtor, '2026-06-01')
        self._run('2026-06-16')  # the call step (catch-up from +5)
        self._run('2026-07-01')
        mail = self._mails(self.debtor)
        self.assertEqual(len(mail), 1, "the firm reminder goes")
        event = self._step_events(invoice, self.step_firm)
        self.assertIn('is not recorded', event.note)
        self.assertIn('2026-H2', event.note)
        with freeze_time('2026-07-01'):
            invoice.invalidate_recordset()
            self.assertIn('2026-H2', invoice.recovery_penalty_warning)
            self.assertFalse(invoice.recovery_penalty_amount, "no penalty guessed")
            with self.assertRaisesRegex(UserError, '2026-H2'):
                invoice.action_recovery_bill_penalties()
        self.assertFalse(self.env['account.move'].search([('move_type', '=', 'out_invoice'),
                                                          ('invoice_line_ids.recovery_claimed_move_id', '=', invoice.id)]))

    # -- archived customer ----------------------------------------------------------------
    def test_archived_customer_still_owes(self):
        """Archiving a customer does not cancel its debt: the scheduled run and
        Relancer remind it like any other, and the e-mail has its recipient."""
        gone = self.env['res.partner'].create({'name': 'Fermé SARL', 'is_company': True, 'email': 'ferme@example.fr'})
        invoice = self._invoice(gone, '2026-03-02')
        other = self._invoice(gone, '2026-03-10')
        gone.action_archive()
        self._run('2026-03-07')
        mail = self._mails(gone)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.with_context(active_test=False).recipient_ids, gone)
        email_list = mail._prepare_outgoing_list()
        self.assertEqual([e['email_to'] for e in email_list], [['"Fermé SARL" <ferme@example.fr>']],
                         "the archived customer is still a recipient when the e-mail is sent")
        self.assertEqual(self._step_events(invoice).state, 'done')
        with freeze_time('2026-03-16'):
            wizard = self._open_wizard(other)
            self.assertEqual(wizard.line_ids.partner_id, gone)
            wizard.action_send()
        self.assertEqual(len(self._mails(gone)), 2)
        self.assertEqual(self._step_events(other, self.step_courteous).origin, 'manual')

    # -- mail template ------------------------------------------------------------------------
    def test_template_in_use_cannot_be_deleted(self):
        template = self.step_courteous.mail_template_id
        with self.assertRaises(psycopg2.IntegrityError) as caught, mute_logger('odoo.sql_db'), self.env.cr.savepoint():
            template.unlink()
            self.env.flush_all()
        # what the RPC layer (odoo.service.model.retrying) tells the user
        error = caught.exception
        model = next(self.env[m] for m, cls in self.env.registry.items() if cls._table == error.diag.table_name)
        message = model._sql_error_to_message(error)
        self.assertIn('debt.recovery.step', message, "the user is told what uses the template: %s" % message)
        self.assertTrue(template.exists())
        self.assertEqual(self.step_courteous.mail_template_id, template)

    @freeze_time('2026-03-08')
    def test_broken_template_relancer_fails_cleanly(self):
        template = self.step_courteous.mail_template_id
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s, 'fr_FR', %s) WHERE id = %s",
            ['<p t-out="object.no_such_field"/>', '<p t-out="object.no_such_field"/>', template.id])
        template.invalidate_recordset(['body_html'])
        invoice = self._invoice(self.debtor, '2026-03-02')
        wizard = self._open_wizard(invoice)
        self.assertIn('text-danger', wizard.line_ids.preview_body, "the preview shows the error")
        result = wizard.action_send()
        self.assertEqual(result['params']['type'], 'warning')
        self.assertIn('Failed', result['params']['message'])
        self.assertFalse(self._mails(self.debtor), "no e-mail")
        failed = self._step_events(invoice, state='failed')
        self.assertEqual(len(failed), 1)
        self.assertIn('no_such_field', failed.failure_reason)
        self.assertFalse(self._step_events(invoice), "no step done")
        self.assertFalse(invoice.recovery_step_id, "no stage change")

    # -- foreign currency -------------------------------------------------------------------------
    def test_foreign_currency_amounts_in_invoice_currency(self):
        usd = self.setup_other_currency('USD', rates=[('2026-01-01', 1.25)])
        invoice = self._invoice(self.debtor, '2026-03-02', amount=1234.5, currency=usd)
        self.assertEqual(invoice.currency_id, usd)
        self._run('2026-03-07')
        mail = self._mails(self.debtor)
        amount = formatLang(self.env['res.partner'].with_context(lang=self.debtor.lang).env, 1234.5,
                            currency_obj=usd)
        self.assertIn(amount, mail.body_html, "the e-mail states the amount in the invoice's currency")
        in_eur = formatLang(self.env['res.partner'].with_context(lang=self.debtor.lang).env, 1234.5 / 1.25,
                            currency_obj=self.company.currency_id)
        self.assertNotIn(in_eur, mail.body_html)
        event = self._step_events(invoice)
        self.assertEqual((event.currency_id, event.amount_residual), (usd, 1234.5))

    # -- nothing due -----------------------------------------------------------------------------
    def test_zero_amount_due_refused(self):
        zero = self._invoice(self.debtor, '2026-03-02', amount=0.0)
        self.assertTrue(zero.currency_id.is_zero(zero.amount_residual))
        before = self._footprint(zero)
        with self.assertRaisesRegex(UserError, "already paid"):
            zero.with_user(self.accountant).action_recovery_remind()
        with self.assertRaisesRegex(UserError, "already paid"):
            self.env['debt.recovery.remind'].with_user(self.accountant).create({'move_ids': [Command.set(zero.ids)]})
        self._run('2026-03-20')
        self.assertEqual(self._footprint(zero), before, "nothing reminded for nothing due")

    def test_credit_note_larger_than_the_invoice(self):
        invoice = self._invoice(self.debtor, '2026-03-02', 100.0)
        credit = self.env['account.move'].create({
            'move_type': 'out_refund', 'partner_id': self.debtor.id, 'invoice_date': '2026-02-25',
            'invoice_line_ids': [Command.create({'name': 'Avoir', 'price_unit': 150.0, 'tax_ids': [Command.clear()]})],
        })
        credit.action_post()
        line = credit.line_ids.filtered(lambda l: l.account_type == 'asset_receivable')
        invoice.js_assign_outstanding_line(line.id)
        self.assertEqual(invoice.payment_state, 'reversed')
        self.assertEqual(invoice.recovery_state, 'closed', "settled by the credit note: recovery ended")
        self.assertEqual(credit.recovery_state, 'none', "a credit note is never reminded")
        self.assertAlmostEqual(credit.amount_residual, 50.0)
        before = self._footprint(invoice | credit)
        self._run('2026-04-01')
        self.assertEqual(self._footprint(invoice | credit), before)
        with self.assertRaisesRegex(UserError, "already paid"):
            invoice.with_user(self.accountant).action_recovery_remind()
        with self.assertRaisesRegex(UserError, "not a customer invoice"):
            credit.with_user(self.accountant).action_recovery_remind()
        self.assertEqual(invoice._recovery_penalty('2026-04-01')['total'], 0.0,
                         "settled before the due date: no penalty, no indemnity")

    def test_forged_wizard_line_refused(self):
        """A line of the wizard naming another company or another customer than its
        invoices' (only possible through RPC) is refused before anything is sent."""
        company_b = self.setup_other_company(name='Société B')['company']
        invoice = self._invoice(self.debtor, '2026-03-02')
        with freeze_time('2026-03-08'):
            for forged in ({'company_id': company_b.id}, {'partner_id': self.debtor_b.id}):
                wizard = self._open_wizard(invoice, user=self.manager)
                self.manager.company_ids |= company_b
                wizard.line_ids.write(forged)
                before = self._footprint(invoice)
                with self.assertRaisesRegex(AccessError, "own company to their own customer"):
                    wizard.action_send()
                self.assertEqual(self._footprint(invoice), before)
