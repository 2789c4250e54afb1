"""19.0.1.2.0: no 40 EUR indemnity on consumers' invoices; one rate sentence.

Up to 19.0.1.1.0 the module appended its late-payment mentions (penalties and the
40 EUR indemnity of C. com. L441-10 II / D441-5) to the company's terms and
conditions, which Odoo copies into the notes of every customer invoice, consumers'
included, although a consumer owes no indemnity. The invoice report prints the
mentions on business customers' invoices only, so:

* the module's paragraph is removed from ``res.company.invoice_terms`` (every
  language);
* it is removed from the notes (``narration``) of draft customer invoices and credit
  notes, which are not issued yet. Posted ones are left as they are: an issued invoice
  is not rewritten (it is corrected by a credit note), its PDF was sent, and the
  business ones print the mentions anyway;
* the default mentions no longer state the rate (the report adds one sentence: the
  contractual rate when there is one, the legal default otherwise); a company that
  kept the shipped text gets the new one, a reworded text is kept and logged;
* the suspension notice is reworded (C. civ. 1219: a last deadline, then the
  suspension) unless a manager reworded it.
"""
import io
import logging
import re

import lxml.html
from lxml import etree
from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api
from odoo.tools import file_path
from odoo.tools.convert import convert_xml_import

from odoo.addons.l10n_fr_debt_recovery.models.res_company import DEFAULT_INVOICE_MENTION, DEFAULT_INVOICE_MENTION_FR

_logger = logging.getLogger(__name__)

OLD_MENTION = (
    "Payment due on the due date shown on this invoice. No discount for early payment. "
    "Any late payment makes due, by right and without reminder, late-payment penalties at the rate "
    "applied by the European Central Bank to its most recent refinancing operation plus 10 points, "
    "and a fixed indemnity for recovery costs of 40 euros (C. com. L441-10 and D441-5)."
)
OLD_MENTION_FR = (
    "Paiement à la date d'échéance indiquée sur la facture. Pas d'escompte pour paiement anticipé. "
    "Tout retard de paiement rend exigibles de plein droit, sans rappel, des pénalités de retard au taux "
    "appliqué par la Banque centrale européenne à son opération de refinancement la plus récente majoré de "
    "10 points, et une indemnité forfaitaire pour frais de recouvrement de 40 euros (C. com. L441-10 et D441-5)."
)
NEW_MENTION = {OLD_MENTION: DEFAULT_INVOICE_MENTION, OLD_MENTION_FR: DEFAULT_INVOICE_MENTION_FR}
OLD_SUSPENSION_SENTENCE = "Conformément aux articles 1219 et 1220 du Code civil, nous vous informons que nous suspendons"


def _norm(text):
    return re.sub(r'\s+', ' ', text or '').strip()


def strip_mentions(html, mentions):
    """``html`` without its paragraphs whose text is one of ``mentions`` (normalised)."""
    if not html or not ('L441' in html or 'D441' in html):
        return html
    root = lxml.html.fragment_fromstring(html, create_parent='div')
    paragraphs = [p for p in root.iter('p') if _norm(p.text_content()) in mentions]
    if not paragraphs:
        return html
    for paragraph in paragraphs:
        paragraph.drop_tree()
    return (root.text or '') + ''.join(lxml.html.tostring(child, encoding='unicode') for child in root)


def _mentions(cr):
    """Every text the module may have appended: the shipped defaults, old and new, and
    each company's mentions in every language."""
    mentions = {_norm(text) for text in (OLD_MENTION, OLD_MENTION_FR, DEFAULT_INVOICE_MENTION,
                                         DEFAULT_INVOICE_MENTION_FR)}
    cr.execute("SELECT recovery_invoice_mention FROM res_company WHERE recovery_invoice_mention IS NOT NULL")
    for (values,) in cr.fetchall():
        mentions.update(_norm(text) for text in values.values() if text)
    return mentions


def remove_mentions_from_terms(cr):
    mentions = _mentions(cr)
    cr.execute("SELECT id, invoice_terms FROM res_company WHERE invoice_terms IS NOT NULL")
    for company_id, terms in cr.fetchall():
        new = {lang: strip_mentions(text, mentions) for lang, text in terms.items()}
        if new != terms:
            cr.execute("UPDATE res_company SET invoice_terms = %s WHERE id = %s", [Json(new), company_id])
        if any('D441' in (text or '') for text in new.values()):
            _logger.warning("Company %s: its terms and conditions still mention the recovery indemnity (D441-5), "
                            "copied on consumers' invoices too: check them in Settings > Invoicing.", company_id)
    cr.execute("""SELECT id, narration FROM account_move
                   WHERE state = 'draft' AND move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                     AND (narration LIKE %s OR narration LIKE %s)""", ['%L441%', '%D441%'])
    for move_id, narration in cr.fetchall():
        new = strip_mentions(narration, mentions)
        if new != narration:
            cr.execute("UPDATE account_move SET narration = %s WHERE id = %s", [new or None, move_id])


def update_default_mentions(cr):
    cr.execute("SELECT id, recovery_invoice_mention FROM res_company WHERE recovery_invoice_mention IS NOT NULL")
    for company_id, values in cr.fetchall():
        new = {lang: NEW_MENTION.get(text, text) for lang, text in values.items()}
        if new != values:
            cr.execute("UPDATE res_company SET recovery_invoice_mention = %s WHERE id = %s", [Json(new), company_id])
        if any(text not in NEW_MENTION.values() for text in new.values()):
            _logger.info("Company %s: its late-payment mentions were reworded and are kept. The invoice now adds "
                         "the penalty rate in a sentence of its own: remove any rate from the mentions.", company_id)


def reword_suspension_notice(cr):
    """The suspension notice now gives a last deadline before suspending (C. civ. 1219)
    instead of suspending at once under 1219-1220. Its record is noupdate (managers may
    reword it): when its text is still the shipped one, in every language, the new text
    is loaded from the data file, the old translations dropped (the notice is French in
    every language); a reworded notice is kept and logged."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref('l10n_fr_debt_recovery.mail_template_suspension_notice', raise_if_not_found=False)
    if not template:
        return
    cr.execute("SELECT body_html FROM mail_template WHERE id = %s", [template.id])
    body = cr.fetchone()[0] or {}
    if not body or not all(OLD_SUSPENSION_SENTENCE in (text or '') for text in body.values()):
        if any('1220' in (text or '') for text in body.values()):
            _logger.warning("The suspension notice template was reworded: it is kept. It should now announce a last "
                            "deadline before suspending the work (C. civ. 1219); check it.")
        return
    data = etree.parse(file_path('l10n_fr_debt_recovery/data/mail_template_stops_data.xml'))
    [record] = data.xpath("//record[@id='mail_template_suspension_notice']")
    source = io.BytesIO(b'<odoo><data noupdate="1">%s</data></odoo>' % etree.tostring(record, encoding='utf-8'))
    source.name = 'mail_template_stops_data.xml'
    convert_xml_import(env, 'l10n_fr_debt_recovery', source, idref={}, mode='init', noupdate=True)
    env.flush_all()
    cr.execute("""UPDATE mail_template
                     SET body_html = jsonb_build_object('en_US', body_html->'en_US'),
                         subject = jsonb_build_object('en_US', subject->'en_US')
                   WHERE id = %s""", [template.id])
    env.invalidate_all()


def migrate(cr, version):
    remove_mentions_from_terms(cr)
    update_default_mentions(cr)
    reword_suspension_notice(cr)
