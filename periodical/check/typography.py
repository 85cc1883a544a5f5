"""Stage 5, check: Chinese typesetting of the body text, read back from the PDF's characters.

The layout promises book practice (W3C clreq, GB/T 15834-2011); this module checks what the PDF
really shows, from every character's position, face and size (pdfchars.py), and reports each
violation with page, column and line:

  justify      a full line of a paragraph does not end on its column's right edge (±0.5 pt;
               a closing mark at the end may be set half-width)
  line-start   a line starts with 、，。：；！？”）》 etc., or with the second half of —— / ……
  line-end     a line ends with “（《 etc.
  last-line    a paragraph's last line holds a single character
  ascii-punct  a half-width , . : ; ! ? ( ) " next to a Chinese character (not one ending or
               inside a run of Latin words: “…the Harbin winter.”)
  compress     two adjacent marks take their full 2 em (。” must take 1.5 em)
  gap          no quarter-em gap between a Han character and a Latin letter or digit, or one at a line's start
  indent       a paragraph's first line is not indented 2 em, or a line stands off its column's edge
  spacing      extra space between two paragraphs
  widow        the last line of a paragraph alone at the head of a column
  orphan       the first line of a paragraph alone at the foot of a column
  heading      a sub-heading at the foot of a column, apart from the text it heads
  loose        a justified line that adds more than 0.5 em between two of its characters (a word
               it could not break, such as code, pushed to the next line), named by the
               characters around the gap; a line cut at such a gap is read whole again

Body text is the text face (Noto Serif SC, regular) in black. The rules inside a line (marks
at its ends, half-width marks, compression, Han–Latin gaps) apply to all of it; the others need
the page's structure, read from the positions: a column is a set of lines that overlap
horizontally; a frame (a column, or a box inside it) is the lines sharing a left edge L, where a
paragraph's first line starts at L + 2 em; reading order is content order (pdfchars.py), so a
paragraph that runs on into the next column or page is followed there. Those rules apply to
frames set justified — two lines ending on one edge at least MIN_MEASURE em from L, in the frame
or in another with its edge and size — so name lists centred in narrow cells, and a box holding
only a paragraph of one or two lines, are left out. Not checked: titles, captions, pull quotes,
the covers and the contents page.
"""
import hashlib
import itertools
import re
import statistics
from dataclasses import asdict, dataclass, replace

from periodical.check import pdfchars
from periodical.check.pdfchars import UnreadablePDF  # noqa: F401  (what check() raises for a file pdfium cannot open)
from periodical.text import cjk

BODY_FACE = "Noto-Serif-SC"
HEADING_FACE = "Noto-Sans-SC-Bold"
TOLERANCE = 0.5          # pt, for edges
MIN_MEASURE = 10         # em: the narrowest column of body text
QUOTE_CHARS = "\"'"
LOOSE = 0.5              # em: the most a justified line may add between two characters
WORD_SPACE = 0.35        # em: the widest space two Latin letters may have between them anyway


@dataclass
class Violation:
    rule: str
    page: int
    where: str           # "col 2, line 5"
    text: str            # the line
    detail: str
    order: int           # position in reading order, for sorting

    def __str__(self):
        excerpt = self.text if len(self.text) <= 24 else self.text[:22] + "…"
        return f"p.{self.page} {self.where}: {self.rule}: {self.detail} [{excerpt}]"


@dataclass(eq=False)
class Body:
    """A body line with its place in the column, frame and paragraph."""
    line: pdfchars.Line
    index: int               # position among all lines of the document, in reading order
    # Set by _structure (None until then): the line's place, and for body lines its paragraph's.
    order: int = None        # position among the body lines
    column: int = None
    row: int = None
    left: float = None       # the frame's left edge
    indented: bool = False
    item: bool = False       # the first line of a list item, beside its number or bullet (not indented)
    first: bool = None       # first line of its paragraph
    last: bool = None        # last line of its paragraph
    right: float = None      # the frame's right edge

    @property
    def frame(self):
        # Lines of a frame share the very float of its edge (_frames, _misplaced): no rounding needed.
        return (self.line.page, self.column, self.left)

    def where(self):
        return f"col {self.column}, line {self.row}"


