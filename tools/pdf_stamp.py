"""What is drawn on the pages of a PDF after the report engine made it, without the ORM:
the letterhead and the legal footer, the "Pièce n° N" stamp of a court exhibit, the
page number of the whole file, and the *PROJET* mark of a draft.

Debian's wkhtmltopdf (unpatched Qt) drops the header and the footer a report asks for
and leaves their space blank: the letterhead is drawn into that space here, page by
page, in a font embedded in the file (DejaVu Sans when the system has it).

``stamp_pdf(content, pages)`` takes the PDF bytes and, for each page, a ``PageMarks``
(or one for all pages), and returns the new PDF bytes.
"""
import dataclasses
import io
import os

__all__ = ['Letterhead', 'PageMarks', 'first_pages', 'image_to_pdf', 'page_count', 'stamp_pdf']

FONT_FILES = {
    'regular': ('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',),
    'bold': ('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',),
}
MM = 72 / 25.4


@dataclasses.dataclass(frozen=True)
class Letterhead:
    """The issuer as every page shows it: the logo and name at the top, the legal
    identity (form, capital, SIREN, RCS, address, VAT) in the footer."""
    name: str
    header_lines: tuple = ()
    footer_lines: tuple = ()
    logo: bytes = b''


@dataclasses.dataclass(frozen=True)
class PageMarks:
    """What is drawn on one page.

    :param letterhead: the issuer's header and footer, or None
    :param exhibit: the text of the exhibit stamp (``Pièce n° 3``), or ''
    :param page_label: the page number in the document (``Page 2 / 3``), bottom right, or ''
    :param file_label: the page number in a file of several documents (a court file),
        bottom centre, where it never covers the page number a document has of its own
    :param draft: the *PROJET* mark across the page
    :param top_mm: the height kept free at the top of the page for the letterhead
    :param bottom_mm: the height kept free at the bottom for the footer
    """
    letterhead: Letterhead | None = None
    exhibit: str = ''
    page_label: str = ''
    file_label: str = ''
    draft: bool = False
    top_mm: float = 40.0
    bottom_mm: float = 25.0


def _fonts():
    """``(regular, bold)`` font names registered in reportlab: DejaVu Sans, embedded in the
    PDF, when the system has it (``fonts-dejavu-core``), else the standard Helvetica."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415
    names = []
    for style, default in (('regular', 'Helvetica'), ('bold', 'Helvetica-Bold')):
        name = 'RecoveryDejaVu-%s' % style
        if name in pdfmetrics.getRegisteredFontNames():
            names.append(name)
            continue
        path = next((p for p in FONT_FILES[style] if os.path.exists(p)), None)
        if path:
            pdfmetrics.registerFont(TTFont(name, path))
            names.append(name)
        else:
            names.append(default)
    return tuple(names)


def page_count(content):
    """The number of pages of a PDF given as bytes."""
    from odoo.tools.pdf import PdfFileReader  # noqa: PLC0415
    return PdfFileReader(io.BytesIO(content), strict=False).getNumPages()


def first_pages(content, count):
    """The first ``count`` pages of a PDF given as bytes."""
    from odoo.tools.pdf import PdfFileReader, PdfFileWriter  # noqa: PLC0415
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    if count >= reader.getNumPages():
        return content
    writer = PdfFileWriter()
    for index in range(count):
        writer.addPage(reader.getPage(index))
    output = io.BytesIO()
    writer.write(output)
    return _rewrite(output.getvalue())


def _rewrite(content):
    """The PDF written once more from its pages: the merged pages keep references that
    poppler (pdftotext, the greffes' viewers) can only read after rebuilding the cross-
    reference table; written again, the file is clean."""
    from odoo.tools.pdf import PdfFileReader, PdfFileWriter  # noqa: PLC0415
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    writer = PdfFileWriter()
    for index in range(reader.getNumPages()):
        writer.addPage(reader.getPage(index))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def image_to_pdf(raw):
    """A scan or a photo (PNG, JPEG...) as one A4 page, the image fitted inside the
    margins: an exhibit of a court file is an A4 page like the others."""
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.lib.utils import ImageReader  # noqa: PLC0415
    from reportlab.pdfgen import canvas as rl_canvas  # noqa: PLC0415
    image = ImageReader(io.BytesIO(raw))
    iw, ih = image.getSize()
    width, height = A4
    box_w, box_h = width - 30 * MM, height - 60 * MM
    scale = min(box_w / iw, box_h / ih)
    packet = io.BytesIO()
    canvas = rl_canvas.Canvas(packet, pagesize=A4, initialFontName=_fonts()[0])
    canvas.drawImage(image, (width - iw * scale) / 2, 30 * MM + (box_h - ih * scale) / 2, iw * scale, ih * scale,
                     mask='auto')
    canvas.showPage()
    canvas.save()
    return packet.getvalue()


def _fit(canvas, text, font, size, width):
    """The text cut with an ellipsis so that it fits ``width`` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + '…', font, size) > width:
        text = text[:-1]
    return text + '…'


