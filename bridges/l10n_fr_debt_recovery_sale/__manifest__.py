{
    'name': 'France - Debt Recovery: Sales',
    'version': '19.0.1.0.0',
    'category': 'Accounting/Accounting',
    'summary': 'Refuse to confirm quotations for customers whose work is suspended for unpaid invoices',
    'author': 'l10n_fr_debt_recovery developers',
    'license': 'LGPL-3',
    'depends': ['l10n_fr_debt_recovery', 'sale'],
    'data': [
        'views/sale_order_views.xml',
    ],
    'auto_install': True,
    'installable': True,
    'application': False,
}
