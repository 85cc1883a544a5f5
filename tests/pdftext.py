"""Text of a PDF as a reader sees it, read from the bytes with pypdf."""
import re

import pypdf

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


def body_text(path):
    """All pages' text without running heads, folios and FPO labels (covers keep everything).

    An FPO box's label is positioned, so it is drawn after the page's text: left in, it would
    split a paragraph that runs on to the next page.
    """
    reader = pypdf.PdfReader(str(path))
    last = len(reader.pages) - 1
    text = "".join(page_text(p, margins=i in (0, last)) for i, p in enumerate(reader.pages))
    return re.sub(r"FPO 图片待补\s*images/\S+?\.(?:jpe?g|png|tiff?)", "", text)
