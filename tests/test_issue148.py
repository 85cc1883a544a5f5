"""Issue 148 end to end: built through the command line, checked from the PDF's bytes."""
import json
import re

import pypdf
import pypdfium2
import yaml

from periodical.compose import fit
from periodical.model.load import load_issue

from . import manuscript, pdftext
from .conftest import ISSUE148


def meta():
    return yaml.safe_load((ISSUE148 / "issue.yaml").read_text(encoding="utf-8"))


def reader(issue148):
    return pypdf.PdfReader(str(issue148[0] / "print.pdf"))


def test_the_magazine_has_48_pages(issue148):
    assert len(reader(issue148).pages) == 48


def test_cli_reports_each_stage(issue148):
    _, proc = issue148
    for stage in ("load+text:", "render:", "check:"):
        assert stage in proc.stderr
    assert "48 pages" in proc.stdout


def test_masthead_facts_are_on_the_cover(issue148):
    cover = manuscript.norm(reader(issue148).pages[0].extract_text())
    m = meta()
    for fact in (m["publication"], f"总第{m['total']}期", m["notice"], m["permit"], m["cover"]["headline"]):
        assert manuscript.norm(fact) in cover


def test_colophon_facts_are_on_the_contents_page(issue148):
    page3 = manuscript.norm(reader(issue148).pages[2].extract_text())
    m = meta()
    for fact in ("印刷日期:2023年2月25日", f"印数:{m['print_run']}册", "期数:每月一期",
                 f"准印证号:{m['permit']}", "编辑委员会", "主任:王镜铭", "印刷单位:哈尔滨报达印务股份有限公司"):
        assert manuscript.norm(fact) in page3, fact


def front_matter():
    """Each article's front matter as the editor wrote it, in file-name order."""
    return [yaml.safe_load(f.read_text(encoding="utf-8").split("---")[1])
            for f in sorted((ISSUE148 / "articles").glob("*.md"))]


def printed_pages(path):
    """Each page's headlines, normalised as the manuscript is."""
    return [manuscript.norm(text) for text in pdftext.headlines(path)]


def test_each_contents_number_is_the_page_its_title_stands_on(issue148):
    # Both sides are read from the PDF: the number printed in the contents entry, and the first
    # page after the contents that prints the article's title as a headline (body text may quote
    # it). The plan (each article's `page`, from the printed magazine) must agree with both.
    archive = issue148[0] / "archive.pdf"
    pages, entries = printed_pages(archive), pdftext.contents_entries(archive)
    listed = [m for m in front_matter() if m.get("toc") is not False]
    assert len(entries) == len(listed) == 30
    for m in listed:
        shown = manuscript.norm(m.get("toc_title") or m["title"])
        [number] = [n for n, text, *_ in entries if manuscript.norm(text).startswith(shown)]
        assert number == pdftext.first_page_with(pages, manuscript.norm(m["title"]), start=4) == m["page"], m["title"]


def test_contents_numbers_rise_down_each_column_and_the_report_has_the_same(issue148):
    entries = pdftext.contents_entries(issue148[0] / "archive.pdf")
    in_reading_order = [e[0] for e in sorted(entries, key=lambda e: (round(e[2][0]), -e[2][1]))]
    assert in_reading_order == sorted(in_reading_order) and in_reading_order[0] == 4
    report = json.loads((issue148[0] / "report.json").read_text(encoding="utf-8"))
    assert [e["printed"] for e in report["contents"]] == in_reading_order


def test_every_manuscript_line_is_in_the_pdf(issue148):
    text = manuscript.norm(pdftext.body_text(issue148[0] / "print.pdf"))
    skipped = manuscript.not_carried()
    missing = [f"{n}: {line[:50]}" for n, line in manuscript.lines()
               if n not in skipped and manuscript.norm(line) not in text]
    assert missing == []


