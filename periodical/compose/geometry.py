"""The page geometry of a trim size, as the CSS custom properties the layouts read.

The house style is drawn for one format, REFERENCE (大16开, 210 × 285 mm): its margins, the
bands and lines of the covers, the photo heights of copy fitting. For another trim the compose
stage scales them: horizontal measures by the ratio of the widths, vertical ones by the ratio of
the heights. Margins are rounded to 0.5 mm, so the reference format keeps its own numbers exactly
(and issue 148 its bytes); the CSS scales the rest with calc() and --scale-x / --scale-y.

Body columns hold a whole number of characters, so full lines of Chinese need no stretching
(README, "Chinese typesetting"). A layout's column count follows the width of the type area
(its reference count × type width / reference type width, rounded): the report's two columns of
26 characters become one on a page narrower than 158 mm and three from 262 mm; the news' three
columns of 17 become two below 175 mm (one below 105 mm) and four from 245 mm.
"""
import math
from dataclasses import dataclass

from periodical.model.trim import DEFAULT as REFERENCE

MM_PER_PT = 25.4 / 72
BODY_EM = 9 * MM_PER_PT      # mm: the body type size (magazine.css: html { font-size: 9pt })
MIN_GAP = 5                  # mm: the narrowest gap between two columns
# Margins on the reference page, in mm: top, outer (away from the spine), bottom, inner.
MARGINS = {
    "page": (22, 17, 20, 20),        # articles
    "contents": (18, 17, 18, 20),
    "inside": (25, 22, 22, 22),      # the inside cover (speech layout)
}
# Columns of the body text on the reference page, by the CSS property prefix that carries them.
COLUMNS = {"body": 2, "news": 3}


@dataclass(frozen=True)
class Columns:
    count: int
    chars: int               # characters a column holds

    @property
    def gap(self):
        """column-gap: the type area's width less the columns' whole characters, shared out."""
        if self.count == 1:
            return "0"
        rest = f"100% - {self.count * self.chars}em"
        return f"calc({rest})" if self.count == 2 else f"calc(({rest}) / {self.count - 1})"


@dataclass(frozen=True)
class Geometry:
    trim: object             # model.trim.Trim
    margins: dict            # page kind → (top, outer, bottom, inner) mm
    columns: dict            # "body" / "news" → Columns

    @property
    def css(self):
        """name → value of every custom property the layouts read (without the leading --)."""
        sx, sy = scale(self.trim)
        out = {"trim-width": _mm(self.trim.width), "trim-height": _mm(self.trim.height),
               "scale-x": f"{sx:.4g}", "scale-y": f"{sy:.4g}", "scale-type": f"{min(sx, sy):.4g}"}
        for kind, sides in self.margins.items():
            for side, value in zip(("top", "outer", "bottom", "inner"), sides):
                out[f"{kind}-{side}"] = _mm(value)
        for name, c in self.columns.items():
            out[f"{name}-columns"] = str(c.count)
            out[f"{name}-gap"] = c.gap
        return out

    @property
    def root_rule(self):
        """The CSS rule that declares the properties, for the head of every document of the issue."""
        return ":root { " + " ".join(f"--{name}: {value};" for name, value in self.css.items()) + " }"


def scale(trim):
    """The ratios of the trim's width and height to the reference format's."""
    return trim.width / REFERENCE.width, trim.height / REFERENCE.height


def of(trim):
    """The geometry of a page of size `trim` (model.trim.Trim)."""
    sx, sy = scale(trim)
    margins = {kind: (_half(t * sy), _half(o * sx), _half(b * sy), _half(i * sx))
               for kind, (t, o, b, i) in MARGINS.items()}
    top, outer, bottom, inner = margins["page"]
    return Geometry(trim, margins, {name: columns(trim.width - outer - inner, count)
                                    for name, count in COLUMNS.items()})


def columns(width, reference_count):
    """How many columns, of how many characters, a type area `width` mm wide holds."""
    ref_width = REFERENCE.width - sum(MARGINS["page"][1::2])
    count = max(1, round(reference_count * width / ref_width))
    return Columns(count, math.floor((width - (count - 1) * MIN_GAP) / count / BODY_EM))


def _half(mm):
    return round(mm * 2) / 2


def _mm(value):
    return f"{value:g}mm"
