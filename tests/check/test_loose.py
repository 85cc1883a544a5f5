"""Loose lines: a justified line may add at most 0.5 em between two characters.

A run of code with no break opportunity, pushed whole to the next line, leaves the line before
it stretched: the checker reports it (`loose`), and the text stage's span.long lets the run
break so the line is filled instead.
"""
import pypdfium2

from periodical.check import typography

from .. import typeset as t
from ..render.photo_issue import CODE_RUN, photo_build  # noqa: F401  (photo_build is a fixture)

CODE = "http_requests_total_jobs"          # 24 characters, 12 em: does not fit after 8 Han characters


def test_a_line_stretched_before_an_unbreakable_run_is_caught_with_page_column_and_line(tmp_path):
    bad = t.render_pdf(tmp_path / "bad.pdf", t.page(f"<p>{t.HAN[:8]}{CODE}{t.HAN[14:60]}</p>"))
    loose = [v for v in typography.check(bad) if v.rule == "loose"]
    assert [(v.page, v.where) for v in loose] == [(1, "col 1, line 1")]
    assert "em added between two characters" in loose[0].detail


def test_the_same_run_set_by_the_text_stage_breaks_and_no_line_is_loose(tmp_path):
    good = t.render_pdf(tmp_path / "good.pdf", t.page(t.markdown(f"{t.HAN[:8]}{CODE}{t.HAN[14:60]}")))
    assert typography.check(good) == []
    lines = [line.text for line in t.body_lines(good)]
    assert any(line.startswith(t.HAN[:8] + CODE[:4]) for line in lines)     # the run starts on line 1


def test_the_photo_issue_with_a_40_character_code_run_has_no_loose_line(photo_build):  # noqa: F811
    _, out, report = photo_build
    assert len(CODE_RUN) == 40
    assert report["typography"]["violations"] == 0
    assert typography.check(out / "print.pdf") == []
    pdf = pypdfium2.PdfDocument(str(out / "print.pdf"))
    text = "".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    assert CODE_RUN[:20] in text.replace("\r", "").replace("\n", "")


# The third issue's p.5: 登录 and a URL in a 26-em column. Before span.long could break on its first
# line (cjk_justify.split_inline_box), the URL went whole to the next line but one and 录 stood
# alone at the line's start, ~2 em from the URL; the extractor cut the line at that gap. The gap
# is made here by a margin, as WeasyPrint's overrun made it then.
URL_PARAGRAPH = ("哈尔滨国际冰雪节已连续举办39届，“冰城夏都”的城市品牌享誉海内外。委员们表示，要用好“一届冰雪节，"
                 "带火一座城”的经验，讲好哈尔滨冰雪故事。相关信息可登录 https://www.harbin.gov.cn/col/col5/index.html 查询。")


def test_a_line_left_loose_before_a_url_is_reported_as_loose_with_the_characters_around_its_gap(tmp_path):
    gapped = URL_PARAGRAPH.replace("登录 https", '登录<span style="margin-left: 2em">https').replace(" 查询", "</span> 查询")
    pdf = t.render_pdf(tmp_path / "url.pdf", t.page(f"<p>{gapped}</p>", width=26))
    # The extractor cuts the line at its wide gap: 录 and the URL read as two lines.
    assert ["录", "https://www.harbin.gov.cn/col/col5/index.html"] == [
        line.text for line in t.body_lines(pdf) if line.text in ("录", "https://www.harbin.gov.cn/col/col5/index.html")]
    found = [v for v in typography.check(pdf) if v.where == "col 1, line 4"]
    assert [v.rule for v in found] == ["loose"], [str(v) for v in found]    # not `justify: ends -225 pt …`
    v = found[0]
    assert v.page == 1 and v.text.startswith("录https://www.harbin")
    assert v.detail.startswith("录h: ") and "at “录 ␣ https://www.…”" in v.detail


def test_the_url_set_by_the_text_stage_breaks_on_its_line_and_nothing_is_loose(tmp_path):
    pdf = t.render_pdf(tmp_path / "url.pdf", t.page(t.markdown(URL_PARAGRAPH), width=26))
    assert typography.check(pdf) == []
    # 录 and the URL on one line, its gap a quarter em and the line's slack shared by the URL's characters.
    assert any(line.text.startswith("录https://") for line in t.body_lines(pdf))