def check(path):
    """Every violation in the PDF at `path`, in reading order."""
    return violations(pdfchars.lines(pdfchars.read_pages(path)))


def check_parts(parts, remember):
    """Every violation in an issue drawn in parts (render.Rendered.parts), each part's PDF read
    and checked alone, as `check` reads the issue's: a paragraph never runs from one part into
    the next. What the parts tell each other, which measures are set justified (a frame is body
    text if a frame of its measure is, anywhere), is passed to each.

    remember(part, name, compute): compute()'s JSON-able result for the part, computed once
    (parts.Parts.derived): an edit reads and checks only the parts it drew anew.
    """
    firsts = list(itertools.accumulate((len(p.pages) for p in parts[:-1]), initial=0))

    def alone(n, others=frozenset()):
        # Read anew each time, not kept: memory follows one part. A part is read a second time
        # only when another part's justified measure is on its pages, and then only once.
        lines = pdfchars.lines(pdfchars.read_pages(parts[n].pdf))
        every, body, measures = _structure(lines, others)
        return {"measures": sorted(measures), "justified": sorted({_measure(b) for b in body}),
                "violations": [asdict(v) for v in _violations(lines, every, body)]}
    facts = [remember(part, "typography", lambda n=n: alone(n)) for n, part in enumerate(parts)]
    justified = {tuple(m) for f in facts for m in f["justified"]}
    found = []
    for n, (part, f) in enumerate(zip(parts, facts)):
        others = justified & {tuple(m) for m in f["measures"]}
        if others - {tuple(m) for m in f["justified"]}:      # another part's justified measure is on its pages
            tag = hashlib.sha256(repr(sorted(others)).encode()).hexdigest()[:12]
            f = remember(part, f"typography-{tag}", lambda n=n, others=others: alone(n, others))
        found += [Violation(**{**v, "page": v["page"] + firsts[n]}) for v in f["violations"]]
    return found


def violations(lines):
    """Every violation in these lines (pdfchars.lines: every page's, in reading order)."""
    return _violations(lines, *_structure(lines)[:2])


def _violations(lines, every, body):
    justified = set(body)
    joined = _rejoined(every, body)
    parted = {o for rest in joined.values() for o in rest}
    found = []
    for b in every:
        if b in parted:
            continue                    # checked as part of the line it was cut from
        whole = replace(b, line=_joined_line(b, joined[b])) if b in joined else b
        found += _line_rules(whole, b in justified)
    found += _paragraph_rules(body, lines)
    found += _headings(lines, body)
    return sorted(found, key=lambda v: (v.page, v.order))


def _rejoined(every, body):
    """Body lines that end short of their column's edge because pdfchars.lines cut them at a wide
    gap (more than 1.5 em, as between columns): the pieces standing to their right on the same
    baseline, inside the frame's edge. “录 https://www.harbin.gov.cn/…”, stretched around a URL
    that could not break, was one line whose 录 was reported as ending 225 pt short; joined, it
    is a `loose` line, with the characters around its gap."""
    pieces = {}
    for b in body:
        line = b.line
        if b.last or b.right is None or line.right >= b.right - TOLERANCE:
            continue
        rest = sorted((o for o in every if o is not b and o.line.page == line.page
                       and abs(o.line.y - line.y) < 0.3 * line.em and abs(o.line.em - line.em) < 0.1
                       and o.line.x0 > line.right and o.line.right <= b.right + TOLERANCE),
                      key=lambda o: o.line.x0)
        if rest:
            pieces[b] = rest
    return pieces


def _joined_line(b, rest):
    return pdfchars.Line(b.line.page, [c for piece in (b, *rest) for c in piece.line.chars])


def summary(violations):
    """The report's part: count, count per rule, and every violation as a line of text."""
    rules = {}
    for v in violations:
        rules[v.rule] = rules.get(v.rule, 0) + 1
    return {"violations": len(violations), "by_rule": rules, "list": [str(v) for v in violations]}


# ---------- structure: columns, frames, paragraphs ----------

LIST_MARKER = re.compile(r"\d{1,3}[.)]|[•◦▪]")


def _grey(color):
    return max(color) - min(color) < 16 and 40 < max(color) < 230


