"""Articles without a planned page follow the one before them, sharing its pages where they can."""
from periodical.compose import compose, fit
from periodical.model import load
from periodical.text import text

from ..conftest import MINIMAL_YAML, PARAGRAPH, write_issue


def art(title, section, page=None):
    return f"---\ntitle: {title}\nsection: {section}\n" + (f"page: {page}\n" if page else "") + f"---\n\n{PARAGRAPH}\n"


def test_unplanned_articles_share_a_run_and_start_a_page_only_where_the_section_changes(tmp_path):
    issue = write_issue(tmp_path / "2024-03", MINIMAL_YAML, {
        "01-a.md": art("第一篇", "news", 3), "02-b.md": art("第二篇", "news"), "03-c.md": art("第三篇", "views"),
        "04-d.md": art("第四篇", "views"), "05-e.md": art("第五篇", "views", 6)})
    issue = text.prepare(load.load_issue(issue))
    assert [[a.slug for a in run.articles] for run in fit.runs(issue.articles)] == [
        ["01-a", "02-b", "03-c", "04-d"], ["05-e"]]
    run = next(p for p in compose.parts(issue) if p.slugs)
    html = compose.compose(issue, run, 3)
    # The section's running heads are a named page: a new section starts a page anyway.
    starts = [slug for slug in run.slugs if "new-page" in html.split(f'<article id="{slug}"')[1].split(">")[0]]
    assert starts == ["01-a", "03-c"]
