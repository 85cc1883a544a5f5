"""The flatplan in report.json: articles, fill and warnings per page, read from the laid-out pages."""
import json

import pypdfium2
from PIL import Image

from periodical.check import flatplan

from ..conftest import PARAGRAPH, run_cli, write_flow_issue

MM = 72 / 25.4


def build(issue, out):
    proc = run_cli("build", issue, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def text_fill(pdf, top_mm=22, bottom_mm=20):
    """{page: share of the type area above its lowest character}, read with pdfium."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        fill = {}
        for n in range(len(doc)):
            top, bottom = doc[n].get_height() - top_mm * MM, bottom_mm * MM
            textpage = doc[n].get_textpage()
            lows = [textpage.get_charbox(i)[1] for i in range(textpage.count_chars())
                    if textpage.get_text_range(i, 1).strip() and bottom < textpage.get_charbox(i)[1] < top]
            fill[n + 1] = (top - min(lows)) / (top - bottom) if lows else 0.0
        return fill
    finally:
        doc.close()


def on(plan, kind):
    return {(p["page"], w["article"]) for p in plan for w in p["warnings"] if w["kind"] == kind}


def test_flatplan_places_articles_and_warnings_on_their_pages(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    Image.new("RGB", (2400, 1800), (60, 120, 60)).save(issue / "images" / "large.png")
    views = issue / "articles" / "05-views.md"
    views.write_text(views.read_text(encoding="utf-8").replace(
        "page: 5\n", "page: 5\nimages:\n  - {src: images/large.png, size: column}\n"), encoding="utf-8")
    report = build(issue, tmp_path / "out")
    plan, start = report["flatplan"], {a["slug"]: a["start"] for a in report["articles"]}

    assert [p["page"] for p in plan] == list(range(1, report["pages"] + 1))
    for slug, page in start.items():
        assert slug in plan[page - 1]["articles"]
    assert on(plan, "FPO") == {(start["03-opening"], "03-opening")}
    # 40 pixels across a column is far below print resolution; 2400 pixels is not.
    assert on(plan, "low-res") == {(start["04-report"], "04-report")}
    assert "images/small.png" in str(plan[start["04-report"] - 1]["warnings"])
    fillers = range(report["content_pages"], report["content_pages"] + report["filler_pages"])
    assert report["filler_pages"] and {p for p, _ in on(plan, "blank")} == set(fillers)
    assert plan[-1]["label"] == "back cover" and plan[0]["label"] == "cover"
    # A page an article ends high on says so, when the next article starts overleaf.
    low = {(p["page"], p["articles"][-1]) for p, nxt in zip(plan, plan[1:])
           if p["articles"] and p["fill"] < flatplan.LOW_FILL and p["articles"][-1] not in nxt["articles"]}
    assert (start["06-closing"], "06-closing") in low
    assert on(plan, "underfilled") == low


def test_an_article_too_long_for_its_page_is_an_overrun_and_fills_its_first_page(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    report_file = issue / "articles" / "04-report.md"
    report_file.write_text(report_file.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n" * 80, encoding="utf-8")
    report = build(issue, tmp_path / "out")
    plan = report["flatplan"]
    pages = [p["page"] for p in plan if "04-report" in p["articles"]]

    assert len(pages) > 1
    assert plan[pages[0] - 1]["fill"] > flatplan.LOW_FILL
    # Fill, measured on the PDF: from the type area's top (22 mm down, magazine.css) to the lowest
    # character, over the type area's height (285 mm less 22 and 20), on pages of text alone.
    measured = text_fill(tmp_path / "out" / "archive.pdf")
    text_only = [p for p in plan if p["label"] is None and not {"FPO", "low-res"} & {w["kind"] for w in p["warnings"]}]
    assert len(text_only) >= 3
    for p in text_only:
        assert abs(p["fill"] - measured[p["page"]]) < 0.02, (p["page"], p["fill"], measured[p["page"]])
    assert on(plan, "overrun") == {(p, "04-report") for p in pages[1:]}
    assert next(a for a in report["articles"] if a["slug"] == "05-views")["drift"] == len(pages) - 1
