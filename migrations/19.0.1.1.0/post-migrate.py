"""19.0.1.1.0: the Sales guard moved to the bridge addon l10n_fr_debt_recovery_sale.

Odoo installs an auto-install addon only when a module is installed, not when it is
upgraded: a database that had this module and Sales before the bridge existed gets
it here, in the same upgrade (Odoo loads the modules marked "to install" during
loading). The bridge must be on the addons path (the module's ``bridges/`` folder);
without it, the upgrade goes on and says what to do."""
import logging
import re

from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)
BRIDGE = 'l10n_fr_debt_recovery_sale'


# The formal notice's payment deadline now runs from the receipt of the letter: the
# shipped texts that printed a date (unknown when the letter is printed) are reworded,
# in every language, unless a manager has already reworded them.
DEADLINE = r'<strong t-out="format_date\(object\.notice_deadline\) or \'\'">[^<]*</strong>'
DELAY = '<strong t-out="object.notice_delay or \'\'">8</strong>'
REWORDINGS = [
    ('mail_template_formal_notice_body',
     re.compile(r'au plus tard le <strong t-out="object\.notice_deadline_text">[^<]*</strong>'),
     'dans un délai de <strong t-out="object.notice_delay_text">huit jours</strong> à compter de la réception '
     'de la présente lettre'),
    ('mail_template_formal_notice_copy', re.compile('to be paid by %s at the latest' % DEADLINE),
     'to be paid within %s days of the receipt of the registered letter' % DELAY),
    ('mail_template_formal_notice_copy', re.compile('à régler au plus tard le %s' % DEADLINE),
     'à régler dans un délai de %s jours à compter de la réception de la lettre recommandée' % DELAY),
]


def _reword_notice_templates(cr):
    for xmlid, pattern, replacement in REWORDINGS:
        cr.execute("""SELECT t.id, t.body_html FROM mail_template t JOIN ir_model_data d
                       ON d.res_id = t.id AND d.model = 'mail.template'
                       WHERE d.module = 'l10n_fr_debt_recovery' AND d.name = %s""", [xmlid])
        for template_id, body in cr.fetchall():
            new = {lang: pattern.sub(replacement, text or '') for lang, text in (body or {}).items()}
            if new != body:
                cr.execute("UPDATE mail_template SET body_html = %s WHERE id = %s", [Json(new), template_id])


def migrate(cr, version):
    _reword_notice_templates(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    Module = env['ir.module.module']
    if not Module.search_count([('name', '=', 'sale'), ('state', 'in', ('installed', 'to upgrade'))]):
        return
    bridge = Module.search([('name', '=', BRIDGE)])
    if not bridge:
        _logger.warning("Sales is installed but the addon %s is not on the addons path: add the module's "
                        "bridges/ folder to it and install %s, or suspended customers' orders are not checked.",
                        BRIDGE, BRIDGE)
    elif bridge.state == 'uninstalled':
        bridge.button_install()
