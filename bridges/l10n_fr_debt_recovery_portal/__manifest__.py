{
    'name': 'France - Debt Recovery: online payment on the debtor\'s page',
    'version': '19.0.1.0.0',
    'category': 'Accounting/Accounting',
    'summary': 'Pay all the invoices due at once from the debtor\'s page, with the company\'s payment providers',
    'author': 'l10n_fr_debt_recovery developers',
    'license': 'LGPL-3',
    'depends': ['l10n_fr_debt_recovery', 'account_payment'],
    'data': [
        'views/debtor_portal_templates.xml',
    ],
    'auto_install': True,
    'installable': True,
    'application': False,
}
