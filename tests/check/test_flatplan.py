"""The flatplan in report.json: articles, fill and warnings per page, read from the laid-out pages."""
import json
from types import SimpleNamespace

import pypdfium2
import weasyprint
from PIL import Image

from periodical.check import flatplan
from periodical.render import facts

from ..conftest import PARAGRAPH, run_cli, write_flow_issue

MM = 72 / 25.4


# ---------- fast: the flatplan of a few pages laid out here, and its rules on plain plans ----------

def render(tmp_path, body, size="100mm 120mm", margin="10mm"):
    html = f"<style>@page {{ size: {size}; margin: {margin} }} body {{ margin: 0 }} img {{ display: block }}</style>{body}"
    return weasyprint.HTML(string=html, base_url=tmp_path.as_uri() + "/").render()


def rendered(document, free, content_pages=None, filler_pages=0, slugs=("a", "b")):
    """The laid-out pages as a build hands them to the flatplan: their facts, read as a part is drawn."""
    return SimpleNamespace(pages=facts.pages(document.pages, slugs), free=free, filler_pages=filler_pages,
                           content_pages=len(document.pages) if content_pages is None else content_pages)


def test_the_pages_of_a_small_document_their_labels_articles_fill_and_photos(tmp_path):
    # 149 and 150 pixels across an inch: just below and at the 150 ppi floor; a vector image has no pixels.
    for name, width in (("soft.png", 149), ("sharp.png", 150)):
        Image.new("RGB", (width, 20), (60, 120, 60)).save(tmp_path / name)
    Image.new("RGB", (1, 1)).save(tmp_path / "dot.png")        # one pixel across one CSS pixel: 96 ppi
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                       '<rect width="10" height="10"/></svg>', encoding="utf-8")
    page = "<div style='break-before: page'>"
    document = render(tmp_path, f"""
        <div id="cover">封面</div>
        {page}<div id="a"><p>正文</p>
          <img src="soft.png" style="width: 1in">
          <img src="soft.png" style="width: 1in">
          <img src="sharp.png" style="width: 1in">
          <img src="logo.svg" style="width: 1in">
          <img src="sharp.png" style="width: 0">
          <img src="dot.png" style="width: 1px">
          <div class="fpo-box other"><span class="fpo-src">images/missing.jpg</span></div>
          <div class="fpo-boxes">not an FPO box</div></div></div>
        {page}<div id="b">第二篇</div><div id="a">又回到第一篇</div></div>
        {page}</div>
        {page}<div id="back-cover">封底</div></div>""")
    assert len(document.pages) == 5
    # The type area is 120 − 2 × 10 = 100 mm high: 25 mm free under the text fills it to 75 %.
    plan = flatplan.pages(rendered(document, {1: 0.0, 2: 25.0, 3: 100.0, 4: 100.0, 5: 60.0}, 4, 1),
                          [{"slug": "a", "planned": 2, "start": 2}, {"slug": "b", "planned": 3, "start": 3}])
    assert [p["page"] for p in plan] == [1, 2, 3, 4, 5]
    assert [p["label"] for p in plan] == ["cover", None, None, "blank", "back cover"]
    assert [p["articles"] for p in plan] == [[], ["a"], ["b", "a"], [], []]
    assert [p["fill"] for p in plan] == [1.0, 0.75, 0.0, 0.0, 0.4]
    # The FPO box is met twice, as its block and as its line: it is reported once.
    warnings = plan[1]["warnings"]
    assert warnings[:4] == [
        {"kind": "low-res", "article": "a", "message": "soft.png prints at 149 ppi (needs 150)"},
        {"kind": "low-res", "article": "a", "message": "soft.png prints at 149 ppi (needs 150)"},
        {"kind": "low-res", "article": "a", "message": "dot.png prints at 96 ppi (needs 150)"},
        {"kind": "FPO", "article": "a", "message": "photo missing: images/missing.jpg (FPO box)"}]
    # a goes on to p.3, and its column on p.2 ends well above the foot: a hole.
    assert [w["kind"] for w in warnings[4:]] == ["hole"] and plan[1]["columns"][0]["continues"]
    assert plan[3]["warnings"] == [{"kind": "blank", "article": None,
                                    "message": "blank page added to reach the planned page count"}]
    # a, planned for p.2 with b next on p.3, runs onto p.3 and ends high on it.
    assert plan[2]["warnings"] == [{"kind": "overrun", "article": "a", "message": "runs 1 page(s) past the 1 planned for it"},
                                   {"kind": "underfilled", "article": "a", "filled": 0.0,
                                    "message": "p.3 is only 0% filled: the article ends high on it"}]
    assert [c["column"] for p in plan for c in p["columns"]] == [1] * 5


