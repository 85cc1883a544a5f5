"""The contents page keeps to its planned page: its spacing is tightened when it would run over.

Issue 148's contents page is full to its colophon; with the Han–Latin gap in its entries, one
entry took a second line and the colophon moved to a page of its own, so every article after it
left its planned page. The fixture is a small planned issue whose colophon is grown until the
contents, as designed, takes two pages.
"""
import json

from periodical import build
from periodical.compose import compose, fit
from periodical.render import render

from ..conftest import FLOW_ARTICLES, MINIMAL_YAML, run_cli, write_flow_issue


def colophon_yaml(lines, pages=8):
    people = ", ".join(f"委员{n:03d}" for n in range(lines))
    return MINIMAL_YAML.replace("  - [主编, 张三]\n", f"  - [编辑委员会, [{people}]]\n") + f"pages: {pages}\n"


def contents_pages(issue_dir, spacing):
    issue, _ = build.prepare(issue_dir)
    html = compose.compose(issue, compose.Part("contents"), 2, spacing=spacing,
                           numbers={a.slug: a.page for a in issue.articles})
    return len(render.layout(html, issue.root, resources=build._resources(issue)).pages)


def overflowing(issue, spacing=1, pages=8):
    """Give the issue the fewest colophon lines that push its contents, at `spacing`, onto a
    second page (found by laying the contents out, not typed in)."""
    low, high = 0, 400                       # one page with `low` lines; two with `high`
    yaml = issue / "issue.yaml"
    yaml.write_text(colophon_yaml(high, pages), encoding="utf-8")
    assert contents_pages(issue, spacing) >= 2
    while high - low > 1:
        mid = (low + high) // 2
        yaml.write_text(colophon_yaml(mid, pages), encoding="utf-8")
        if contents_pages(issue, spacing) > 1:
            high = mid
        else:
            low = mid
    yaml.write_text(colophon_yaml(high, pages), encoding="utf-8")
    return issue


def test_a_contents_page_one_line_too_long_is_tightened_and_every_article_keeps_its_page(tmp_path):
    issue = overflowing(write_flow_issue(tmp_path / "2024-03"))
    assert contents_pages(issue, fit.CONTENTS_SPACING[-1]) == 1
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["drift"] == [] and report["problems"] == []
    assert [p["label"] for p in report["flatplan"][:3]] == ["cover", "contents", None]


def test_a_contents_page_no_spacing_can_save_is_named_as_the_reason_for_the_drift(tmp_path):
    # An inside-cover piece on p.2 before the contents (p.3): the report named it, "laid out on
    # pp.2–4", as if the piece had run on, when the contents had (issue 148's speech).
    issue = write_flow_issue(tmp_path / "2024-03")
    for name in FLOW_ARTICLES:
        path = issue / "articles" / name
        page = int(name[:2])
        path.write_text(path.read_text(encoding="utf-8").replace(f"page: {page}\n", f"page: {page + 1}\n"),
                        encoding="utf-8")
    (issue / "articles" / "02-inside.md").write_text(
        "---\ntitle: 卷首语\nsection: news\npage: 2\ntoc: false\n---\n\n卷首的话。\n", encoding="utf-8")
    overflowing(issue, fit.CONTENTS_SPACING[-1], pages=12)
    proc = run_cli("build", issue, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [p["label"] for p in report["flatplan"][:5]] == ["cover", None, "contents", "contents", None]
    inside = next(a for a in report["articles"] if a["slug"] == "02-inside")
    assert (inside["start"], inside["end"]) == (2, 2)
    drift = [line for line in proc.stdout.splitlines() if line.startswith("drift:")]
    assert drift[0] == "drift: 03-opening starts on p.5, planned p.4: pushed back: the contents, from p.3, runs to p.4"