def _is_body(line):
    # A list's number or bullet is drawn as a line of its own, left of its item: not text to set.
    return (line.face == BODY_FACE and max(line.color) < 80 and line.text.strip()
            and not LIST_MARKER.fullmatch(line.text.strip()))


def _structure(lines, others=frozenset()):
    """(every line in the body face, the lines of its justified frames, every measure looked up
    among the justified), placed in columns and frames.

    others: measures set justified in frames of other lines (another part of the issue)."""
    every = [Body(line, n) for n, line in enumerate(lines) if _is_body(line)]
    columns = []
    for page_lines in _group(every, lambda b: b.line.page).values():
        for column, members in enumerate(_columns(page_lines), 1):
            _frames(members)
            for row, b in enumerate(sorted(members, key=lambda b: -b.line.y), 1):
                b.column, b.row = column, row
            columns.append(_group(members, lambda b: b.left))
    # A frame is body text if it, or another with its left edge and size, is set justified; a
    # line standing off a justified edge of its column (by less than the indent) belongs there.
    measures = {_measure(_lead(f)) for frames in columns for f in frames.values()}
    justified = {_measure(_lead(f)) for frames in columns for f in frames.values() if _justified(f)} | set(others)
    for frames in columns:
        edges = [left for left, f in frames.items() if _measure(_lead(f)) in justified]
        for f in frames.values():
            if _measure(_lead(f)) not in justified:
                for b in f:
                    _misplaced(b, edges)
    body = [b for b in every if _measure(b) in justified]
    measures |= {_measure(b) for b in every}
    for n, b in enumerate(body):
        b.order = n
    _mark_paragraphs(body, lines)
    _right_edges(body)
    return every, body, measures


def _measure(b):
    return round(b.left), round(b.line.em, 1)


def _lead(frame):
    """The line a frame is measured by, its first: the lines of a frame share its edge, and in
    body text its size."""
    return frame[0]


def _misplaced(b, edges):
    edge = next((left for left in edges if left < b.line.x0 < left + 2 * b.line.em + TOLERANCE), None)
    if edge is not None:
        b.left, b.indented = edge, b.line.x0 - edge >= b.line.em


def _columns(members):
    """Group a page's body lines into columns: runs of lines that overlap horizontally."""
    spans = []
    for b in sorted(members, key=lambda b: b.line.x0):
        if spans and b.line.x0 < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b.line.right)
            spans[-1][2].append(b)
        else:
            spans.append([b.line.x0, b.line.right, [b]])
    return [s[2] for s in spans]


def _group(items, key):
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _justified(frame):
    """A frame set justified: two lines end on one edge, at least MIN_MEASURE em from its left edge.

    Name lists, centred in narrow cells, are not; a paragraph of one or two lines in a box
    cannot be told apart from them and is left out too.
    """
    lead = _lead(frame)
    # Line ends grouped to the half point: an edge is such a half point that two lines reach.
    ends = _group(frame, lambda b: round(b.line.right / TOLERANCE))
    return any(len(same) >= 2 and edge * TOLERANCE - lead.left >= MIN_MEASURE * lead.line.em
               for edge, same in ends.items())


def _frames(members):
    """Give each line its frame's left edge: a base edge, or a base edge + 2 em (indented)."""
    bases = []
    for b in sorted(members, key=lambda b: b.line.x0):
        x, em = b.line.x0, b.line.em
        base = next((e for e in bases if abs(x - e - 2 * em) < TOLERANCE), None)
        if base is not None:
            b.left, b.indented = base, True
            continue
        base = next((e for e in bases if abs(x - e) < 0.5 * em), None)
        if base is None:
            bases.append(x)
            base = x
        b.left = base


def _code(face):
    """Whether a face is the monospace face of code."""
    return "-Mono-" in face


def _pitches(body, lines):
    """Each frame's line pitch: the least distance between two of its lines with nothing between."""
    pitches = {}
    for a, b in zip(body, body[1:]):
        if a.frame == b.frame and b.index == a.index + 1:
            pitches[a.frame] = min(pitches.get(a.frame, a.line.y - b.line.y), a.line.y - b.line.y)
    return pitches


