"""The body text's lines on a page and how many columns they stand in, read from a written PDF."""
from periodical.check import pdfchars

BODY_FACE, BODY_SIZE = "Noto-Serif-SC", 9        # magazine.css: html { font: 9pt "Noto Serif SC" }


def body_lines(pages, page, bottom=float("-inf"), top=float("inf")):
    """The page's lines of body text (pdfchars pages; 1-based page), between two heights in pt."""
    return [line for line in pdfchars.lines(pages) if line.page == page and bottom < line.y < top
            and line.face == BODY_FACE and abs(line.em - BODY_SIZE) < 0.1]


def count(lines):
    """Columns: groups of left edges further apart than an indent (2 em) could set them."""
    edges = sorted({round(line.x0) for line in lines})
    return 1 + sum(1 for a, b in zip(edges, edges[1:]) if b - a > 4 * BODY_SIZE)
