"""The typesetting checker: each rule caught on a page that breaks it, silent on one that keeps it.

The bad pages are written as raw HTML, without the text stage's spans, so they show what the
layout looks like when a rule is not kept; the good ones go through the text stage.
"""
import json
from collections import namedtuple

import pikepdf
import pytest

from periodical.check import pdfchars, typography
from periodical.text import cjk

from .. import typeset as t
from ..conftest import run_cli

H = t.HAN
Part = namedtuple("Part", "pdf pages key")       # as render/parts.Drawn: its PDF, its pages


def check(tmp_path, body, **page):
    return typography.check(t.render_pdf(tmp_path / "p.pdf", t.page(body, **page)))


def rules(violations):
    return {v.rule for v in violations}


# ---------- fast: the rules on lines placed here by hand (no PDF) ----------
#
# A page as pdfchars reads it: a column from x = 20 pt, 20 em of 9 pt wide (its right edge at
# 200), lines 14.5 pt apart (binary fractions, so that sums of them are exact); a Han character or full-width mark takes 1 em, a Latin letter half
# an em, with a quarter em between Han and Latin.

EM, LEFT = 9.0, 20.0
RIGHT, PITCH = LEFT + 20 * EM, 14.5
TOP = 700.0
BODY = typography.BODY_FACE
HEADING = typography.HEADING_FACE


def chars(text, x, y, em=EM, face=BODY, color=(0, 0, 0), spacing=0.0):
    out = []
    for i, ch in enumerate(text):
        if i and (cjk.is_han(text[i - 1]) and cjk.latin.match(ch) or cjk.latin.match(text[i - 1]) and cjk.is_han(ch)):
            x += 0.25 * em
        width = em if cjk.is_cjk(ch) else 0.5 * em
        out.append(pdfchars.Char(ch, x, y, em, face, color, x + width))
        x += width + spacing
    return out


def line(text, row, x=LEFT, page=1, **kw):
    """The line `text` at row `row` (1: the top) of the column, starting at x."""
    y = kw.pop("y", TOP - (row - 1) * PITCH)
    return pdfchars.Line(page, chars(text, x, y, **kw))


def para(n, row, page=1, first=True):
    """A paragraph of n characters from `row`: an indented first line of 18, then lines of 20."""
    lines, text, x = [], H * 3, LEFT + 2 * EM if first else LEFT
    start, width = 0, 18 if first else 20
    while start < n:
        take = min(width, n - start)
        lines.append(line(text[start:start + take], row + len(lines), x=x, page=page))
        start, width, x = start + take, 20, LEFT
    return lines


def found(lines, rule=None):
    return [(v.rule, v.page, v.where, v.detail) for v in typography.violations(lines) if rule in (None, v.rule)]


def test_well_set_paragraphs_pass():
    assert found(para(58, 1) + para(40, 4)) == []


def test_an_excerpt_keeps_24_characters_and_cuts_longer_lines_at_22():
    v = typography.Violation("justify", 1, "col 1, line 1", H[:24], "d", 0)
    assert str(v) == f"p.1 col 1, line 1: justify: d [{H[:24]}]"
    assert str(typography.Violation("justify", 1, "x", H[:25], "d", 0)) == f"p.1 x: justify: d [{H[:22]}…]"
    assert typography.summary([v, v, typography.Violation("gap", 2, "x", "t", "d", 1)]) == {
        "violations": 3, "by_rule": {"justify": 2, "gap": 1}, "list": [str(v), str(v), "p.2 x: gap: d [t]"]}


def test_body_text_is_the_text_face_darker_than_80_and_not_a_list_marker():
    def body(text, face=BODY, color=(0, 0, 0)):
        return bool(typography._is_body(line(text, 1, face=face, color=color)))
    assert body(H[:5]) and body(H[:5], color=(79, 0, 79)) and body("1234.") and body("1.5")
    assert not body(H[:5], color=(80, 0, 0)) and not body(H[:5], face=HEADING) and not body(" ")
    assert not any(body(marker) for marker in ("1.", "12)", "123.", "•", "◦", "▪"))


def test_grey_is_a_neutral_colour_between_40_and_230():
    assert [typography._grey(c) for c in ((100, 100, 115), (41, 41, 41), (229, 229, 229), (100, 110, 114))] == [True] * 4
    assert [typography._grey(c) for c in ((100, 100, 116), (40, 40, 40), (230, 230, 230), (0, 0, 0))] == [False] * 4


