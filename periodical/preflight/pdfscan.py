"""Read what a PDF page draws, the way a RIP meets it: where, in which colour, with which glyphs.

`scan(pdf)` walks every page's content stream, and the Form XObjects and tiling patterns it
uses, keeping the graphics state (transformation matrix, fill and stroke colour, font) through
q/Q. It collects the placed images with their size on the page, the text shown (font, codes,
fill colour) and every colour space used. Preflight's rules are written on these facts.
"""
import math
from collections import Counter
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

DEVICE = {"g": "DeviceGray", "G": "DeviceGray", "rg": "DeviceRGB", "RG": "DeviceRGB",
          "k": "DeviceCMYK", "K": "DeviceCMYK"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
# Operators that change nothing this scan follows: path building and painting, text positioning,
# marked content. Most of a page's operators are these.
PASSIVE = set("m l c v y h re f F f* S s B B* b b* n W W* w J j M d ri i gs BT ET Td TD Tm T* Tc Tw Tz "
              "TL Tr Ts BDC BMC EMC MP DP d0 d1".split())


@dataclass
class Image:
    page: int
    name: str
    pixels: tuple            # (width, height)
    placed: tuple            # (width, height) on the page, pt
    space: str

    @property
    def ppi(self):
        """Effective resolution at the placed size: the lower of the two directions."""
        w, h = self.placed
        if not w or not h:
            return math.inf
        return min(self.pixels[0] / (w / 72), self.pixels[1] / (h / 72))


@dataclass
class Text:
    page: int
    font: object             # the font dictionary
    codes: bytes
    fill: tuple              # (space, components)


@dataclass
class Page:
    number: int
    images: list = field(default_factory=list)
    text: list = field(default_factory=list)
    spaces: Counter = field(default_factory=Counter)     # colour space → times set or used


@dataclass
class _State:
    ctm: tuple = (1, 0, 0, 1, 0, 0)
    fill: tuple = ("DeviceGray", (0,))
    stroke: tuple = ("DeviceGray", (0,))
    font: object = None

    def copy(self):
        return _State(self.ctm, self.fill, self.stroke, self.font)


def scan(pdf):
    """One Page of facts per page of the pikepdf.Pdf."""
    pages = []
    for number, page in enumerate(pdf.pages, 1):
        facts = Page(number)
        group = page.obj.get("/Group")
        if group is not None and "/CS" in group:
            facts.spaces[space_name(group.CS, page.obj.get("/Resources"))] += 1
        _walk(page, page.obj.get("/Resources") or pikepdf.Dictionary(), _State(), facts, set())
        pages.append(facts)
    return pages


def space_name(space, resources=None):
    """A readable family name for a colour space: DeviceRGB, ICCBased(4), Separation(All) …"""
    if isinstance(space, Name):
        key = str(space)[1:]
        if key in ("DeviceGray", "DeviceRGB", "DeviceCMYK", "Pattern"):
            return key
        named = (resources or {}).get("/ColorSpace", {}).get(str(space)) if resources is not None else None
        return space_name(named) if named is not None else key
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])[1:]
        if family == "ICCBased":
            return f"ICCBased({int(space[1].get('/N', 0))})"
        if family in ("Separation",):
            return f"Separation({str(space[1])[1:]})"
        if family == "Indexed":
            return f"Indexed({space_name(space[1], resources)})"
        if family == "Pattern" and len(space) > 1:
            return f"Pattern({space_name(space[1], resources)})"
        return family
    return str(space)