def _stands_between(b, nxt, lines, pitch):
    """Whether something stands between two lines of a frame: a line not of the body text, but
    for lines of inline code alone inside the paragraph (monospace, broken anywhere to fill the
    measure) at the frame's pitch; a code block has a pitch of its own and margins."""
    inside = [lines[i] for i in range(b.index + 1, nxt.index)]
    if all(_is_body(line) for line in inside):
        return False
    if pitch is None or not all(_code(line.face) and line.text.strip() for line in inside):
        return True
    return any(abs(b.line.y - line.y - k * pitch) > TOLERANCE for k, line in enumerate(inside + [nxt.line], 1))


def _mark_paragraphs(body, lines):
    """Mark the first and last line of every paragraph, following the reading order."""
    pitches = _pitches(body, lines)
    items = _item_starts(lines)
    for b, nxt in zip(body, body[1:] + [None]):
        if nxt is not None:
            nxt.item = _starts_item(nxt.line, items)
        if nxt is None or nxt.indented or nxt.item:
            boundary = True
        elif _same_column(b, nxt):
            # Within a column, a paragraph ends where its frame changes or something stands between.
            boundary = nxt.left != b.left or _stands_between(b, nxt, lines, pitches.get(b.frame))
        else:
            boundary = False         # a paragraph runs on into the next column or page
        b.last = boundary
        if nxt is not None:
            nxt.first = boundary
    if body:
        body[0].first = True


def _item_starts(lines):
    """Each page's list numbers and bullets, as (baseline, right end): an item's first line stands
    beside one. An item's text need not be indented against what comes before it (a lead-in's
    first line, 2 em in, stands where the items' text does)."""
    found = {}
    for line in lines:
        if line.face == BODY_FACE and LIST_MARKER.fullmatch(line.text.strip()):
            found.setdefault(line.page, []).append((line.y, line.right))
    return found


def _starts_item(line, items):
    return any(abs(y - line.y) < 1 and 0 < line.x0 - right < 1.5 * line.em for y, right in items.get(line.page, ()))


def _same_column(a, b):
    return a.line.page == b.line.page and a.column == b.column


def _right_edges(body):
    for members in _group(body, lambda b: b.frame).values():
        full = [b.line.right for b in members if not b.last]
        right = statistics.median(full) if full else None
        for b in members:
            b.right = right


# ---------- rules on one line ----------

def _line_rules(b, justified):
    """Rules on one line; `justified`: the line is in a justified frame, so its edges are known."""
    line, text = b.line, b.line.text
    found = []

    def report(rule, detail):
        found.append(Violation(rule, line.page, b.where(), text, detail, b.index))

    if text[0] in cjk.NO_LINE_START:
        report("line-start", f"starts with {text[0]}")
    if text[-1] in cjk.NO_LINE_END:
        report("line-end", f"ends with {text[-1]}")
    loose = list(_loose(line)) if justified and not b.last else []
    for rule, detail in _marks(line):
        # A Han–Latin gap wider than a quarter em where the line is loose is that one gap: said once.
        if not (rule == "gap" and "wider" in detail and any(d.startswith(detail[:2] + ":") for d in loose)):
            report(rule, detail)
    if not justified:
        return found
    for detail in loose:
        report("loose", detail)
    if not b.last and b.right is not None and abs(line_end(line, b.right) - b.right) > TOLERANCE:
        report("justify", f"ends {line_end(line, b.right) - b.right:+.2f} pt from the column's right edge")
    offset = line.x0 - b.left - (2 * line.em if b.indented else 0)
    if abs(offset) > 0.1 * line.em:
        rule = "gap" if cjk.latin.match(text[0]) and not b.indented else "indent"
        report(rule, f"starts {offset:+.2f} pt from where its {'indent' if b.indented else 'column'} puts it")
    return found