def test_a_frame_is_justified_when_two_lines_end_on_one_edge_10_em_or_more_from_its_left():
    def justified(width, count=2):
        frame = [typography.Body(line(H[:width], n), n, left=LEFT) for n in range(1, count + 1)]
        return typography._justified(frame)
    assert justified(10) and justified(20) and justified(10, count=3)
    assert not justified(9) and not justified(10, count=1)
    # Two lines whose ends differ by less than the tolerance's rounding still share an edge.
    frame = [typography.Body(pdfchars.Line(1, chars(H[:12], LEFT + d, TOP - n * PITCH)), n, left=LEFT)
             for n, d in enumerate((0.0, 0.2))]
    assert typography._justified(frame)
    # Ends grouped to the half point: 89.8 pt from the edge counts as the 90 of 10 em, 89.7 does not.
    for width, justified_ in ((89.8, True), (89.7, False)):
        frame = [typography.Body(pdfchars.Line(1, chars(H[:9], LEFT, TOP - n * PITCH) + chars(H[9], LEFT + width - EM,
                                                                                             TOP - n * PITCH)), n,
                                 left=LEFT) for n in range(2)]
        assert typography._justified(frame) is justified_, width


def test_lines_set_at_a_justified_frame_s_edge_and_size_are_body_text_though_not_justified_themselves():
    # p.2 holds two lines of different lengths, the first with a loose gap: checked as body text only
    # when a justified frame has their edge and their size, to a tenth of a point (9.04 is 9.0; 9.4 is not).
    def loose_on_page_2(em):
        y = TOP
        loose = pdfchars.Line(2, chars(H[:10], LEFT, y, em=em) + chars(H[10:19], LEFT + 10.6 * em, y, em=em))
        short = line(H[:10], 2, page=2, em=em)
        return [v[:3] for v in found(para(58, 1) + [loose, short], "loose")]
    assert loose_on_page_2(9.04) == [("loose", 2, "col 1, line 1")]
    assert loose_on_page_2(9.4) == []


def test_columns_are_lines_that_overlap_across():
    a = typography.Body(line(H[:10], 1), 0)
    b = typography.Body(line(H[:10], 2, x=LEFT + 5 * EM), 1)            # overlaps a
    c = typography.Body(line(H[:5], 3, x=LEFT + 15 * EM), 2)            # starts where b ends: a new column
    d = typography.Body(line(H[:5], 4, x=LEFT + 15 * EM - 0.1), 3)
    assert typography._columns([a, b, c]) == [[a, b], [c]]
    # A line overlapping the second column, not the first, joins the second.
    e = typography.Body(line(H[:2], 5, x=LEFT + 16 * EM), 4)
    assert typography._columns([a, b, c, e]) == [[a, b], [c, e]]
    # A short line inside a wide one does not narrow the column.
    wide = typography.Body(line(H[:20], 1), 0)
    inside = typography.Body(line(H[:4], 2, x=LEFT + EM), 1)
    late = typography.Body(line(H[:2], 3, x=LEFT + 15 * EM), 2)
    assert typography._columns([wide, inside, late]) == [[wide, inside, late]]
    # Nor in a second column.
    narrow = typography.Body(line(H[:5], 1), 0)                                  # to LEFT + 5 em
    wide = typography.Body(line(H[:20], 1, x=LEFT + 8 * EM), 1)                  # to LEFT + 28 em
    inside = typography.Body(line(H[:4], 2, x=LEFT + 9 * EM), 2)                 # to LEFT + 13 em
    late = typography.Body(line(H[:2], 3, x=LEFT + 20 * EM), 3)
    assert typography._columns([narrow, wide, inside, late]) == [[narrow], [wide, inside, late]]
    # A second column widened by a long line: what overlaps the widened part joins it too.
    long = typography.Body(line(H[:10], 6, x=LEFT + 16 * EM), 5)             # to LEFT + 26 em
    f = typography.Body(line(H[:2], 7, x=LEFT + 22 * EM), 6)
    assert typography._columns([a, b, c, long, f]) == [[a, b], [c, long, f]]
    assert typography._columns([a, b, d]) == [[a, b, d]]


def test_frames_an_indent_of_2_em_and_a_new_edge_half_an_em_off():
    lines = [typography.Body(line(H[:5], n, x=LEFT + dx), n) for n, dx in
             enumerate((0.0, 2 * EM + 0.49, 2 * EM - 0.49, 0.5 * EM - 0.01, 0.5 * EM, 2 * EM + 0.5))]
    typography._frames(lines)
    assert [(round(b.left, 2), b.indented) for b in lines] == [
        (LEFT, False), (LEFT, True), (LEFT, True), (LEFT, False), (LEFT + 0.5 * EM, False), (LEFT + 2 * EM + 0.5, False)]


def test_a_line_standing_off_a_justified_edge_belongs_to_it_when_within_2_em():
    def placed(dx):
        b = typography.Body(line(H[:5], 1, x=LEFT + dx), 0, left=LEFT + dx)
        typography._misplaced(b, [LEFT])
        return b.left, b.indented
    assert placed(0.01) == (LEFT, False) and placed(EM - 0.01) == (LEFT, False) and placed(EM) == (LEFT, True)
    assert placed(2 * EM + 0.49) == (LEFT, True)
    assert placed(2 * EM + 0.5) == (LEFT + 2 * EM + 0.5, False) and placed(0) == (LEFT, False)
    assert placed(-1) == (LEFT - 1, False)


