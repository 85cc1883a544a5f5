"""Stage 2, text: the inline spans a Chinese paragraph needs from the layout.

Four spans, added to the Markdown's inline tokens without changing a character of the text:

- `span.latin` around a run of Latin letters or digits next to a Han character (and the same
  classes on inline code there), with `han-before`/`han-after` saying on which side a Han character stands: the layout (CSS margins)
  makes the quarter-em gap there, and drops it at the start or end of a line (cjk_justify.py).
- `span.quote` around a quotation “…”: Pango treats Chinese quotes as ambiguous (UAX #14 QU)
  and never breaks before “ or after ”; at the edge of a span the renderer asks
  cjk_justify.can_break, which allows those breaks as clreq does, so lines need not stretch.
- `span.keep` (white-space: nowrap) around a paragraph's last two characters and the marks
  after them, so a paragraph's last line never holds a single character; and around a number
  with its unit (80 km/h, 3.5 MPa) or a unit with a slash, which Pango would break.
- `span.long` around a run of 12 or more Latin letters, digits and ASCII marks with no space
  (code, a URL, an identifier): it may break between any two characters (CSS `word-break:
  break-all`), so the line before it is filled instead of stretched to make room for it whole.
- `span.halt` around a mark that stands next to another mark (cjk.compressed): the font's
  `halt` feature removes its blank half, so 。” takes 1.5 em. Noto CJK has no contextual
  `chws`; marking the pair here, on the paragraph's whole text, also reaches pairs that
  markup or the other spans split, and line breaking measures the compressed width.
"""
import re

import markupsafe
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from periodical.text import cjk

KEEP_CHARACTERS = 2
LONG_RUN = 12            # characters of a Latin run that may break anywhere (span.long)
_long_run = re.compile(f"[!-~]{{{LONG_RUN},}}")
LONGEST_KEPT = 26       # letters of a Latin run the keep may hold: about half a column


def mark(children):
    """Return a paragraph's inline tokens with the spans added (text tokens become html_inline)."""
    _code_gaps(children)
    texts = [i for i, t in enumerate(children) if t.type == "text" and t.content]
    if not texts:
        return children
    keeps = _keep_starts(children, texts)
    stream = "".join(children[i].content for i in texts)
    halts = set(cjk.compressed(stream))
    out, pos = list(children), 0
    for i in texts:
        text = children[i].content
        before = stream[pos - 1] if pos else ""
        after = stream[pos + len(text):pos + len(text) + 1]
        ranges = _ranges(text, before, after, keeps.get(i))
        ranges += [(n - pos, n - pos + 1, "halt") for n in range(pos, pos + len(text)) if n in halts]
        token = Token("html_inline", "", 0)
        token.content = _html(text, ranges)
        out[i] = token
        pos += len(text)
    return out


def _code_gaps(children):
    """Inline code next to a Han character takes the gap as a Latin run does: its <code> gets the
    classes of span.latin (表达式`rate()`计算 prints a quarter em on each side of the code)."""
    for n, token in enumerate(children):
        if token.type != "code_inline":
            continue
        before = children[n - 1].content[-1:] if n and children[n - 1].type == "text" else ""
        after = children[n + 1].content[:1] if n + 1 < len(children) and children[n + 1].type == "text" else ""
        sides = _han_sides(before, after)
        if sides:
            token.attrSet("class", " ".join(["latin"] + sides))


def _han_sides(before, after):
    """The gap classes of a Latin run or inline code: on which sides a Han character stands."""
    return [name for name, ch in (("han-before", before), ("han-after", after)) if ch and cjk.is_han(ch)]


# A number with its unit (80 km/h, 3.5 MPa, -15°C) or a unit alone (km/h): never broken inside
# (GB/T 15835: a number and its unit stay on one line; Pango breaks after the / of km/h).
UNIT = re.compile(r"[-+]?[0-9][0-9.,]*(?:[ \u00a0]?[A-Za-z°%]+(?:/[A-Za-z]+)?)|[A-Za-z]+/[A-Za-z]+")
LONGEST_UNIT = LONG_RUN - 1