def test_fill_stays_between_0_and_1(tmp_path):
    # More free space than the type area (free space is rounded to 0.1 mm) is an empty page, not less.
    document = render(tmp_path, "<p>一</p>")
    assert flatplan.pages(rendered(document, {1: 100.04}), [])[0]["fill"] == 0.0
    assert flatplan.pages(rendered(document, {1: 110.0}), [])[0]["fill"] == 0.0
    assert flatplan.pages(rendered(document, {1: 100.0 - 12.345}), [])[0]["fill"] == 0.12
    # A page with no free space recorded is empty; one whose margins leave no type area is full.
    assert flatplan.pages(rendered(document, {}), [])[0]["fill"] == 0.0
    flat = render(tmp_path, "<p></p>", size="100mm 20mm")
    assert flatplan.pages(rendered(flat, {1: 5.0}), [])[0]["fill"] == 1.0


def test_a_column_s_fill_keeps_three_decimals(tmp_path):
    # A photo 12.345 mm high at the head of a 100 mm type area, with nothing else: the column is
    # filled to 12.345 %, 0.123 in three decimals.
    Image.new("RGB", (20, 20)).save(tmp_path / "p.png")
    document = render(tmp_path, "<div id='a'><img src='p.png' style='height: 12.345mm; width: 10mm'></div>")
    [column] = flatplan.pages(rendered(document, {1: 0.0}), [{"slug": "a", "planned": None, "start": 1}])[0]["columns"]
    assert column == {"column": 1, "fill": 0.123, "continues": False}
    # The empty height under it, in tenths of a millimetre: 100 − 12.345 = 87.655 mm.
    assert facts.pages(document.pages, ["a"])[0]["free"] == 87.7


def test_a_hole_names_its_column_and_how_high_it_ends():
    columns = [{"column": 1, "fill": 1.0, "hole": False, "article": "a"},
               {"column": 2, "fill": 0.7, "hole": True, "article": "a"}]
    assert flatplan._holes(columns) == [{"kind": "hole", "article": "a", "message": "column 2 ends 30% of the "
                                         "type area above its foot, and the article goes on overleaf"}]


def plain(*articles_per_page, fill=1.0):
    return [{"page": n, "articles": list(a), "fill": fill, "warnings": []} for n, a in enumerate(articles_per_page, 1)]


def test_an_article_past_its_planned_pages_is_warned_on_each_page_beyond_them():
    plan = plain(["a"], ["a"], ["a", "b"], ["b"], ["c"], ["c", "d"], ["d"], ["d", "e"])
    articles = [{"slug": "a", "planned": 1}, {"slug": "b", "planned": 3}, {"slug": "x", "planned": None},
                {"slug": "c", "planned": 4}, {"slug": "c2", "planned": 4}, {"slug": "d", "planned": 6},
                {"slug": "e", "planned": 7}]
    flatplan._mark_overruns(plan, articles)
    assert {p["page"]: [(w["article"], w["message"]) for w in p["warnings"]] for p in plan if p["warnings"]} == {
        3: [("a", "runs 1 page(s) past the 2 planned for it")],      # b, planned on p.3, is next
        4: [("b", "runs 1 page(s) past the 1 planned for it")],      # the next planned (c) is on p.4
        # c has pp.4–5 (d is next, c2 shares its page) and stands on two pages; d has one and takes three.
        7: [("d", "runs 2 page(s) past the 1 planned for it")],
        8: [("d", "runs 2 page(s) past the 1 planned for it")]}     # e, the last, has no next to run into