def test_a_full_line_must_end_on_the_right_edge_within_half_a_point():
    # Five lines: the column's edge is the median end of the four full ones.
    for short, broken in ((0.5, False), (0.51, True), (-0.5, False), (-0.51, True)):
        lines = para(98, 1)
        y = lines[1].y
        lines[1] = pdfchars.Line(1, chars(H[:19], LEFT, y) + chars(H[19], RIGHT - EM - short, y))
        assert bool(found(lines, "justify")) is broken, short
    lines = para(98, 1)
    lines[1] = pdfchars.Line(1, chars(H[:19], LEFT, lines[1].y, spacing=(EM - 1) / 18))
    assert found(lines, "justify") == [("justify", 1, "col 1, line 2", "ends -1.00 pt from the column's right edge")]


def test_a_closing_mark_at_a_line_s_end_may_hang_its_blank_half():
    lines = para(98, 1)
    lines[1] = line(H[:19] + "，", 2, spacing=0.5 * EM / 19)       # "，" at x = 200 - 1em - …: its ink half ends at 200
    assert found(lines, "justify") == []
    assert typography.line_end(lines[1], RIGHT) == pytest.approx(RIGHT)
    plain = line(H[:20], 2)
    assert typography.line_end(plain, RIGHT) == RIGHT
    assert typography.line_end(line(H[:19] + "，", 2), RIGHT) == RIGHT        # the full mark is closer
    # An edge as far from the mark's half as from its whole (x = 191: 195.5 and 200 against 197.75): the whole.
    assert typography.line_end(line(H[:19] + "，", 2), 197.75) == RIGHT
    assert typography.line_end(line(H[:19] + "，", 2), 197.7) == 195.5


def test_line_start_and_line_end_marks():
    lines = para(58, 1)
    lines[1] = line("，" + H[:19], 2)
    lines[2] = line(H[:19] + "“", 3)
    assert found(lines, "line-start") == [("line-start", 1, "col 1, line 2", "starts with ，")]
    assert found(lines, "line-end") == [("line-end", 1, "col 1, line 3", "ends with “")]


def test_a_line_starting_off_its_edge_by_more_than_a_tenth_of_an_em():
    for dx, broken in ((0.1 * EM, False), (0.1 * EM + 0.01, True)):
        lines = para(58, 1)
        lines[1] = line(H[:20], 2, x=LEFT + dx, spacing=-dx / 19)
        lines[0] = line(H[:18], 1, x=LEFT + 2 * EM - dx, spacing=dx / 17)
        assert [v[0] for v in found(lines) if v[0] in ("indent", "gap")] == (["indent", "indent"] if broken else [])
    # At 10 pt, a tenth of an em is exactly 1 pt: a line 1 pt off passes, one 1.25 pt off does not.
    for dx, broken in ((1.0, False), (1.25, True)):
        lines = [line(H[:18], 1, x=LEFT + 20, em=10.0), line(H[:20], 2, x=LEFT + dx, em=10.0),
                 line(H[:20], 3, em=10.0), line(H[:5], 4, em=10.0)]
        assert [v[0] for v in found(lines) if v[0] in ("indent", "gap")] == (["indent"] if broken else []), dx
    lines = para(58, 1)
    lines[1] = line("A" + H[:19], 2, x=LEFT + 0.2 * EM, spacing=-(0.2 * EM + 0.25 * EM) / 19)
    assert [v[0] for v in found(lines) if v[0] in ("indent", "gap")] == ["gap"]


def test_loose_lines_add_more_than_half_an_em():
    def loose(text, extra):
        gap = extra * EM
        first = chars(text[:2], LEFT, TOP)
        rest = chars(text[2:], first[-1].right + gap + (0.25 * EM if cjk.is_han(text[1]) != cjk.is_han(text[2]) else 0)
                     + (0.35 * EM if not cjk.is_cjk(text[1]) and not cjk.is_cjk(text[2]) else 0),     # a word space
                     TOP)
        return [d.split(", at ")[0] for d in typography._loose(pdfchars.Line(1, first + rest))]
    assert loose(H[:6], 0.5) == [] and loose("ab" + H[:4], 0.5) == [] and loose("abcd", 0.5) == []
    assert loose(H[:6], 0.51) == [f"{H[1]}{H[2]}: 0.51 em added between two characters (at most 0.5 em)"]
    assert loose(H[:1] + "a" + "b" + H[:3], 0.6) == ["ab: 0.60 em added between two characters (at most 0.5 em)"]
    assert loose(H[:2] + "ab", 0.55) == [f"{H[1]}a: 0.55 em added between two characters (at most 0.5 em)"]
    # Two gaps as wide: the first is named.
    first = chars(H[:2], LEFT, TOP)
    second = chars(H[2:4], first[-1].right + 0.6 * EM, TOP)
    third = chars(H[4:6], second[-1].right + 0.6 * EM, TOP)
    assert [d.split(", at ")[0] for d in typography._loose(pdfchars.Line(1, first + second + third))] == [
        f"{H[1]}{H[2]}: 0.60 em added between two characters (at most 0.5 em)"]
    # A letter and a full-width mark: neither a quarter em nor a word space between them.
    assert loose(H[0] + "a，" + H[:2], 0.51) == ["a，: 0.51 em added between two characters (at most 0.5 em)"]
    # In a paragraph: a full line that is loose is named, its last line is not (it need not reach the edge).
    lines = para(78, 1)
    for row in (2, 4):
        y = lines[row - 1].y
        lines[row - 1] = pdfchars.Line(1, chars(H[:10], LEFT, y) + chars(H[10:20 if row == 2 else 18], LEFT + 10.6 * EM, y))
    assert found(lines, "loose") == [("loose", 1, "col 1, line 2", f"{H[9]}{H[10]}: 0.60 em added between two characters "
                                                                   f"(at most 0.5 em), at “…{H[4:10]} ␣ {H[10:20]}”: what "
                                                                   "follows the gap did not break; shorten or reword it")]


