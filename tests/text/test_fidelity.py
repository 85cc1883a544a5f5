"""No sentence of the manuscript is lost: every line is in the issue as composed, or listed as not carried."""
import html
import re

from periodical.compose import compose
from periodical.model import load
from periodical.text import text

from .. import manuscript


def composed_text():
    issue = text.prepare(load.load_issue(manuscript.ISSUE))
    pages = [compose.compose(issue, part, 1) for part in compose.parts(issue)]
    body = "".join(page[page.index("<body>"):] for page in pages)
    return manuscript.norm(html.unescape(re.sub(r"<[^>]+>", "", body)))


def test_every_manuscript_line_is_in_the_issue_data():
    printed = composed_text()
    skipped = manuscript.not_carried()
    missing = [f"{n}: {line[:60]}" for n, line in manuscript.lines()
               if n not in skipped and manuscript.norm(line) not in printed]
    assert missing == []


def test_corrections_are_parsed():
    # The fidelity test is only as good as the tables it reads: make sure it reads them.
    assert ("孙珅主席", "孙坤主席") in manuscript.readings()
    assert 100 in manuscript.not_carried() and 175 in manuscript.not_carried()
    assert len(manuscript.lines()) > 700