def test_a_mostly_empty_page_is_warned_below_half_filled():
    plan = plain(["a"], ["a"], ["a", "b"], ["b"], [], ["c"], ["c"])
    for p, fill in zip(plan, (0.5, 0.49, 0.2, 0.1, 0.0, 0.3, 0.0)):
        p["fill"] = fill
    flatplan._mark_underfilled(plan)
    assert {p["page"]: [(w["article"], w["message"]) for w in p["warnings"]] for p in plan if p["warnings"]} == {
        2: [("a", "p.2 is only 49% filled: the article's text ends high on it and goes on overleaf "
                  "(a full-page photo?)")],
        3: [("b", "p.3 is only 20% filled: the article's text ends high on it and goes on overleaf "
                  "(a full-page photo?)")],
        4: [("b", "p.4 is only 10% filled: the article ends high on it")],
        6: [("c", "p.6 is only 30% filled: the article's text ends high on it and goes on overleaf "
                  "(a full-page photo?)")]}


def test_a_page_whose_columns_stop_short_of_the_deepest_is_underfilled_by_its_area():
    # A tall photo in the first column, three lines in the second: 71% deep, half of it empty.
    plan = plain(["a"], ["b"], ["c"], fill=0.71)
    plan[0]["columns"] = [{"column": 1, "fill": 0.708}, {"column": 2, "fill": 0.275}]
    plan[1]["columns"] = [{"column": 1, "fill": 0.71}, {"column": 2, "fill": 0.4}]     # 56%: not mostly empty
    flatplan._mark_underfilled(plan)
    assert [(p["page"], w["filled"], w["message"]) for p in plan for w in p["warnings"]] == [
        (1, 0.49, "p.1 is only 49% filled: the article ends high on it")]


# ---------- the flatplan of built issues ----------

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
    with open(issue / "issue.yaml", "a", encoding="utf-8") as f:
        f.write("cover:\n  headline: 封面\n  image: {src: images/cover-missing.jpg}\n")
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    plan, start = report["flatplan"], {a["slug"]: a["start"] for a in report["articles"]}

    assert [p["page"] for p in plan] == list(range(1, report["pages"] + 1))
    for slug, page in start.items():
        assert slug in plan[page - 1]["articles"]
    assert on(plan, "FPO") == {(start["03-opening"], "03-opening"), (1, None)}     # the cover's, on p.1
    # 40 pixels across a column is far below print resolution; 2400 pixels is not.
    assert on(plan, "low-res") == {(start["04-report"], "04-report")}
    assert "images/small.png" in str(plan[start["04-report"] - 1]["warnings"])
    fillers = range(report["content_pages"], report["content_pages"] + report["filler_pages"])
    assert report["filler_pages"] and {p for p, _ in on(plan, "blank")} == set(fillers)
    assert plan[-1]["label"] == "back cover" and plan[0]["label"] == "cover"
    # A page an article ends high on says so, when the next article starts overleaf.
    low = {(p["page"], p["articles"][-1]) for p, nxt in zip(plan, plan[1:])
           if p["articles"] and flatplan.covered(p) < flatplan.LOW_FILL and p["articles"][-1] not in nxt["articles"]}
    assert (start["06-closing"], "06-closing") in low
    assert on(plan, "underfilled") == low
    # The command line names each of them for the editor: the cover's missing photo too, and the
    # low-resolution photo by page and by its article's file.
    lines = proc.stdout.splitlines()
    assert ("warning: issue.yaml: cover.image: FPO: image file images/cover-missing.jpg is missing; "
            "a marked box stands in its place") in lines
    low_res = [w["message"] for w in plan[start["04-report"] - 1]["warnings"] if w["kind"] == "low-res"]
    assert low_res[0].startswith("images/small.png prints at ")
    assert [line for line in lines if ": low-res: " in line] == [f"page {start['04-report']}: low-res: 04-report.md: {low_res[0]}"]


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