def _loose(line):
    """The widest gap between two characters beyond their normal advance, if more than LOOSE em.

    Normal: nothing between Chinese characters, the quarter em between Han and Latin, a word
    space between two Latin letters."""
    em, worst, text = line.em, None, line.text
    for n, (a, b) in enumerate(zip(line.chars, line.chars[1:])):
        # A Latin run (with its signs: -15°C, 3.5%) stands a quarter em off the Han beside it.
        han_latin = cjk.is_han(a.ch) and not cjk.is_cjk(b.ch) or cjk.is_han(b.ch) and not cjk.is_cjk(a.ch)
        latin = not cjk.is_cjk(a.ch) and not cjk.is_cjk(b.ch)
        extra = b.x - a.right - (0.25 if han_latin else WORD_SPACE if latin else 0) * em
        if extra > LOOSE * em and (worst is None or extra > worst[0]):
            worst = extra, n
    if worst:
        extra, n = worst
        # The characters around the gap, so an editor finds it: “录 ␣ https://www.har…”.
        around = (f"{'…' if n > 5 else ''}{text[max(0, n - 5):n + 1]} ␣ "
                  f"{text[n + 1:n + 13]}{'…' if n + 13 < len(text) else ''}")
        yield (f"{text[n]}{text[n + 1]}: {extra / em:.2f} em added between two characters "
               f"(at most {LOOSE} em), at “{around}”: what follows the gap did not break; shorten or reword it")


def line_end(line, edge):
    """Where the line ends; a closing mark at the end may be set half-width (its blank half cut)."""
    last = line.chars[-1]
    half = last.x + last.em / 2
    return half if last.ch in cjk.CLOSING and abs(half - edge) < abs(line.right - edge) else line.right


def _marks(line):
    """Half-width marks, uncompressed adjacent marks and Han–Latin gaps inside one line."""
    chars, text, em = line.chars, line.text, line.em
    spread = _spacing(line)
    for i, c in enumerate(chars):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if (c.ch in cjk.ASCII_PUNCT + QUOTE_CHARS and not _code(c.face) and (cjk.is_cjk(before) or cjk.is_cjk(after))
                and not _in_latin_words(text, i)):
            yield "ascii-punct", f"half-width {c.ch!r} in Chinese text"
        if i + 1 < len(chars):
            nxt = chars[i + 1]
            if cjk.is_han(c.ch) and cjk.latin.match(nxt.ch) or cjk.latin.match(c.ch) and cjk.is_han(nxt.ch):
                gap = nxt.x - c.right
                if gap < 0.15 * em:
                    yield "gap", f"{c.ch}{nxt.ch}: {gap / em:.2f} em between Han and Latin, not 1/4 em"
                elif gap > 0.35 * em + 3 * spread:
                    yield "gap", f"{c.ch}{nxt.ch}: {gap / em:.2f} em between Han and Latin, wider than 1/4 em"
    for i in cjk.compressed(text):
        start = i if text[i] in cjk.CLOSING else i - 1
        end = chars[start + 2].x if start + 2 < len(chars) else chars[start + 1].right
        width = end - chars[start].x - 2 * spread
        if width > 1.75 * em:
            yield "compress", f"{text[start:start + 2]} takes {width / em:.2f} em, not 1.5 em"


def _in_latin_words(text, i):
    """Whether the mark at text[i] belongs to a run of Latin words (an English sentence quoted in
    Chinese text: “…the Harbin winter.”), where a half-width mark is right: it follows a Latin
    letter or digit (an opening parenthesis or quote: precedes one), and the run it stands in,
    up to the Chinese on either side, holds two words or more, or began on the line before and
    does not run on into a Han character."""
    start, end = i, i + 1
    while start and not cjk.is_cjk(text[start - 1]):
        start -= 1
    while end < len(text) and not cjk.is_cjk(text[end]):
        end += 1
    run = text[start:end]
    words = re.findall(r"[A-Za-z0-9]+", run)
    opening = text[i] in "(\"'" and i + 1 < end and cjk.latin.match(text[i + 1])
    closing = i > start and (cjk.latin.match(text[i - 1]) or text[i - 1] in ")\"'")
    # Word spaces may be no-break spaces (the text stage keeps a Latin run together).
    words_run = len(words) >= 2 and re.search(r"\s", run.strip())
    # At a line's start the sentence may have begun on the line before (“winter.” alone there).
    wrapped = start == 0 and not (end < len(text) and cjk.is_han(text[end]))
    return bool((opening or closing) and (words_run or wrapped))


