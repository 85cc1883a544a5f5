"""Chinese lines as the renderer sets them: justified, broken by 避头尾, spaced and compressed.

Paragraphs go through the real text stage and WeasyPrint (patched by periodical.render.cjk_justify);
every assertion is on character positions read back from the PDF.
"""
import subprocess
import sys

import pytest

from periodical.check import typography
from periodical.text import cjk

from .. import typeset as t
from ..conftest import ROOT

H = t.HAN
EDGE = t.right_edge()


def lines_of(tmp_path, source, **page):
    return t.body_lines(t.render_pdf(tmp_path / "p.pdf", t.page(t.markdown(source), **page)))


def flush(line, edge=EDGE):
    return abs(typography.line_end(line, edge) - edge) <= 0.5


def test_a_line_short_of_a_comma_is_stretched_to_the_column_edge(tmp_path):
    # The 19th character is a comma: it may not start the second line, so the first line
    # gives up its last character and has a whole em of slack to spread.
    lines = lines_of(tmp_path, H[:18] + "，" + H[18:40] + "。")
    assert lines[0].text == H[:17] and lines[1].text.startswith(H[17] + "，")
    assert flush(lines[0]) and flush(lines[1])
    gaps = [b.x - a.x for a, b in zip(lines[0].chars, lines[0].chars[1:])]
    assert max(gaps) - min(gaps) < 0.05 and min(gaps) > t.EM        # the slack is spread evenly


def test_every_full_line_of_a_long_mixed_paragraph_ends_on_the_edge(tmp_path):
    source = ("初心如磐担使命，砥砺奋进谱新篇。2022年，是党的二十大召开之年、实施“十四五”规划的关键之年。"
              "市政协围绕中心、服务大局，全年共征集提案832件，立案提案724件，占87%。其中，所提问题已经解决"
              "或基本解决的614件，占84.8%；PM2.5浓度下降了3.5%，成绩——来之不易……委员们说：“好。”"
              "《人民日报》报道了此事，“《新闻》”的评论说“一体两翼”“双促进”的工作机制行之有效。")
    for width in (17, 20, 26):
        lines = lines_of(tmp_path, source, width=width)
        assert len(lines) > 4
        assert all(flush(line, t.right_edge(width)) for line in lines[:-1]), \
            [(line.text, round(line.right - t.right_edge(width), 2)) for line in lines[:-1]]


def test_extracted_text_is_the_source_text(tmp_path):
    source = "市政协围绕中心、服务大局，征集提案832件，PM2.5浓度下降了3.5%，“一体两翼”“双促进”。" * 3
    lines = lines_of(tmp_path, source)
    assert "".join(line.text for line in lines) == source
    assert " " not in "".join(line.text for line in lines)


def test_no_line_starts_or_ends_with_a_forbidden_mark(tmp_path):
    for mark in cjk.NO_LINE_START:
        lines = lines_of(tmp_path, H[:18] + mark + H[18:40])
        assert all(line.text[0] not in cjk.NO_LINE_START for line in lines), mark
    for mark, close in zip("“‘（《〈「『【〔〖［｛", "”’）》〉」』】〕〗］｝"):
        lines = lines_of(tmp_path, H[:17] + mark + H[17:21] + close + H[21:40])
        assert all(line.text[-1] not in cjk.NO_LINE_END for line in lines), mark


def test_a_line_may_break_before_an_opening_quote(tmp_path):
    # Pango (UAX #14 QU) keeps “ with the character before it; clreq allows the break there.
    lines = lines_of(tmp_path, H[:17] + "“" + H[17:21] + "”" + H[21:40])
    assert lines[0].text == H[:17] and lines[1].text.startswith("“")
    assert flush(lines[0])


@pytest.mark.parametrize("pair", ["——", "……"])
def test_dashes_and_ellipses_are_never_split(tmp_path, pair):
    for at in (16, 17, 18):
        lines = lines_of(tmp_path, H[:at] + pair + H[at:40])
        for a, b in zip(lines, lines[1:]):
            assert not (a.text.endswith(pair[0]) and b.text.startswith(pair[1])), (at, a.text, b.text)
        assert all(flush(line) for line in lines[:-1])


def test_a_paragraph_never_ends_with_a_one_character_line(tmp_path):
    # 18 + 20 characters fill two lines: the 39th would stand alone on the third.
    for end in ("。", "”。", "2。"):
        lines = lines_of(tmp_path, H[:39] + end)
        last = lines[-1].text
        assert sum(cjk.is_han(ch) or ch.isalnum() for ch in last) >= 2, last
        assert all(flush(line) for line in lines[:-1])


def test_adjacent_marks_take_one_and_a_half_em(tmp_path):
    line, = lines_of(tmp_path, "他说：“好”，又见（完）《书》，看“《新闻》”", width=30)    # one line, not stretched
    chars, text = line.chars, line.text
    for pair in ("：“", "”，", "）《", "》，", "“《", "》”"):
        i = text.index(pair)
        end = chars[i + 2].x if i + 2 < len(chars) else chars[i + 1].right
        assert end - chars[i].x == pytest.approx(1.5 * t.EM, abs=0.05), pair


def test_han_and_latin_are_a_quarter_em_apart_but_not_at_line_edges(tmp_path):
    line = lines_of(tmp_path, "在2023年和PM2.5之间")[0]
    chars = line.chars
    for i, (a, b) in enumerate(zip(chars, chars[1:])):
        if cjk.is_han(a.ch) != cjk.is_han(b.ch):
            assert b.x - a.right == pytest.approx(t.EM / 4, abs=0.05), a.ch + b.ch
    # A run of digits that starts a line starts on the column's edge: 18 Han fill the first line.
    lines = lines_of(tmp_path, H[:18] + "2023" + H[18:40])
    assert lines[1].text.startswith("2023") and lines[1].x0 == pytest.approx(t.MARGIN, abs=0.05)
    assert flush(lines[0])
    # One that ends a line ends on the edge: 15 Han, the gap and 2023 leave no room for a 16th.
    lines = lines_of(tmp_path, H[:15] + "2023" + H[15:40])
    assert lines[0].text.endswith("2023") and flush(lines[0])


def test_the_first_line_is_indented_two_em(tmp_path):
    lines = lines_of(tmp_path, H[:30] + "\n\n" + H[30:60])
    starts = [line for line in lines if line.text[0] in (H[0], H[30])]
    assert [round(line.x0 - t.MARGIN, 2) for line in starts] == [2 * t.EM, 2 * t.EM]


def test_the_fixture_paragraphs_pass_the_checker(tmp_path):
    source = (H[:18] + "，" + H[18:40] + "。\n\n" + H[:17] + "“" + H[17:21] + "”" + H[21:40] + "。\n\n"
              + H[:16] + "——" + H[16:38] + "2023年" + H[38:50] + "……" + H[:39] + "。")
    pdf = t.render_pdf(tmp_path / "p.pdf", t.page(t.markdown(source)))
    assert typography.check(pdf) == []


def test_the_patch_refuses_another_weasyprint_version():
    code = "import weasyprint; weasyprint.__version__ = '71.0'; import periodical.render.cjk_justify"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "WeasyPrint 70.0" in proc.stderr and "71.0 is installed" in proc.stderr
