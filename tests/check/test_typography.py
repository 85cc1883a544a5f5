"""The typesetting checker: each rule caught on a page that breaks it, silent on one that keeps it.

The bad pages are written as raw HTML, without the text stage's spans, so they show what the
layout looks like when a rule is not kept; the good ones go through the text stage.
"""
import pytest

from periodical.check import typography

from .. import typeset as t
from ..conftest import run_cli

H = t.HAN


def check(tmp_path, body, **page):
    return typography.check(t.render_pdf(tmp_path / "p.pdf", t.page(body, **page)))


def rules(violations):
    return {v.rule for v in violations}


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
