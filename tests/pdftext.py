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