def test_han_latin_gaps_between_0_15_and_0_35_em_plus_three_times_the_spacing():
    def gaps(gap, spacing=0.0, em=EM, latin="ab"):
        first = chars(H[:4], LEFT, TOP, spacing=spacing, em=em)
        rest = chars(latin, first[-1].right + gap * em, TOP, em=em)
        return [d for rule, d in typography._marks(pdfchars.Line(1, first + rest)) if rule == "gap"]
    assert gaps(0.15) == [] and gaps(0.35) == []
    # At 10 pt the limits are exact (1.5 and 3.5 pt): both allowed.
    assert gaps(0.15, em=10.0) == [] and gaps(0.35, em=10.0) == [] and gaps(0.14, em=10.0) != []
    # The last pair of a line is checked too.
    assert gaps(0.14, latin="a") == [f"{H[3]}a: 0.14 em between Han and Latin, not 1/4 em"]
    assert gaps(0.14) == [f"{H[3]}a: 0.14 em between Han and Latin, not 1/4 em"]
    assert gaps(0.36) == [f"{H[3]}a: 0.36 em between Han and Latin, wider than 1/4 em"]
    # A justified line's Han spacing (here 0.1 em) widens what is allowed by three times as much.
    assert gaps(0.64, spacing=0.1 * EM) == [] and gaps(0.66, spacing=0.1 * EM) != []
    # A line set tighter than the grid (Han overlapping) allows no less.
    assert gaps(0.34, spacing=-0.05 * EM) == [] and gaps(0.36, spacing=-0.05 * EM) != []


def test_spacing_is_the_median_han_gap_and_never_below_zero():
    assert typography._spacing(pdfchars.Line(1, chars(H[:5], LEFT, TOP, spacing=0.3))) == pytest.approx(0.3)
    assert typography._spacing(pdfchars.Line(1, chars(H[:5], LEFT, TOP, spacing=-0.3))) == 0.0
    # A line with no two Han characters (录 and a URL sharing the slack) measures it between Latin letters.
    assert typography._spacing(pdfchars.Line(1, chars("abc", LEFT, TOP, spacing=0.3))) == pytest.approx(0.3)
    # Where two Han characters stand, only their gaps count: not the quarter em before a Latin letter.
    assert typography._spacing(line(H[:2] + "ab", 1)) == 0.0


def test_two_adjacent_marks_may_take_1_75_em_but_not_more():
    def compress(width):
        first = chars("他说。", LEFT, TOP)
        closing = chars("”", first[-1].x + width * EM - EM, TOP)
        return [d for rule, d in typography._marks(pdfchars.Line(1, first + closing + chars(H[:3], closing[0].right, TOP)))
                if rule == "compress"]
    assert compress(1.5) == [] and compress(1.75) == []
    assert compress(1.76) == ["。” takes 1.76 em, not 1.5 em"]
    # Two opening marks: the pair is named from its first.
    opening = chars(H[:2] + "“", LEFT, TOP)
    rest = chars("《" + H[:2], opening[-1].x + EM, TOP)
    assert [d for rule, d in typography._marks(pdfchars.Line(1, opening + rest)) if rule == "compress"] == [
        "“《 takes 2.00 em, not 1.5 em"]
    # A pair is measured to the next character: a closing pair set to 1.5 em, then half an em of space.
    first = chars("他说。", LEFT, TOP)
    closing = chars("”", first[-1].x + 0.5 * EM, TOP)
    after = chars(H[0], closing[0].right + 0.5 * EM, TOP)
    assert [d for rule, d in typography._marks(pdfchars.Line(1, first + closing + after)) if rule == "compress"] == [
        "。” takes 2.00 em, not 1.5 em"]
    # In a justified line, the spacing added after each of the two marks is not theirs (here 0.125 em).
    for width, broken in ((1.75, False), (1.875, True)):
        s = 0.125 * EM
        first = chars("他说。", LEFT, TOP, spacing=s)
        closing = chars("”", first[-1].x + (width - 1) * EM + s, TOP)
        after = chars(H[:2], closing[0].right + s, TOP, spacing=s)
        found_ = [d for rule, d in typography._marks(pdfchars.Line(1, first + closing + after)) if rule == "compress"]
        assert bool(found_) is broken, width
    # At the end of a line, the pair ends at its last mark's advance.
    first = chars("他说。", LEFT, TOP)
    assert [d for rule, d in typography._marks(pdfchars.Line(1, first + chars("”", first[-1].x + EM, TOP)))
            if rule == "compress"] == ["。” takes 2.00 em, not 1.5 em"]


