"""Chinese justification and line-break opportunities for WeasyPrint 70, patched in at import.

WeasyPrint 70 justifies a line by stretching its U+0020/U+00A0 spaces only
(`layout/inline.py: justify_line → count_expandable_spaces → add_word_spacing`), so lines of
Chinese, which have no spaces, stay ragged. Book practice (W3C clreq §3.8) spreads the slack
between the characters. This module replaces five internals, and nothing else:

- `layout.inline.justify_line`: counts every inter-character opportunity of the line — each
  Han character and full-width mark (except the halves of —— and ……, which must stay joined)
  and each space — and gives each the same share of the slack; a Han–Latin gap takes
  GAP_SHARES shares, since clreq widens those first and a reader sees a gap there already.
- `layout.inline.text_align`: before aligning a line, drops the Han–Latin gap (the margins of
  the text stage's `span.latin`, see cjk_spans.py) where it touches the start or the end of the
  line.
- `layout.inline.can_break_text` (WeasyPrint's test for a break between two inline boxes):
  Pango's answer, plus a break before “ ‘ and after ” ’ next to Chinese text, which clreq
  allows and Pango (UAX #14 class QU) does not; the text stage puts quotations in spans so
  these breaks are asked for (cjk_spans.py).
- `layout.inline.split_inline_box`: a span whose gap stands before it (a Latin run, inline code)
  is broken inside to fit the width left after its gap, as any box is, instead of overrunning by
  the gap and moving whole to the next line.
- `text.line_break.Layout.set_text`: when a justified box is drawn, adds Pango letter-spacing
  to its Han characters and marks, as WeasyPrint's own code adds it to spaces.

Why this is safe:
- No character is added to the text. The slack is Pango letter-spacing, the very mechanism
  WeasyPrint uses for its own word-spacing justification (spaces get letter-spacing in
  `Layout.set_text`); it reaches the PDF as glyph position adjustments (TJ), so the extracted
  text is the source text.
- Justification runs after a line is broken, as in WeasyPrint, and only moves boxes to the
  right within the line and widens them by the amount it adds. Line breaking inside a box is
  Pango's; between two boxes the patch only adds the breaks clreq allows around quotations,
  and answers for two Chinese characters by the same rules without asking Pango.
- Pango gives each letter-spaced character half its spacing on each side and trims the outer
  half at the ends of a layout; every text box is its own layout, so a box that does not touch
  the line's edge is moved by the trimmed half. The sum is exactly the slack: full lines end on
  the column's edge (tests/test_cjk_justify.py measures this on the PDF).
- The replaced functions are internal API: this module refuses to load with any WeasyPrint but
  the pinned version, so an upgrade fails loudly instead of laying out differently.
"""
import weasyprint

from periodical.text import cjk

PINNED = "70.0"
if weasyprint.__version__ != PINNED:
    raise RuntimeError(
        f"periodical.render.cjk_justify patches WeasyPrint {PINNED} internals, but WeasyPrint "
        f"{weasyprint.__version__} is installed: install weasyprint=={PINNED} (requirements.txt), "
        "or port and re-test the patch for the new version")

from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import inline  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import TO_UNITS, ffi, pango  # noqa: E402

GAP_CLASS = "latin"          # the text stage's span around Latin runs; its margins are the Han–Latin gap
GAP_SHARES = 2
SPACES = " \u00a0"


def stretches(ch):
    """Whether the slack of a justified line is shared after this character (spaces excluded)."""
    return cjk.is_cjk(ch) and ch not in cjk.INSEPARABLE and ch != "\u3000"


def anywhere(style):
    """Whether the box's text may break between any two characters (inline code, span.long):
    then every character takes the slack a Han character does, not its spaces alone."""
    return style["word_break"] == "break-all"


def _stretches(style):
    """The test of `stretches` for the characters of a box with this style."""
    return (lambda ch: ch not in SPACES and ch not in cjk.INSEPARABLE) if anywhere(style) else stretches


def _opportunities(text, style):
    stretch = _stretches(style)
    return sum(1 for ch in text if ch in SPACES or stretch(ch))


# ---------- justification ----------

def justify_line(context, line, extra_width):
    leaves = list(_leaves(line))
    texts = [b for b in leaves if isinstance(b, boxes.TextBox) and b.text]
    if not texts:
        return
    count = sum(_opportunities(b.text, b.style) for b in texts)
    count += GAP_SHARES * sum(bool(b.margin_left) + bool(b.margin_right) for b in _gaps(line))
    # The first character of the line gets nothing before it, the last nothing after it.
    if leaves[0] is texts[0] and _stretches(texts[0].style)(texts[0].text[0]):
        count -= 0.5
    if leaves[-1] is texts[-1] and _stretches(texts[-1].style)(texts[-1].text[-1]):
        count -= 0.5
    if count > 0:
        _spread(context, line, extra_width / count, 0, leaves[0], leaves[-1])


def _gaps(box):
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        if _is_gap(box):
            yield box
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _gaps(child)


def _leaves(box):
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _leaves(child)
    else:
        yield box


