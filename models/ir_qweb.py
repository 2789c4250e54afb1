from lxml import etree

from odoo import models, tools
from odoo.tools.lru import LRU

# Compiled reminder bodies, by template source and compile options. The engine
# renders one e-mail per debtor from the same mail template: Odoo parses the
# template source into a new element for each record, and an element (unlike a
# view) is compiled again each time, which cost more than the rendering itself.
_COMPILED_REMINDERS = LRU(64)


class IrQweb(models.AbstractModel):
    _inherit = 'ir.qweb'

    def _compile(self, template):
        if (not isinstance(template, etree._Element)
                or not self.env.context.get('recovery_step_id')
                or 'xml' in tools.config['dev_mode']):
            return super()._compile(template)
        # the key holds everything the generated code depends on: the source and
        # the options Odoo itself caches compiled views by (lang, restricted mode...)
        key = (
            self.env.registry.registry_sequence,
            etree.tostring(template),
            tuple(self.env.context.get(k) or False for k in self._get_template_cache_keys()),
        )
        compiled = _COMPILED_REMINDERS.get(key)
        if compiled is None:
            compiled = _COMPILED_REMINDERS[key] = super()._compile(template)
        return compiled