def test_half_width_marks_next_to_han():
    marks = [d for rule, d in typography._marks(line(H[:2] + "," + "a,b" + "," + H[:1] + '"', 1)) if rule == "ascii-punct"]
    assert marks == ["half-width ',' in Chinese text", "half-width ',' in Chinese text",
                     "half-width '\"' in Chinese text"]
    assert [d for rule, d in typography._marks(line(",", 1)) if rule == "ascii-punct"] == []
    assert [d for rule, d in typography._marks(line("ab," + H[0], 1)) if rule == "ascii-punct"] == [
        "half-width ',' in Chinese text"]


def test_a_last_line_of_one_character_and_split_dashes():
    lines = para(38, 1) + [line(H[0] + "。", 3)]
    assert found(lines, "last-line") == [("last-line", 1, "col 1, line 3", "the paragraph's last line holds a single character")]
    lines = para(38, 1) + [line(H[:2] + "。", 3)]
    assert found(lines, "last-line") == []
    # Letters and digits count as characters too.
    assert found(para(38, 1) + [line("a2", 3)], "last-line") == [] and found(para(38, 1) + [line(H[0] + "a", 3)], "last-line") == []
    # Two lines are enough.
    lines = [line(H[:18], 1, x=LEFT + 2 * EM), line(H[0] + "。", 2)] + para(40, 3)
    assert found(lines, "last-line") == [("last-line", 1, "col 1, line 2", "the paragraph's last line holds a single character")]
    # One line alone is not a paragraph's last line of several.
    assert found([line(H[:18], 1, x=LEFT + 2 * EM)] + para(40, 2), "last-line") == []
    assert found([line(H[0] + "。", 1, x=LEFT + 2 * EM)] + para(40, 2), "last-line") == []
    lines = para(38, 1)
    lines[1] = line(H[:19] + "—", 2)
    lines.append(line("—" + H[:5], 3))
    assert found(lines, "line-start") == [("line-start", 1, "col 1, line 3", "—— is split across lines")]


def test_paragraph_spacing_between_the_tolerance_and_a_blank_line():
    def spaced(extra):
        first = para(40, 1)
        second = [pdfchars.Line(1, chars(b.text, b.x0, b.y - extra, spacing=0)) for b in para(40, 1 + len(first))]
        third = [pdfchars.Line(1, chars(b.text, b.x0, b.y - extra, spacing=0))
                 for b in para(40, 1 + len(first) + len(second))]
        # And a page 2: the step from p.1's foot to p.2's head is no pitch.
        return found(first + second + third + para(40, 1, page=2), "spacing")
    assert spaced(0.5) == [] and spaced(PITCH) == [] and spaced(PITCH - 0.01) != []
    assert spaced(0.51) == [("spacing", 1, "col 1, line 4", "0.5 pt extra space before the paragraph")]
    # Something between two paragraphs (a caption in the sans): their distance is not a pitch.
    first = para(40, 1)
    caption = pdfchars.Line(1, chars("图片说明", LEFT, first[-1].y - 8, face="Noto-Sans-SC"))
    second = [pdfchars.Line(1, chars(b.text, b.x0, b.y - 3)) for b in para(40, 4)]
    assert found(first + [caption] + second, "spacing") == []