def _draw(canvas, width, height, marks, fonts):
    from reportlab.lib import colors  # noqa: PLC0415
    from reportlab.lib.utils import ImageReader  # noqa: PLC0415
    regular, bold = fonts
    margin = 15 * MM
    head = marks.letterhead
    if head:
        top = height - 10 * MM
        text_x = margin
        if head.logo:
            try:
                image = ImageReader(io.BytesIO(head.logo))
                iw, ih = image.getSize()
                box_h = min(18 * MM, max(marks.top_mm - 18, 8) * MM)
                box_w = min(45 * MM, box_h * iw / ih if ih else box_h)
                canvas.drawImage(image, margin, top - box_h, box_w, box_h,
                                 preserveAspectRatio=True, anchor='nw', mask='auto')
                text_x = margin + box_w + 5 * MM
            except Exception:  # noqa: BLE001 — a logo PIL cannot read is left out, not the page
                text_x = margin
        canvas.setFillColor(colors.black)
        canvas.setFont(bold, 11)
        y = top - 4 * MM
        canvas.drawString(text_x, y, _fit(canvas, head.name, bold, 11, width - text_x - margin))
        canvas.setFont(regular, 7.5)
        for line in head.header_lines:
            y -= 3.6 * MM
            canvas.drawString(text_x, y, _fit(canvas, line, regular, 7.5, width - text_x - margin))
        canvas.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
        canvas.setLineWidth(0.4)
        rule = height - (marks.top_mm - 4) * MM
        canvas.line(margin, rule, width - margin, rule)
        canvas.line(margin, marks.bottom_mm * MM - 3 * MM, width - margin, marks.bottom_mm * MM - 3 * MM)
        canvas.setFont(regular, 6.5)
        y = marks.bottom_mm * MM - 7 * MM
        for line in head.footer_lines:
            canvas.drawCentredString(width / 2, y, _fit(canvas, line, regular, 6.5, width - 2 * margin))
            y -= 3.2 * MM
    if marks.page_label:
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(width - margin, 6 * MM, marks.page_label)
    if marks.file_label:
        canvas.setFont(bold, 8)
        canvas.setFillColor(colors.black)
        canvas.drawCentredString(width / 2, 6 * MM, marks.file_label)
    if marks.exhibit:
        canvas.setFont(bold, 10)
        label_w = canvas.stringWidth(marks.exhibit, bold, 10) + 6 * MM
        x, y = width - margin - label_w, height - 9 * MM
        canvas.setFillColor(colors.white)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.8)
        canvas.rect(x, y - 2.2 * MM, label_w, 7 * MM, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.drawString(x + 3 * MM, y, marks.exhibit)
    if marks.draft:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.25))
        canvas.setFont(bold, 110)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -35, "PROJET")
        canvas.restoreState()


def stamp_pdf(content, marks):
    """Draw ``marks`` (one ``PageMarks`` for every page, or a list with one per page)
    on the PDF ``content`` and return the new PDF bytes."""
    from odoo.tools.pdf import PdfFileReader, PdfFileWriter  # noqa: PLC0415
    from reportlab.pdfgen import canvas as rl_canvas  # noqa: PLC0415
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    count = reader.getNumPages()
    per_page = list(marks) if isinstance(marks, (list, tuple)) else [marks] * count
    if len(per_page) != count:
        raise ValueError("%d page marks for a PDF of %d pages" % (len(per_page), count))
    fonts = _fonts()
    packet = io.BytesIO()
    # the first font of every page is the embedded one (reportlab's default, Helvetica, is not embedded)
    canvas = rl_canvas.Canvas(packet, initialFontName=fonts[0])
    for index in range(count):
        page = reader.getPage(index)
        width, height = float(page.mediaBox.getWidth()), float(page.mediaBox.getHeight())
        canvas.setPageSize((width, height))
        _draw(canvas, width, height, per_page[index], fonts)
        canvas.showPage()
    canvas.save()
    overlay = PdfFileReader(io.BytesIO(packet.getvalue()), strict=False)
    writer = PdfFileWriter()
    for index in range(count):
        page = reader.getPage(index)
        page.mergePage(overlay.getPage(index))
        if hasattr(page, 'compressContentStreams'):
            page.compressContentStreams()
        writer.addPage(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
