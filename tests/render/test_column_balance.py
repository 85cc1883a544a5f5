"""Balanced columns (periodical.render.column_balance): WeasyPrint's answer, in few rounds.

Documents are laid out by the patched and by the plain WeasyPrint, each in its own process,
and the column boxes read back; rounds are counted, not timed.
"""
import json
import subprocess
import sys

import pytest
import weasyprint

from periodical.render import column_balance, render  # noqa: F401  (render applies the patches)

from .. import typeset as t
from ..conftest import ROOT

LINE = 20          # px: the line height of the test page

PAGE = """<style>@page {{ size: 160mm 240mm; margin: 10mm }}
body {{ font: 12px/{line}px "Noto Serif SC"; margin: 0 }} p {{ margin: 0; orphans: 1; widows: 1 }}
.cols {{ column-count: {count}; column-gap: 6mm }} figure {{ margin: 0; height: {figure}px; break-inside: avoid; background: #ccc }}
</style><div class="cols">{body}</div>"""


@pytest.fixture
def rounds(monkeypatch):
    count = []
    original = column_balance._BalanceSearch.next
    monkeypatch.setattr(column_balance._BalanceSearch, "next",
                        lambda self, *a: count.append(a) or original(self, *a))
    return count


MEASURE = """
import json, sys, weasyprint
if sys.argv[1] == "patched":
    from periodical.render import render  # noqa: F401
out = []
for html in json.load(sys.stdin):
    pages = weasyprint.HTML(string=html).render().pages
    cols = [b for b in pages[-1]._page_box.descendants() if getattr(b, "is_column", False)]
    out.append([len(pages)] + [round(max((c.position_y + c.margin_height() for c in b.children),
                                         default=b.position_y) - b.position_y) for b in cols])
print(json.dumps(out))
"""


def columns(documents, weasyprint_as):
    """[pages, height of each column on the last page] per document, laid out in a fresh process."""
    run = subprocess.run([sys.executable, "-c", MEASURE, weasyprint_as], input=json.dumps(documents),
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(run.stdout)


def documents():
    texts = [("".join(f"<p>{t.HAN[:40 + 13 * n]}</p>" for n in range(paragraphs)), count, 0)
             for paragraphs, count in ((5, 2), (8, 2), (9, 3), (12, 2), (10, 3))]
    # A figure that cannot split: WeasyPrint grew these columns 1 px a round.
    texts.append((("<p>" + t.HAN * 3 + "</p><figure></figure><p>" + t.HAN * 2 + "</p>") * 2, 2, 180))
    return [PAGE.format(line=LINE, count=count, figure=figure, body=body) for body, count, figure in texts]


def test_columns_stand_where_weasyprint_balances_them():
    patched, plain = columns(documents(), "patched"), columns(documents(), "plain")
    assert patched == plain
    assert all(pages == 1 and len(heights) >= 2 and min(heights) > 0 for pages, *heights in patched)


def test_a_block_that_cannot_split_is_balanced_in_few_rounds(rounds):
    weasyprint.HTML(string=documents()[-1]).render()
    assert 0 < len(rounds) <= 12, len(rounds)


def test_the_search_answers_with_a_height_a_round_fitted_at():
    # Content that fits from 170 px up and then takes 172 px: the answer is a tried height near 170.
    search, height, done, tried = column_balance._BalanceSearch(100, 400), 100, False, []
    while not done:
        fitted = height >= 170
        tried.append((height, fitted))
        height, done, stop = search.next(height, fitted, float("inf"), 172 if fitted else 0)
    assert (height, True) in tried and height < 170 + column_balance.TOLERANCE and not stop
    assert len(tried) <= 8
