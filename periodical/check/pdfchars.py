"""The characters and lines of a written PDF, as pdfium reads them (for the typesetting check).

Each character comes with what the PDF really says: its origin, the size of its em, its face and
fill colour. Characters that pdfium makes up (spaces it infers from gaps, line ends) are dropped
here, so the text of a line is exactly the text the PDF holds. Lines are built in content-stream
order, which is the order WeasyPrint lays boxes out: column after column, so a line's successor
in that order is the next line a reader reads.
"""
import ctypes
from dataclasses import dataclass, field
from functools import cached_property

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from periodical.text import cjk


@dataclass
class Char:
    ch: str
    x: float            # origin, PDF points
    y: float            # baseline
    em: float           # font size in points
    face: str           # font name without the subset tag, e.g. Noto-Serif-SC-Bold
    color: tuple        # fill colour (r, g, b), 0–255
    loose_right: float  # pdfium's loose box right edge (advance, or ink where it sticks out)

    @property
    def right(self):
        """Where the character's advance ends: its em box for full-width characters."""
        return self.x + self.em if cjk.is_cjk(self.ch) else self.loose_right


@dataclass(eq=False)
class Line:
    page: int                       # 1-based
    chars: list = field(default_factory=list)

    @property
    def text(self):
        return "".join(c.ch for c in self.chars)

    @property
    def x0(self):
        return self.chars[0].x

    @property
    def right(self):
        return self.chars[-1].right

    @property
    def y(self):
        return self.chars[0].y

    @cached_property
    def em(self):
        return _most(c.em for c in self._text)

    @cached_property
    def face(self):
        return _most(c.face for c in self._text)

    @cached_property
    def _text(self):
        # Inline code is set in the monospace face, a little smaller, inside a line of text: the
        # line's face and size are its text's, however much code it holds.
        return [c for c in self.chars if "-Mono-" not in c.face] or self.chars

    @cached_property
    def color(self):
        return _most(c.color for c in self.chars)


def _most(values):
    values = list(values)
    return max(set(values), key=values.count)


UnreadablePDF = pdfium.PdfiumError


def read_pages(path):
    """Every page's characters in content order: a list (one per page) of lists of Char."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [_page_chars(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def _page_chars(page):
    text = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    rgba = [ctypes.c_uint() for _ in range(4)]
    chars, styles = [], {}
    for i in range(text.count_chars()):
        if raw.FPDFText_IsGenerated(text, i):
            continue
        ch = chr(raw.FPDFText_GetUnicode(text, i))
        if ch in "\r\n\ufffe\uffff\x00":
            continue
        raw.FPDFText_GetCharOrigin(text, i, x, y)
        raw.FPDFText_GetLooseCharBox(text, i, box)
        # Face, size and colour belong to the text object: read them once per object.
        key = ctypes.cast(raw.FPDFText_GetTextObject(text, i), ctypes.c_void_p).value
        if key not in styles:
            raw.FPDFText_GetMatrix(text, i, matrix)
            raw.FPDFText_GetFontInfo(text, i, name, len(name), flags)
            raw.FPDFText_GetFillColor(text, i, *rgba)
            styles[key] = (raw.FPDFText_GetFontSize(text, i) * (matrix.a ** 2 + matrix.b ** 2) ** 0.5,
                           name.value.decode(errors="replace").split("+")[-1], tuple(c.value for c in rgba[:3]))
        em, face, color = styles[key]
        prev = chars[-1] if chars else None
        if prev and abs(x.value - prev.x) < 0.01 and abs(y.value - prev.y) < 0.01 and cjk.is_cjk(ch):
            x.value += em          # the second half of one glyph for two marks (—— is one 2-em dash)
        chars.append(Char(ch, x.value, y.value, em, face, color, box.right))
    text.close()
    page.close()
    return chars


def lines(pages):
    """Split each page's characters into lines: same baseline, moving right, no gap wider than 1.5 em."""
    out = []
    for number, chars in enumerate(pages, 1):
        current = None
        for c in chars:
            prev = current.chars[-1] if current else None
            if (prev and abs(c.y - prev.y) < 0.3 * c.em and c.x >= prev.x - 0.5 * c.em
                    and c.x - prev.right < 1.5 * c.em):
                current.chars.append(c)
                continue
            if c.ch.isspace():
                continue
            current = Line(number, [c])
            out.append(current)
    for line in out:
        while line.chars and line.chars[-1].ch.isspace():
            line.chars.pop()
    return out
