"""Printer's marks for the print file: crop marks, registration targets and a slug line.

They stand in a margin outside the bleed, which the print output adds around every page
(the MediaBox grows, the TrimBox and BleedBox stay). Crop marks start 1 mm outside the bleed,
so that no mark prints on art that runs into the bleed. Marks are in the registration colour
(Separation /All, on every plate); the slug line is K 100 and drawn as glyph outlines, so it
needs no embedded font and adds no text that search or the text checks would find.

WeasyPrint's own `marks: crop cross` is not used: it draws inside the CSS bleed area (so the
crop marks would sit in the 3 mm bleed), in RGB black, and adds its marks layer to the page
each time the page is drawn.
"""
from functools import lru_cache

import uharfbuzz as hb
from fontTools.pens.basePen import BasePen
from pikepdf import Array, Dictionary, Name

from periodical.fonts import FONTS

MM = 72 / 25.4
MARGIN = 12 * MM              # marks area around the trim, on every side
CROP_GAP = 1 * MM             # between the bleed edge and the start of a crop mark
CROP_LENGTH = 5 * MM
TARGET_RADIUS = 2.2 * MM
TARGET_DISTANCE = 7 * MM      # centre of a registration target, from the trim
LINE = 0.25                   # pt
SLUG_SIZE = 6                 # pt
SLUG_FONT = FONTS / "NotoSansSC-Regular.otf"
REGISTRATION = "/PeriodicalRegistration"     # colour space name in the page resources
KAPPA = 0.5523                # Bézier control distance for a quarter circle


def add(pdf, slug_of):
    """Grow every page's MediaBox by the marks margin and draw its marks; slug_of(n) → text."""
    registration = pdf.make_indirect(Array([Name.Separation, Name.All, Name.DeviceCMYK, Dictionary(
        FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)]))
    for n, page in enumerate(pdf.pages, 1):
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        page.obj.MediaBox = Array([trim[0] - MARGIN, trim[1] - MARGIN, trim[2] + MARGIN, trim[3] + MARGIN])
        resources = page.obj.Resources
        if "/ColorSpace" not in resources:
            resources.ColorSpace = Dictionary()
        resources.ColorSpace[REGISTRATION] = registration
        # The page's own content may leave its graphics state changed: isolate it first.
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n" + draw(trim, bleed, slug_of(n))))


def draw(trim, bleed, slug):
    """PDF operators for one page's marks; trim and bleed are (x0, y0, x1, y1) boxes in pt."""
    x0, y0, x1, y1 = trim
    out = ["q", f"{REGISTRATION} CS 1 SCN {LINE} w 0 J"]
    far = {"left": x0 - bleed[0], "bottom": y0 - bleed[1], "right": bleed[2] - x1, "top": bleed[3] - y1}
    for x, side_x, sx in ((x0, "left", -1), (x1, "right", 1)):
        for y, side_y, sy in ((y0, "bottom", -1), (y1, "top", 1)):
            h = far[side_x] + CROP_GAP          # horizontal mark, outside the left or right bleed
            v = far[side_y] + CROP_GAP
            out.append(f"{x + sx * h:.3f} {y:.3f} m {x + sx * (h + CROP_LENGTH):.3f} {y:.3f} l S")
            out.append(f"{x:.3f} {y + sy * v:.3f} m {x:.3f} {y + sy * (v + CROP_LENGTH):.3f} l S")
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    for cx, cy in ((mid_x, y1 + TARGET_DISTANCE), (mid_x, y0 - TARGET_DISTANCE),
                   (x0 - TARGET_DISTANCE, mid_y), (x1 + TARGET_DISTANCE, mid_y)):
        out.append(_target(cx, cy))
    out.append("Q")
    out.append(_slug(slug, x0 + 3 * MM, y0 - TARGET_DISTANCE - 1 * MM, limit=mid_x - TARGET_RADIUS * 2))
    return "\n".join(out).encode("ascii")


def _target(cx, cy):
    r, k = TARGET_RADIUS, TARGET_RADIUS * KAPPA
    arc = (f"{cx + r:.3f} {cy:.3f} m "
           f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
           f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
           f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
           f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c h S")
    arm = r * 1.5
    return (f"{arc}\n{cx - arm:.3f} {cy:.3f} m {cx + arm:.3f} {cy:.3f} l "
            f"{cx:.3f} {cy - arm:.3f} m {cx:.3f} {cy + arm:.3f} l S")


def _slug(text, x, y, limit):
    """The text as filled outlines with its baseline at (x, y), shrunk to end before `limit`."""
    font, upem = _font()
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    advance = sum(p.x_advance for p in buf.glyph_positions)
    size = min(SLUG_SIZE, (limit - x) * upem / advance) if advance else SLUG_SIZE
    scale = size / upem
    out = ["q 0 0 0 1 k", f"{scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm"]
    pen_x = 0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        ops = _outline(info.codepoint, pen_x + pos.x_offset, pos.y_offset)
        if ops:
            out.append(ops + " f")
        pen_x += pos.x_advance
    out.append("Q")
    return "\n".join(out)


@lru_cache(maxsize=4096)
def _outline(glyph, dx, dy):
    """A glyph's outline as PDF path operators, in font units offset by (dx, dy): every page's
    slug line repeats the glyphs of the one before at the same places but for its page number."""
    pen = _PdfPen(dx, dy)
    _font()[0].draw_glyph_with_pen(glyph, pen)
    return " ".join(pen.ops)


@lru_cache(maxsize=1)
def _font():
    face = hb.Face(hb.Blob.from_file_path(str(SLUG_FONT)))
    return hb.Font(face), face.upem


class _PdfPen(BasePen):
    """Collects a glyph outline as PDF path operators, in font units offset by (dx, dy)."""

    def __init__(self, dx, dy):
        super().__init__(None)
        self.dx, self.dy, self.ops = dx, dy, []

    def _p(self, pt):
        return f"{pt[0] + self.dx:g} {pt[1] + self.dy:g}"

    def _moveTo(self, pt):
        self.ops.append(f"{self._p(pt)} m")

    def _lineTo(self, pt):
        self.ops.append(f"{self._p(pt)} l")

    def _curveToOne(self, p1, p2, p3):
        self.ops.append(f"{self._p(p1)} {self._p(p2)} {self._p(p3)} c")

    def _closePath(self):
        self.ops.append("h")
