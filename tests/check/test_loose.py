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