def test_widows_and_orphans_at_column_heads_and_feet():
    # Page 1: a paragraph whose first line is the column's last; page 2: its lines, the last alone.
    lines = para(58, 1) + para(18, 4)[:1] + para(40, 1, page=2, first=False) + [line(H[:5], 3, page=2)]
    lines[3] = line(H[:18], 4, x=LEFT + 2 * EM)
    assert {v[0] for v in found(lines)} - {"widow", "orphan"} == set()
    assert found(lines, "orphan") == [("orphan", 1, "col 1, line 4", "the paragraph's first line stands alone at "
                                                                      "the foot of a column")]
    assert found(lines[:3] + para(38, 1, page=2) + [line(H[:5], 3, page=2)], "widow") == []
    # A paragraph of one line at the foot of p.1 and one at the head of p.2: neither widow nor orphan.
    alone = para(58, 1) + [line(H[:10], 4, x=LEFT + 2 * EM)] + para(38, 1, page=2)
    assert found(alone, "widow") == found(alone, "orphan") == []
    # A paragraph of two lines, one on each page: orphan and widow both.
    split = para(58, 1) + [line(H[:18], 4, x=LEFT + 2 * EM), line(H[:5], 1, page=2)] + para(38, 2, page=2)
    assert [v[:3] for v in found(split) if v[0] in ("widow", "orphan")] == [("orphan", 1, "col 1, line 4"),
                                                                          ("widow", 2, "col 1, line 1")]
    # Two lines of it on p.2, or two on p.1: no widow, no orphan.
    two = para(58, 1) + [line(H[:18], 4, x=LEFT + 2 * EM), line(H[:20], 1, page=2), line(H[:5], 2, page=2)]
    assert [v for v in found(two) if v[0] in ("widow", "orphan")] == [("orphan", 1, "col 1, line 4", "the paragraph's "
                                                                       "first line stands alone at the foot of a column")]
    two = para(38, 1) + [line(H[:18], 3, x=LEFT + 2 * EM), line(H[:20], 4), line(H[:5], 1, page=2)] + para(38, 2, page=2)
    assert [v[:3] for v in found(two) if v[0] in ("widow", "orphan")] == [("widow", 2, "col 1, line 1")]
    # A paragraph running from p.1 onto p.2 for one line only: its last line is a widow.
    widowed = para(58, 1) + para(38, 4) + [line(H[:5], 1, page=2)] + para(38, 2, page=2)
    assert found(widowed, "widow") == [("widow", 2, "col 1, line 1", "the paragraph's last line stands alone at "
                                                                     "the head of a column")]


def test_a_paragraph_not_indented_after_another():
    # After a line that is not body text (a caption in the sans), a paragraph set flush left.
    lines = para(38, 1) + [line("图片说明", 3, face="Noto-Sans-SC"), line(H[:20], 4), line(H[:10], 5)]
    assert found(lines, "indent") == [("indent", 1, "col 1, line 3", "the paragraph's first line is not indented 2 em")]
    # The first line of the text, or of a column, need not be.
    assert found(para(40, 1, first=False), "indent") == []


def test_a_sub_heading_must_stand_right_above_the_text_it_heads():
    def heading(em=EM, drop=1.0, color=(0, 0, 0), text="小标题", x=LEFT):
        head = line(text, 3, x=x, face=HEADING, em=em, color=color)
        body = [pdfchars.Line(1, chars(b.text, b.x0, head.y - drop * em - (n * PITCH), spacing=0))
                for n, b in enumerate(para(40, 1))]
        return [v[0] for v in found(para(38, 1) + [head] + body, "heading")]
    assert heading() == [] and heading(drop=3.99) == []
    assert heading(drop=4.0) == ["heading"] and heading(drop=0.0) == ["heading"]
    # Beside its text, touching it at either end (the text's first line is indented 2 em): apart.
    assert heading(x=RIGHT) == ["heading"] and heading(x=LEFT - EM) == ["heading"]
    assert heading(drop=0.05) == []             # even half a point above its text, it is right above it
    # Not sub-headings: bigger than 1.2 × the body, grey, or digits (folios).
    assert heading(em=1.2 * EM, drop=5) == ["heading"] and heading(em=1.21 * EM, drop=5) == []
    assert heading(color=(128, 128, 128), drop=4.0) == [] and heading(text="12", drop=4.0) == []
    # What follows a sub-heading is the next line in the body face or the bold sans, not a caption or a folio.
    head = line("小标题", 3, face=HEADING)
    caption = line("图片说明", 4, face="Noto-Sans-SC")
    folio = line("12", 4)
    far = [pdfchars.Line(1, chars(b.text, b.x0, b.y - 10 * EM)) for b in para(40, 5)]
    assert [v[0] for v in found(para(38, 1) + [head, caption] + far, "heading")] == ["heading"]
    assert [v[0] for v in found(para(38, 1) + [head, folio] + far, "heading")] == ["heading"]
    head = line("小标题", 1, face=HEADING)
    assert [v.rule for v in typography.violations(para(40, 2) + [head])] == ["heading"]
    assert [v.rule for v in typography.violations([head] + [line(H[:5], 1, page=2)])] == []


# ---------- pages rendered by WeasyPrint ----------

