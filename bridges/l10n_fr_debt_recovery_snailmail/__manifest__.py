{
    'name': 'France - Debt Recovery: Letters by Post (Snailmail)',
    'version': '19.0.1.0.0',
    'category': 'Accounting/Accounting',
    'summary': 'Send the reminder letters of the recovery plan by post through Odoo Snailmail (IAP credits)',
    'author': 'l10n_fr_debt_recovery developers',
    'license': 'LGPL-3',
    'depends': ['l10n_fr_debt_recovery', 'snailmail'],
    'data': [
        'reports/report_reminder_letter.xml',
        'views/debt_recovery_snailmail_views.xml',
    ],
    'auto_install': True,
    'installable': True,
    'application': False,
}