def _walk(stream_owner, resources, state, facts, seen):
    stack = []
    for instruction in pikepdf.parse_content_stream(stream_owner):
        op = str(instruction.operator)
        if op in PASSIVE:
            continue
        operands = instruction.operands        # read only when needed: it is the slow part
        if op == "q":
            stack.append(state.copy())
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "cm":
            state.ctm = _mul(tuple(float(v) for v in operands), state.ctm)
        elif op in ("cs", "CS"):
            name = space_name(operands[0], resources)
            facts.spaces[name] += 1
            setattr(state, "fill" if op == "cs" else "stroke", (name, ()))
        elif op in ("sc", "scn", "SC", "SCN"):
            attr = "fill" if op in ("sc", "scn") else "stroke"
            space = getattr(state, attr)[0]
            if operands and isinstance(operands[-1], Name):
                _pattern(operands[-1], resources, state, facts, seen)
            setattr(state, attr, (space, tuple(float(v) for v in operands if not isinstance(v, Name))))
        elif op in DEVICE:
            facts.spaces[DEVICE[op]] += 1
            setattr(state, "fill" if op.islower() else "stroke", (DEVICE[op], tuple(float(v) for v in operands)))
        elif op == "Tf":
            state.font = (resources.get("/Font") or {}).get(str(operands[0]))
        elif op in TEXT_SHOW:
            facts.text.append(Text(facts.number, state.font, _codes(op, operands), state.fill))
        elif op == "Do":
            _xobject(operands[0], resources, state, facts, seen)
        elif op == "sh":
            shading = (resources.get("/Shading") or {}).get(str(operands[0]))
            if shading is not None:
                facts.spaces[space_name(shading.get("/ColorSpace"), resources)] += 1
        elif op == "INLINE IMAGE":
            _inline_image(operands[0], resources, state, facts)


def _codes(op, operands):
    if op == "TJ":
        return b"".join(bytes(v) for v in operands[0] if isinstance(v, pikepdf.String))
    return bytes(operands[-1])


def _xobject(name, resources, state, facts, seen):
    xobj = (resources.get("/XObject") or {}).get(str(name))
    if xobj is None:
        return
    if xobj.get("/Subtype") == Name.Image:
        if xobj.get("/ImageMask"):
            return                               # a stencil: painted in the fill colour, no pixels of its own
        a, b, c, d, _, _ = state.ctm
        space = space_name(xobj.get("/ColorSpace"), resources)
        facts.spaces[space] += 1
        facts.images.append(Image(facts.number, str(name)[1:], (int(xobj.Width), int(xobj.Height)),
                                  (math.hypot(a, b), math.hypot(c, d)), space))
    elif xobj.get("/Subtype") == Name.Form:
        key = (xobj.objgen, state.ctm)
        if key in seen:
            return
        seen.add(key)
        inner = state.copy()
        if "/Matrix" in xobj:
            inner.ctm = _mul(tuple(float(v) for v in xobj.Matrix), inner.ctm)
        group = xobj.get("/Group")
        if group is not None and "/CS" in group:
            facts.spaces[space_name(group.CS, resources)] += 1
        _walk(xobj, xobj.get("/Resources") or resources, inner, facts, seen)


def _pattern(name, resources, state, facts, seen):
    pattern = (resources.get("/Pattern") or {}).get(str(name))
    if pattern is None or (pattern.objgen, "pattern") in seen:
        return
    if pattern.get("/PatternType") == 2:
        facts.spaces[space_name(pattern.Shading.get("/ColorSpace"), resources)] += 1
        return
    seen.add((pattern.objgen, "pattern"))
    inner = _State(ctm=tuple(float(v) for v in pattern.get("/Matrix", [1, 0, 0, 1, 0, 0])))
    _walk(pattern, pattern.get("/Resources") or resources, inner, facts, seen)


def _inline_image(image, resources, state, facts):
    a, b, c, d, _, _ = state.ctm
    obj = image.obj
    space = obj.get("/ColorSpace", obj.get("/CS"))
    name = space_name(space, resources) if space is not None else "DeviceGray"
    facts.spaces[name] += 1
    size = (int(obj.get("/Width", obj.get("/W", 0))), int(obj.get("/Height", obj.get("/H", 0))))
    facts.images.append(Image(facts.number, "inline", size, (math.hypot(a, b), math.hypot(c, d)), name))


def _mul(m, n):
    """m × n for PDF matrices [a b c d e f]: apply m, then n."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)