def _spacing(line):
    """The justification added between two characters of this line: between two Han characters,
    or, on a line with none (录 and a URL that may break anywhere, which shares the slack per
    character), between two Latin ones (0 for a loose line)."""
    pairs = list(zip(line.chars, line.chars[1:]))
    gaps = [b.x - a.x - a.em for a, b in pairs if cjk.is_han(a.ch) and cjk.is_han(b.ch)]
    if not gaps:
        gaps = [b.x - a.right for a, b in pairs if cjk.latin.match(a.ch) and cjk.latin.match(b.ch)]
    return max(0.0, statistics.median(gaps)) if gaps else 0.0


# ---------- rules on paragraphs and columns ----------

def _split_paragraphs(body):
    paragraphs = []
    for b in body:
        if b.first:                      # (the text's first line is one: _mark_paragraphs)
            paragraphs.append([])
        paragraphs[-1].append(b)
    return paragraphs


def _paragraph_rules(body, lines):
    found = []

    def report(rule, b, detail):
        found.append(Violation(rule, b.line.page, b.where(), b.line.text, detail, b.index))

    for paragraph in _split_paragraphs(body):
        head, tail = paragraph[0], paragraph[-1]
        if len(paragraph) > 1 and sum(1 for ch in tail.line.text if cjk.is_han(ch) or ch.isalnum()) < 2:
            report("last-line", tail, "the paragraph's last line holds a single character")
        if not head.indented and not head.item and not _column_start(body, head):   # (the text's first line starts a column)
            report("indent", head, "the paragraph's first line is not indented 2 em")
        for a, b in zip(paragraph, paragraph[1:]):
            if _same_column(a, b) and a.line.text[-1] in cjk.INSEPARABLE and b.line.text[0] == a.line.text[-1]:
                report("line-start", b, f"{a.line.text[-1] * 2} is split across lines")
        if len(paragraph) > 1:
            if _column_start(body, tail) and tail.last:
                report("widow", tail, "the paragraph's last line stands alone at the head of a column")
            if _column_end(body, head):
                report("orphan", head, "the paragraph's first line stands alone at the foot of a column")
    found += _paragraph_spacing(body, lines)
    return found


def _neighbour(body, b, step):
    n = b.order + step
    return body[n] if n in range(len(body)) else None


def _column_start(body, b):
    prev = _neighbour(body, b, -1)
    return prev is None or not _same_column(prev, b)


def _column_end(body, b):
    nxt = _neighbour(body, b, 1)
    return nxt is None or not _same_column(b, nxt)


def _paragraph_spacing(body, lines):
    """Lines of one frame follow at one pitch, across paragraph boundaries too."""
    found, pitches = [], {}
    pairs = [(a, b) for a, b in zip(body, body[1:])
             if a.frame == b.frame                       # (the same frame: the same page and column)
             and all(_is_body(lines[i]) for i in range(a.index + 1, b.index))]
    for a, b in pairs:
        pitches.setdefault(a.frame, []).append(a.line.y - b.line.y)
    for a, b in pairs:
        pitch, usual = a.line.y - b.line.y, min(pitches[a.frame])
        if b.first and usual + TOLERANCE < pitch < 2 * usual:
            found.append(Violation("spacing", b.line.page, b.where(), b.line.text,
                                   f"{pitch - usual:.1f} pt extra space before the paragraph", b.index))
    return found


def _headings(lines, body):
    """A sub-heading must stand in the same column as the text it heads, right above it.

    Sub-headings are lines in the bold sans, not grey, no smaller than the page's body text nor
    bigger than 1.2× it (titles and pull quotes are bigger, a table's head smaller, subtitles and
    photo labels grey, folios digits); what follows one is the next line in the body face or the
    bold sans.
    """
    found = []
    pages = _group(body, lambda b: b.line.page)
    for n, line in enumerate(lines):
        members = pages.get(line.page)
        if (line.face != HEADING_FACE or line.text.isdigit() or _grey(line.color) or not members
                or not 0.95 * members[0].line.em <= line.em <= 1.2 * members[0].line.em):
            continue
        nxt = next((m for m in lines[n + 1:] if m.face in (BODY_FACE, HEADING_FACE) and not m.text.isdigit()), None)
        below = nxt is not None and nxt.page == line.page and 0 < line.y - nxt.y < 4 * line.em
        if not (below and nxt.x0 < line.right and line.x0 < nxt.right):
            found.append(Violation("heading", line.page, "sub-heading", line.text,
                                   "the sub-heading stands apart from the text it heads", n))
    return found
