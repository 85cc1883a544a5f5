"""Drift on purpose: a small issue whose articles cannot start on their planned pages.

Where each article really starts is read from the PDF (the page its headline is printed on),
the plan from the article files; the build's `drift:` lines must name both and the reason.
"""
import json

from .. import pdftext
from ..conftest import FLOW_ARTICLES, PARAGRAPH, run_cli, write_flow_issue

TITLES = {"03-opening": "开幕会隆重举行", "04-report": "常委会工作报告", "05-views": "建言献策", "06-closing": "闭幕会"}


def headline_pages(pdf):
    pages = pdftext.headlines(pdf)
    return {slug: pdftext.first_page_with(pages, title, start=2) for slug, title in TITLES.items()}


def edit(issue, name, old, new):
    path = issue / "articles" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_titles_are_the_fixture_s():
    assert all(f"title: {TITLES[name[:-3]]}\n" in text for name, text in FLOW_ARTICLES.items())


def test_an_article_pushed_back_by_the_one_before_is_reported_with_the_pages_it_ran_to(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    edit(issue, "04-report.md", f"{PARAGRAPH}\n", f"{PARAGRAPH}\n" + f"\n{PARAGRAPH}\n" * 80)
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    at = headline_pages(tmp_path / "out" / "archive.pdf")
    assert at["03-opening"] == 3 and at["04-report"] == 4 and at["05-views"] > 5
    drift = [line for line in proc.stdout.splitlines() if line.startswith("drift:")]
    assert drift[0] == (f"drift: 05-views starts on p.{at['05-views']}, planned p.5: pushed back: the material "
                        f"before it runs to p.{at['05-views'] - 1} (04-report, planned from p.4, laid out on "
                        f"pp.4–{at['05-views'] - 1})")
    assert drift[1].startswith(f"drift: 06-closing starts on p.{at['06-closing']}, planned p.6: pushed back: ")
    assert len(drift) == 2
    # The missing photo of 03-opening is a warning, not a drift or a problem.
    assert [line for line in proc.stdout.splitlines() if line.startswith(("warning:", "problem:"))] == [
        "warning: 03-opening.md: FPO: image file images/missing.jpg is missing; a marked box stands in its place"]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [(d["slug"], d["start"], d["drift"]) for d in report["drift"]] == [
        ("05-views", at["05-views"], at["05-views"] - 5), ("06-closing", at["06-closing"], at["06-closing"] - 6)]


def test_an_issue_with_no_article_in_its_contents_builds_without_a_contents_check(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    for name in FLOW_ARTICLES:
        edit(issue, name, "section:", "toc: false\nsection:")
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["contents"] == []


def test_an_article_pulled_forward_by_a_short_one_before_it_is_reported(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    edit(issue, "05-views.md", "page: 5\n", "page: 6\n")
    edit(issue, "06-closing.md", "page: 6\n", "page: 7\n")
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    at = headline_pages(tmp_path / "out" / "archive.pdf")
    assert at["04-report"] == 4 and at["05-views"] == 5
    assert (f"drift: 05-views starts on p.5, planned p.6: pulled forward: the material before it ends on p.4 "
            f"(04-report, planned from p.4, laid out on pp.4–4); its photos are not in yet") in proc.stdout
    assert "drift: 03-opening" not in proc.stdout and "drift: 04-report" not in proc.stdout


FOREWORD = f"""\
---
title: 以数字之力开新春之局
section: views
layout: speech
page: 2
---

{PARAGRAPH}
"""


def test_a_page_2_foreword_behind_the_contents_is_told_why_and_how_to_fix_it(tmp_path):
    # The third issue's speech-layout foreword, planned on p.2 and listed in the contents: the
    # contents page stands before the first article it lists, takes p.2 and puts it on p.3. The
    # message said "the pages before it (cover, contents) take a different number of pages".
    issue = write_flow_issue(tmp_path / "2024-03")
    (issue / "articles" / "02-foreword.md").write_text(FOREWORD, encoding="utf-8")
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert pdftext.first_page_with(pdftext.headlines(tmp_path / "out" / "archive.pdf"), "以数字之力开新春之局", start=2) == 3
    file = issue / "articles" / "02-foreword.md"
    drift = next(line for line in proc.stdout.splitlines() if line.startswith("drift: 02-foreword"))
    assert drift == ("drift: 02-foreword starts on p.3, planned p.2: the contents page is placed before the first "
                     f"article it lists, this one, and takes p.2: add `toc: false` to {file} (it is then not listed "
                     f"and the contents follows it), or plan it after the contents ({file}:5: page: 2 → page: 3)")
    # The first fix named works: unlisted, the foreword keeps p.2 and the contents follows it.
    edit(issue, "02-foreword.md", "page: 2\n", "page: 2\ntoc: false\n")
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert pdftext.first_page_with(pdftext.headlines(tmp_path / "out" / "archive.pdf"), "以数字之力开新春之局", start=2) == 2
    assert not [line for line in proc.stdout.splitlines() if line.startswith("drift: 02-foreword")]