BAD = {
    # A ragged line: the comma cannot start line 2, and nothing stretches line 1.
    "justify": (f'<p style="text-align: left">{H[:18]}，{H[18:40]}{H[:40]}。</p>', {}),
    "line-start": (f"<p>{H[:18]}<br>，{H[18:40]}。</p>", {}),
    "line-end": (f"<p>{H[:17]}“<br>{H[17:40]}”。</p>", {}),
    "last-line": (f"<p>{H[:38]}<br>{H[38]}。</p>", {}),
    "ascii-punct": (f"<p>{H[:10]},{H[10:20]}.</p>", {}),
    "compress": (f"<p>他说：“好。”{H[:10]}</p>", {}),
    "gap": (f"<p>{H[:5]}2023{H[5:10]}</p>", {}),
    "indent": (f"<p>{H[:60]}</p><p style='text-indent: 1em'>{H[:60]}</p>", {}),
    "spacing": (f"<p>{H[:60]}</p><p style='margin-top: 4pt'>{H[:60]}</p>", {}),
    # Five lines to a page: six lines of a paragraph leave its last alone on page 2.
    "widow": (f"<p style='widows: 1'>{H[:18]}{H[:20] * 5}</p>", {"height": 5}),
    # A four-line paragraph, then one whose first line is alone at the foot of page 1.
    "orphan": (f"<p>{H[:18]}{H[:20] * 3}</p><p style='orphans: 1'>{H[:18]}{H[:20] * 2}</p>", {"height": 5}),
    "heading": (f"<p>{H[:18]}{H[:40]}</p><h3 style='break-after: page'>小标题</h3><p>{H[:18]}{H[:40]}</p>",
                {"height": 5}),
}


# Where each fixture breaks its rule, from how it is built: a 20-em column holds 20 characters,
# 18 on a paragraph's first (indented) line, 5 lines to a page where a height is given.
# rule: {(page, where, start of the line's text)}; a rule broken twice on a line: (…, what is named)
WHERE = {
    "justify": {(1, "col 1, line 1", H[:17])},                   # H[17] goes down with the comma
    "line-start": {(1, "col 1, line 2", "，" + H[18:20])},
    "line-end": {(1, "col 1, line 1", H[:17] + "“")},
    "last-line": {(1, "col 1, line 3", H[38] + "。")},             # 18 + 20 characters, then the break
    "ascii-punct": {(1, "col 1, line 1", H[:10]), (1, "col 1, line 2", H[17:20])},
    "compress": {(1, "col 1, line 1", "他说", "：“"), (1, "col 1, line 1", "他说", "。”")},
    "gap": {(1, "col 1, line 1", H[:5], "宇2"), (1, "col 1, line 1", H[:5], "3宙")},
    "indent": {(1, "col 1, line 5", H[:19])},                     # 60 characters take 4 lines
    "spacing": {(1, "col 1, line 5", H[:18])},
    "widow": {(2, "col 1, line 1", H[:20])},                      # lines 1-5 on p.1, the 6th alone
    "orphan": {(1, "col 1, line 5", H[:18])},                     # 4 lines, then the next one's first
    "heading": {(1, "sub-heading", "小标题")},
}


@pytest.mark.parametrize("rule", sorted(BAD))
def test_each_rule_is_caught_on_the_line_that_breaks_it(tmp_path, rule):
    body, page = BAD[rule]
    found = [v for v in check(tmp_path, body, **page) if v.rule == rule]
    expected = WHERE[rule]
    assert len(found) == len(expected), [str(v) for v in found]
    for v in found:
        place = next((w for w in expected if (v.page, v.where) == w[:2] and v.detail.startswith(w[3:] or ("",))),
                     None)
        assert place and v.text.startswith(place[2]), str(v)
        assert str(v).startswith(f"p.{place[0]} {place[1]}: {rule}: ")
        expected = expected - {place}


def test_split_dashes_are_caught(tmp_path):
    found = check(tmp_path, f"<p>{H[:17]}—<br>—{H[17:40]}。</p>")
    assert any(v.rule == "line-start" and "——" in v.detail for v in found)


def test_the_same_pages_set_by_the_text_stage_and_css_pass(tmp_path):
    good = {
        "justify": H[:18] + "，" + H[18:40] + "。",
        "ascii-punct": H[:10] + "," + H[10:20] + ".",
        "compress": "他说：“好。”" + H[:10],
        "gap": H[:5] + "2023" + H[5:10],
        "paragraphs": H[:30] + "\n\n" + H[:30],
    }
    for name, source in good.items():
        assert check(tmp_path, t.markdown(source)) == [], name
    # Widows, orphans and headings: the stylesheet keeps two lines together and a heading with its text.
    assert check(tmp_path, t.markdown(H[:18] + H[:20] * 5), height=5) == []
    assert check(tmp_path, t.markdown(H[:18] + H[:20] * 3 + "\n\n" + H[:18] + H[:20] * 2), height=5) == []
    assert check(tmp_path, t.markdown(H[:18] + H[:20] * 3 + "\n\n### 小标题\n\n" + H[:18] + H[:20]),
                 height=5) == []


def test_name_lists_centred_in_cells_are_not_body_text(tmp_path):
    names = "".join(f"<li>{n}</li>" for n in ("卢刚", "刘明", "刘海天（女）", "刘颖（女）", "姜彦江", "惠观涛"))
    body = f"<ul style='list-style: none; column-count: 3; text-align: center; padding: 0'>{names}</ul>"
    assert check(tmp_path, body) == []