def _spread(context, box, spacing, x_advance, first, last):
    """Move and widen the boxes of a line; return the x advance for what follows `box`."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        count = _opportunities(box.text, box.style) if box.text else 0
        if not count:
            return x_advance
        # Pango trims the outer half of the spacing at the ends of the box's own layout.
        stretch = _stretches(box.style)
        head = spacing / 2 if stretch(box.text[0]) else 0
        tail = spacing / 2 if stretch(box.text[-1]) else 0
        lead = 0 if box is first else head
        box.position_x += lead
        box.justification_spacing = spacing
        layout = box.pango_layout
        if layout is None or layout.text != box.text:      # a trailing space was cut from the box
            layout = line_break.create_layout(box.text, box.style, context, max_width=None,
                                              justification_spacing=spacing)
            layout.deactivate()
            box.pango_layout = layout
        # The line's layout is set up again when drawn (Layout.reactivate), with the spacing.
        layout.justification_spacing = layout.cjk_spacing = spacing
        added = spacing * count - head - tail
        box.width += added
        return x_advance + lead + added + (0 if box is last else tail)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        widen = GAP_SHARES * spacing if _is_gap(box) else 0
        if widen and box.margin_left:
            box.margin_left += widen
            x_advance += widen
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, spacing, x_advance, first, last)
        box.width += x_advance - before
        if widen and box.margin_right:
            box.margin_right += widen
            x_advance += widen
        return x_advance
    box.translate(x_advance, 0)          # atomic inline: an image, an inline block
    return x_advance


# ---------- Han–Latin gaps at the line's edges ----------

_text_align = inline.text_align


def text_align(context, line, available_width, last):
    _drop_edge_gaps(line)
    return _text_align(context, line, available_width, last)


def _is_gap(box):
    element = getattr(box, "element", None)
    return (isinstance(box, boxes.InlineBox) and element is not None
            and GAP_CLASS in (element.get("class") or "").split())


def _edge_path(line, end):
    """The boxes from the line down to its first (end=False) or last (end=True) leaf."""
    path, box = [line], line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        flow = [c for c in box.children if c.is_in_normal_flow()]
        if not flow:
            break
        box = flow[-1] if end else flow[0]
        path.append(box)
    return path


def _drop_edge_gaps(line):
    path = _edge_path(line, end=False)
    for depth, box in enumerate(path):
        if _is_gap(box) and box.margin_left:
            gap, box.margin_left = box.margin_left, 0
            for child in box.children:
                child.translate(-gap)
            for parent, child in zip(path[:depth], path[1:depth + 1]):
                later = parent.children[parent.children.index(child) + 1:]
                for sibling in later:
                    sibling.translate(-gap)
                parent.width -= gap
    path = _edge_path(line, end=True)
    for depth, box in enumerate(path):
        if _is_gap(box) and box.margin_right:
            gap, box.margin_right = box.margin_right, 0
            for parent in path[:depth]:
                parent.width -= gap


# ---------- breaking inside a span that has its gap before it ----------

_split_inline_box = inline.split_inline_box


def split_inline_box(context, box, position_x, max_x, *args, **kwargs):
    # WeasyPrint 70 fits a box's children in the width left from the box's start, then moves them
    # right by its left margin: the first piece of a span.latin (or inline code) with the gap
    # before it overran by the gap, and the whole span went to the next line, however many break
    # opportunities it had (code with word-break: break-all), leaving the line before it loose.
    skip_stack = args[1] if len(args) > 1 else kwargs.get("skip_stack")
    if skip_stack is None and _is_gap(box) and box.margin_left:
        max_x -= box.margin_left
    return _split_inline_box(context, box, position_x, max_x, *args, **kwargs)


# ---------- break opportunities around quotations ----------

_can_break_text = inline.can_break_text


def can_break_text(text, lang):
    if len(text) == 2 and all(cjk.is_han(ch) or ch in MARKS for ch in text):
        # Two Chinese characters, the common question: clreq's answer, without a Pango layout.
        return text[1] not in cjk.NO_LINE_START and text[0] not in cjk.NO_LINE_END
    return _can_break_text(text, lang) or any(_quote_break(a, b) for a, b in zip(text, text[1:]))


MARKS = cjk.NO_LINE_START + cjk.NO_LINE_END


def _quote_break(a, b):
    if b in "“‘":
        return cjk.is_cjk(a) and a not in cjk.NO_LINE_END
    if a in "”’":
        return cjk.is_cjk(b) and b not in cjk.NO_LINE_START and b not in cjk.INSEPARABLE
    return False


# ---------- Pango attributes: inter-character spacing ----------

_set_text = line_break.Layout.set_text


def set_text(self, text, justify=False):
    _set_text(self, text, justify)
    spacing = getattr(self, "cjk_spacing", 0) if justify else 0
    if not spacing:
        return
    attrs = pango.pango_layout_get_attributes(self.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    letter = self.style["letter_spacing"]
    units = int((spacing + (0 if letter == "normal" else letter)) * TO_UNITS)
    offsets = _byte_offsets(self.text)
    for start, end in _runs(self.text, _stretches(self.style)):
        attr = pango.pango_attr_letter_spacing_new(units)
        attr.start_index, attr.end_index = offsets[start], offsets[end]
        pango.pango_attr_list_change(attrs, attr)
    pango.pango_layout_set_attributes(self.layout, attrs)


def _byte_offsets(text):
    offsets, n = [0], 0
    for ch in text:
        n += len(ch.encode())
        offsets.append(n)
    return offsets


def _runs(text, stretch=stretches):
    """(start, end) character ranges of consecutive characters that take inter-character spacing."""
    start = None
    for i, ch in enumerate(text):
        if stretch(ch) and start is None:
            start = i
        elif not stretch(ch) and start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(text)


inline.justify_line = justify_line
inline.text_align = text_align
inline.can_break_text = can_break_text
inline.split_inline_box = split_inline_box
line_break.Layout.set_text = set_text