def test_each_article_prints_its_paragraphs_in_the_order_its_file_writes_them(issue148):
    # Read from the PDF's text, in the order it draws it (column by column): each paragraph of
    # an article file is found after the one before it. Photos and quotes may move; text may not.
    text = manuscript.norm(pdftext.body_text(issue148[0] / "print.pdf", exact=True))
    checked = 0
    for path in sorted((ISSUE148 / "articles").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        paragraphs = [manuscript.norm(p)[:16] for p in re.split(r"\n\s*\n", body)
                      if len(p.strip()) > 40 and not re.match(r"\s*([#>|!-]|```|\d+\.)", p)]
        at = 0
        for probe in paragraphs:
            if probe not in text:
                continue                 # reworded in print (CORRECTIONS.md): the line test covers it
            found = text.find(probe, at)
            assert found >= 0, f"{path.name}: “{probe}” is printed before the paragraph written before it"
            at, checked = found + len(probe), checked + 1
    assert checked > 300


def test_only_the_declared_fonts_are_embedded(issue148):
    names = set()
    for page in reader(issue148).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(re.sub(r"^/[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"])))
    assert names == {"Noto-Serif-SC", "Noto-Serif-SC-Bold", "Noto-Sans-SC", "Noto-Sans-SC-Bold"}
    for page in reader(issue148).pages[:1]:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object().get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else font.get_object())["/FontDescriptor"]
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), "font not embedded"


def test_a_build_from_an_empty_cache_searches_the_photo_sizes_and_lands_every_article(issue148):
    # The fixture builds with an empty cache: every run with photos and a planned span is searched.
    _, proc = issue148
    runs = fit.to_search(load_issue(ISSUE148).articles)
    assert len(runs) >= 20
    assert f"fit: searching photo sizes for {len(runs)} runs of articles" in proc.stderr
    planned = [m for m in front_matter() if m.get("page")]
    assert f"{len(planned)}/{len(planned)} articles on their planned page" in proc.stdout
    assert "drift:" not in proc.stdout


def test_every_article_starts_on_the_page_its_title_is_printed_on_as_planned(issue148):
    # The title's page is read from the PDF, the plan from the article files: no report involved.
    pages = printed_pages(issue148[0] / "archive.pdf")
    pages[2] = ""                                   # the contents page lists every title
    for m in front_matter():
        assert pdftext.first_page_with(pages, manuscript.norm(m["title"]), start=2) == m["page"], m["title"]


def test_missing_photos_are_marked_and_reported(issue148):
    out, proc = issue148
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    fpo = [w for w in report["warnings"] if "FPO" in w]
    assert len(fpo) >= 30
    assert "FPO 图片待补" in reader(issue148).pages[3].extract_text()
    assert "warning:" in proc.stdout and "FPO" in proc.stdout


def test_the_body_text_passes_the_typesetting_checker(issue148):
    out, proc = issue148
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["typography"]["violations"] == 0, report["typography"]["list"][:20]
    assert "typography: 0 violations" in proc.stderr and "0 typesetting violations" in proc.stdout


def test_headlines_break_between_their_phrases_and_never_strand_a_character(issue148):
    out, _ = issue148
    pdf = pypdfium2.PdfDocument(str(out / "archive.pdf"))
    for a in json.loads((out / "report.json").read_text(encoding="utf-8"))["articles"]:
        # A title on one line keeps its space; broken, each phrase ends a line.
        lines = pdf[a["start"] - 1].get_textpage().get_text_range().replace(" ", "").split("\r\n")
        phrases = a["title"].split(" ")
        whole = "".join(phrases)
        at = next(n for n in range(len(lines)) if whole.startswith(lines[n]) and
                  "".join(lines[n:n + 4]).startswith(whole))
        title, joined = [], ""
        for line in lines[at:]:
            if joined == whole:
                break
            title.append(line)
            joined += line
        assert all(len(line) > 1 for line in title), (a["slug"], title)
        ends = {len("".join(phrases[:k])) for k in range(1, len(phrases) + 1)}
        widest = max(len(p) for p in phrases)
        if len(phrases) > 1 and widest < 24:                 # every phrase fits on a line
            assert all(len("".join(title[:k])) in ends for k in range(1, len(title) + 1)), (a["slug"], title)
