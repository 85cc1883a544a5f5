"""Text of a PDF as a reader sees it, read from the bytes with pypdf (or pdfium, exactly)."""
import re

import pypdf

from periodical.check import pdfchars

MM = 72 / 25.4


def page_text(page, margins=True):
    """The text of one page; margins=False drops the running head and folio zones."""
    height = float(page.trimbox.top)
    bottom = float(page.trimbox.bottom)
    runs = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if margins or bottom + 15 * MM < y < height - 21 * MM:   # body text starts 22 mm down
            runs.append(text)
    page.extract_text(visitor_text=visit)
    return "".join(runs)


def body_text(path, exact=False):
    """All pages' text without running heads, folios and FPO labels (covers keep everything).

    exact=True reads the characters the PDF holds (pdfium, leaving out what it infers): pypdf
    reads a wide enough gap between two runs of text as a space, and the layout makes such gaps
    on purpose (the quarter em between Han and Latin, a stretched line). An FPO box's label is
    positioned, so it is drawn after the page's text: left in, it would split a paragraph that
    runs on to the next page.
    """
    reader = pypdf.PdfReader(str(path))
    last = len(reader.pages) - 1
    if exact:
        pages = pdfchars.read_pages(path)
        text = "".join(_zone_text(p, chars, margins=i in (0, last)) for i, (p, chars) in enumerate(zip(reader.pages, pages)))
    else:
        text = "".join(page_text(p, margins=i in (0, last)) for i, p in enumerate(reader.pages))
    return re.sub(r"FPO 图片待补\s*images/\S+?\.(?:jpe?g|png|tiff?)", "", text)


def _zone_text(page, chars, margins):
    top, bottom = float(page.trimbox.top), float(page.trimbox.bottom)
    return "".join(c.ch for c in chars if margins or bottom + 15 * MM < c.y < top - 21 * MM)


def pages_text(path):
    """Each page's text as pdfium reads it, without spaces and line breaks (index 0 = p.1)."""
    return headlines(path, size=0)


def headlines(path, size=16):
    """Each page's text set at `size` (PDF units) or larger, as pdfium reads it, without spaces
    and line breaks (index 0 = p.1): the headlines, not the body text that may quote them."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    doc = pypdfium2.PdfDocument(str(path))
    try:
        pages = []
        for n in range(len(doc)):
            textpage = doc[n].get_textpage()
            pages.append("".join(textpage.get_text_range(i, 1) for i in range(textpage.count_chars())
                                 if pdfium_c.FPDFText_GetFontSize(textpage.raw, i) >= size))
        return [re.sub(r"\s", "", text) for text in pages]
    finally:
        doc.close()


def first_page_with(pages, text, start=1):
    """The 1-based number of the first page from `start` on whose text holds `text` (spaces ignored)."""
    text = re.sub(r"\s", "", text)
    return next((n for n in range(start, len(pages) + 1) if text in pages[n - 1]), None)


def contents_entries(path, page=3):
    """(number printed, entry text, (left, top), link target) of each contents entry, read from the page.

    The link rectangles only cut the page into entries; number and title are the characters
    printed inside each one (the largest rectangle of a link target holds number and title).
    """
    import pikepdf
    import pypdfium2
    boxes = {}
    with pikepdf.open(path) as pdf:
        for annot in pdf.pages[page - 1].obj.get("/Annots", []):
            rect = [float(v) for v in annot.Rect]
            key = str(annot.get("/Dest", len(boxes)))
            area = abs((rect[2] - rect[0]) * (rect[3] - rect[1]))
            if key not in boxes or area > boxes[key][0]:
                boxes[key] = (area, rect)
    doc = pypdfium2.PdfDocument(str(path))
    try:
        textpage = doc[page - 1].get_textpage()
        entries = []
        for key, (_, rect) in boxes.items():
            left, right = sorted(rect[0::2])
            bottom, top = sorted(rect[1::2])
            text = textpage.get_text_bounded(left, bottom, right, top)
            number = re.search(r"(?m)^(\d\d)(?=\s|$)", text)        # a line that starts with the folio
            if number:
                text = text[:number.start()] + text[number.end():]
            entries.append((int(number.group(1)) if number else None, re.sub(r"\s", "", text), (left, top), key))
        return entries
    finally:
        doc.close()
