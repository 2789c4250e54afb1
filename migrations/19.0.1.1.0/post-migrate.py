"""19.0.1.1.0: the Sales guard moved to the bridge addon l10n_fr_debt_recovery_sale.

Odoo installs an auto-install addon only when a module is installed, not when it is
upgraded: a database that had this module and Sales before the bridge existed gets
it here, in the same upgrade (Odoo loads the modules marked "to install" during
loading). The bridge must be on the addons path (the module's ``bridges/`` folder);
without it, the upgrade goes on and says what to do."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)
BRIDGE = 'l10n_fr_debt_recovery_sale'


def migrate(cr, version):
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