def _ranges(text, before, after, keep):
    """(start, end, class) of the gap, quote and keep spans of one text run."""
    ranges = []
    padded = before[-1:] or " "
    for m in cjk.latin_run.finditer(text):
        left = (text[m.start() - 1] if m.start() else padded)
        right = (text[m.end()] if m.end() < len(text) else after or " ")
        sides = _han_sides(left, right)
        if sides:
            ranges.append((m.start(), m.end(), " ".join(["latin"] + sides)))
        if len(m.group()) <= LONGEST_UNIT and re.search(r"[ \u00a0/]", m.group()) and UNIT.fullmatch(m.group()):
            ranges.append((m.start(), m.end(), "keep"))
    if cjk.han.search(text):
        for start, end in _quotations(text):
            # Where the kept characters end a quotation, the quotation's span stops at them:
            # the line may still break before its “, and the keep stays as short as it is.
            ranges.append((start, keep if keep is not None and start < keep < end else end, "quote"))
    for m in _long_run.finditer(text):
        if keep is None or not m.start() < keep < m.end():      # spans must nest
            ranges.append((m.start(), m.end(), "long"))
    if keep is not None and keep < len(text):
        ranges.append((keep, len(text), "keep"))
    return ranges


def _quotations(text):
    """(start, end) of each outermost quotation “…” or ‘…’ inside the text run."""
    out, i = [], 0
    while i < len(text):
        close = {"“": "”", "‘": "’"}.get(text[i])
        j = text.find(close, i + 1) if close else -1
        if j > 0:
            out.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return out


def _keep_starts(children, texts):
    """Where the paragraph-end keep starts in each text token it covers: {token index: offset}."""
    starts, need = {}, KEEP_CHARACTERS
    for i in reversed(texts):
        starts[i], need = keep_start(children[i].content, need)
        if need <= 0:
            break
    return starts


def keep_start(text, need=KEEP_CHARACTERS):
    """Where the keep of text's last `need` characters starts (a Latin run counts its letters,
    marks after them stay with them), and how many characters are still needed before text."""
    for start, size in reversed(_units(text)):
        if size > LONGEST_KEPT:            # a word longer than half a column must be free to wrap
            return len(text), 0
        need -= size
        if need <= 0:
            return start, need
    return 0, need


def _units(text):
    """(start, characters) of each Han character and each Latin run, in order."""
    units, i = [], 0
    while i < len(text):
        m = cjk.latin_run.match(text, i)
        if m:
            units.append((i, sum(ch.isalnum() for ch in m.group())))
            i = m.end()
            continue
        if cjk.is_han(text[i]):
            units.append((i, 1))
        i += 1
    return units


NESTING = ("keep", "quote", "long", "latin", "halt")     # outermost first, where two spans start or end together


def _html(text, ranges):
    def rank(cls):
        return NESTING.index(cls.split()[0])
    events = sorted([(s, 1, -e, rank(cls), cls) for s, e, cls in ranges]
                    + [(e, 0, -s, -rank(cls), cls) for s, e, cls in ranges])
    out, pos = [], 0
    for at, opening, _, _, cls in events:
        out.append(escapeHtml(text[pos:at]))
        out.append(f'<span class="{cls}">' if opening else "</span>")
        pos = at
    out.append(escapeHtml(text[pos:]))
    return "".join(out)


def spaced(text):
    """A line of display text (a kicker, caption, contents entry, cover line …) with the Han–Latin
    gap spans the body gets: 5G全覆盖 prints 5G, a quarter em, 全覆盖."""
    return _display(str(text), None)


def _display(text, keep):
    """text as Markup: span.latin at each Han–Latin gap and, from offset `keep`, span.keep."""
    ranges = [r for r in _ranges(text, "", "", None) if r[2].startswith("latin")]
    if keep is not None and 0 < keep < len(text):
        ranges.append((keep, len(text), "keep"))
    return markupsafe.Markup(_html(text, ranges))


def phrases(title):
    """A headline or sub-heading as the designer breaks it: at the spaces between its phrases,
    never inside a phrase that fits on a line, and never with one character left alone on the
    last line (span.phrase: an inline block)."""
    words = [w for w in re.split(r"[ \u3000]+", title.strip()) if w]
    out = []
    for n, word in enumerate(words):
        word = kept_end(word) if n == len(words) - 1 else spaced(word)
        out.append(markupsafe.Markup('<span class="phrase">%s</span>') % word)
    return markupsafe.Markup(" ").join(out)


def kept_end(text):
    """A headline's or pull quote's last two characters (and the marks after them) kept on one
    line, as a paragraph's are: its last line never holds a single character."""
    return _display(text, keep_start(text)[0])