def test_the_command_checks_a_pdf_and_lists_what_it_finds(tmp_path):
    bad = t.render_pdf(tmp_path / "bad.pdf", t.page(BAD["line-start"][0]))
    proc = run_cli("check", "--typography", bad)
    assert proc.returncode == 1
    assert "typography: p.1 col 1, line 2: line-start: starts with ，" in proc.stdout
    good = t.render_pdf(tmp_path / "good.pdf", t.page(t.markdown(H[:18] + "，" + H[18:40] + "。")))
    proc = run_cli("check", "--typography", good)
    assert proc.returncode == 0 and "0 violations" in proc.stdout
    proc = run_cli("check", "--typography", tmp_path / "missing.pdf")
    assert proc.returncode == 2 and "missing.pdf" in proc.stderr and "Traceback" not in proc.stderr


def test_an_issue_checked_part_by_part_finds_what_the_whole_file_shows(tmp_path):
    # Part B alone has no frame set justified: its flush-left paragraph after a caption is not
    # body text there. Part A sets the same measure justified, so in the issue it is, and breaks
    # the indent rule; the check of B is told so by A.
    a = t.render_pdf(tmp_path / "a.pdf", t.page(t.markdown(H[:18] + H[:20] * 3 + "\n\n" + H[:30] + ",")))
    b = t.render_pdf(tmp_path / "b.pdf", t.page(
        f"<p>{H[:10]}</p><p style='font-family: Noto Sans SC'>图片说明</p><p style='text-indent: 0'>{H[:30]}</p>"))
    whole = pikepdf.new()
    for path in (a, b):
        whole.pages.extend(pikepdf.open(path).pages)
    whole.save(tmp_path / "issue.pdf")
    parts = [Part(a, [{}], "a"), Part(b, [{}], "b")]
    kept, computed = {}, []

    def remember(part, name, compute):
        if (part.key, name) not in kept:
            computed.append((part.key, name))
            kept[part.key, name] = json.loads(json.dumps(compute()))
        return kept[part.key, name]
    by_parts = typography.check_parts(parts, remember)
    assert [str(v) for v in by_parts] == [str(v) for v in typography.check(tmp_path / "issue.pdf")]
    assert ("indent", 2) in {(v.rule, v.page) for v in by_parts}
    assert [v.rule for v in typography.check(b)] == []
    # B is checked twice: alone, then with A's measure; A once.
    assert computed[:2] == [("a", "typography"), ("b", "typography")]
    assert [(k, n.startswith("typography-")) for k, n in computed[2:]] == [("b", True)]
    # Checked again, as an edit's build does: every part's result is remembered, no PDF is read.
    a.unlink(), b.unlink()
    assert typography.check_parts(parts, remember) == by_parts


def test_english_sentences_quoted_in_chinese_keep_their_half_width_marks(tmp_path):
    # The third issue: “…we are selling the Harbin winter.” and “Data is the new oil, but only if
    # you refine it.”, set by the text stage and read back from the PDF: a period or comma in a run
    # of Latin words is right; the same marks between Han characters are still reported.
    from .. import typeset as t
    source = (f"{H[:6]}“Data is the new oil, but only if you refine it.”{H[6:20]}。"
              f"{H[20:30]}说：“we are selling the Harbin winter.”{H[30:40]}，"
              f"{H[40:44]}“ice and snow.”{H[44:50]}。")
    for width in (20, 26):       # the sentences wrapped at other places: “winter.” may start a line
        pdf = t.render_pdf(tmp_path / f"english{width}.pdf", t.page(t.markdown(source), width=width))
        assert [str(v) for v in typography.check(pdf) if v.rule == "ascii-punct"] == [], width
    bad = t.render_pdf(tmp_path / "bad.pdf", t.page(f"<p>{H[:10]}.{H[10:30]}GPS.{H[30:60]}</p>"))
    assert [v.detail for v in typography.check(bad) if v.rule == "ascii-punct"] == [
        "half-width '.' in Chinese text"] * 2


def test_a_lead_in_and_the_numbered_list_it_introduces_are_set_properly(tmp_path):
    # The third issue's p.5: 委员们提出了以下几点建议： then items that wrap. Each item is a paragraph
    # of its own, starting beside its number (not indented), and the lead-in is not read as the
    # items' first line: no `justify` on an item's short last line, no `indent` on an item.
    source = ("委员们提出了以下几点建议：\n\n"
              "1. 推动冰雪旅游与文化、体育、康养深度融合，打造一批四季可游的精品线路；\n"
              "2. 加快冰雪装备产业园区建设，力争到2025年产值突破30亿元；\n"
              "3. 完善冬季公共交通和应急保障体系，提升游客满意度。\n\n"
              "以上建议得到了有关部门的积极回应，相关工作正在有序推进之中，委员们将持续跟踪。")
    pdf = t.render_pdf(tmp_path / "list.pdf", t.page(t.markdown(source), width=24))
    lines = [line.text for line in t.body_lines(pdf)]
    assert "造一批四季可游的精品线路；" in lines and "值突破30亿元；" in lines     # the items wrap
    assert typography.check(pdf) == []
