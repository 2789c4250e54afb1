"""19.0.1.1.0: the debtor's legal form becomes a structured value (it decides the
competent court). The free text typed before is mapped to the new keys where it
names a known form; anything else is cleared (the case then says the form is
unknown) and logged."""
import logging
import re

_logger = logging.getLogger(__name__)

KNOWN = [
    (r'^SELA?R?L|^SELAS|^SELAFA|^SELCA|^SEL\b', 'sel'), (r'^SASU\b', 'sasu'), (r'^SAS\b', 'sas'),
    (r'^SA\b', 'sa'), (r'^EURL\b', 'eurl'), (r'^SARL\b', 'sarl'), (r'^SNC\b', 'snc'), (r'^SCS\b', 'scs'),
    (r'^SCA\b', 'sca'), (r'^SCI\b', 'sci'), (r'^SCP\b', 'scp'), (r'^SCM\b', 'scm'),
    (r'^ASSOCIATION\b', 'association'),
]


def migrate(cr, version):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'res_partner' AND column_name = 'recovery_legal_form'""")
    if not cr.fetchone():
        return
    cr.execute("SELECT id, recovery_legal_form FROM res_partner WHERE recovery_legal_form IS NOT NULL")
    for partner_id, text in cr.fetchall():
        value = (text or '').strip().upper()
        key = next((key for pattern, key in KNOWN if re.match(pattern, value)), None)
        if not key and value:
            _logger.info("Partner %s: legal form %r not recognised, cleared: choose it on the customer.",
                         partner_id, text)
        cr.execute("UPDATE res_partner SET recovery_legal_form = %s WHERE id = %s", (key, partner_id))
