"""The badges on the static preview's pages, against where the PDF prints each article."""
import re

from .. import pdftext
from ..check.test_drift import headline_pages
from ..conftest import PARAGRAPH, run_cli, write_flow_issue


def badges(out):
    """{page number: [badge kinds]} from the preview's index.html."""
    html = (out / "preview" / "index.html").read_text(encoding="utf-8")
    pages = {}
    for number, figure in re.findall(r'id="page-(\d+)"(.*?)</figure>', html, re.S):
        pages[int(number)] = re.findall(r'data-kind="([^"]+)"', figure)
    return pages


def build(issue, out):
    proc = run_cli("build", issue, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return badges(out), headline_pages(out / "archive.pdf"), pdftext.pages_text(out / "archive.pdf")


def test_missing_photos_low_resolution_and_blank_pages_are_badged_where_they_print(tmp_path):
    shown, at, text = build(write_flow_issue(tmp_path / "2024-03"), tmp_path / "out")
    assert "FPO" in shown[at["03-opening"]] and "FPO图片待补" in text[at["03-opening"] - 1]
    assert "low-res" in shown[at["04-report"]]
    # Filler pages: after the last article, before the back cover, nothing but the folio printed.
    fillers = [n for n in range(max(at.values()) + 1, len(text)) if not re.sub(r"\d", "", text[n - 1])]
    assert fillers and [n for n, kinds in shown.items() if "blank" in kinds] == fillers
    assert sum(kinds.count("FPO") for kinds in shown.values()) == 1
    assert [n for n, kinds in shown.items() if "low-res" in kinds] == [at["04-report"]]


def test_overrun_drift_and_a_page_under_half_full_are_badged_where_they_print(tmp_path):
    issue = write_flow_issue(tmp_path / "2024-03")
    report = issue / "articles" / "04-report.md"
    report.write_text(report.read_text(encoding="utf-8") + f"\n{PARAGRAPH}\n" * 80, encoding="utf-8")
    shown, at, _ = build(issue, tmp_path / "out")
    assert at["05-views"] > 5
    assert [n for n, kinds in shown.items() if "overrun" in kinds] == list(range(5, at["05-views"]))
    assert [n for n, kinds in shown.items() if "drift" in kinds] == [at["05-views"], at["06-closing"]]
    underfilled = re.findall(r'data-kind="underfilled"[^>]*>(\d+)% full<', (tmp_path / "out" / "preview" /
                                                                              "index.html").read_text(encoding="utf-8"))
    assert underfilled and all(int(p) < 50 for p in underfilled)
