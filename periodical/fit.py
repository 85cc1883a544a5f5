"""Copy fitting: make each run of articles fill the pages the plan gives it.

A *run* starts with an article whose planned page differs from the one before (it starts on
a fresh page) and takes the articles that share its pages. The printed plan gives each run a
number of pages; the text is fixed, so the photos are the elastic material, as on a
designer's desk: a run that ends early gets taller photos, a run that overruns gets smaller
ones, within limits. What still does not fit is reported as drift by the check stage.
"""
from dataclasses import dataclass

# Planned photo heights in mm by (layout, size); `fit` scales them per run.
BASE_HEIGHT = {"column": 42, "wide": 70, "page": 230}
LAYOUT_HEIGHT = {("news", "column"): 32, ("news", "wide"): 55}
MIN_SCALE, MAX_SCALE = 0.6, 3.2
MAX_HEIGHT = {"column": 150, "wide": 150, "page": 230}
COLUMN_MM = 243        # height of one text column on an article page
COLUMNS = {"report": 2, "advice": 2, "news": 3, "names": 1, "speech": 1}


@dataclass(frozen=True)
class Run:
    articles: tuple
    planned: int | None
    next_planned: int | None


def runs(articles):
    """Split the articles into runs that each start on a fresh page."""
    out, current = [], []
    for a, prev in zip(articles, (None,) + tuple(articles[:-1])):
        if current and (a.page is None or prev.page != a.page):
            out.append(current)
            current = []
        current.append(a)
    if current:
        out.append(current)
    return [Run(tuple(r), r[0].page, nxt[0].page if nxt else None)
            for r, nxt in zip(out, out[1:] + [None])]


def height(article, image, scale=1.0):
    base = LAYOUT_HEIGHT.get((article.layout, image.size), BASE_HEIGHT[image.size])
    return round(min(base * scale, MAX_HEIGHT[image.size]), 1)


def adjust(articles, starts, scales):
    """Return new photo scales per article slug from the pages the last layout gave each run.

    starts: article slug → page it started on in that layout.
    """
    new = dict(scales)
    for run in runs(articles):
        first, after = run.articles[0].slug, _next_start(articles, run, starts)
        if run.planned is None or run.next_planned is None or first not in starts or after is None:
            continue
        short = (run.next_planned - run.planned) - (after - starts[first])   # >0: pages to fill
        weight = sum(_weight(a, i) * height(a, i) for a in run.articles for i in a.images)
        if short == 0 or weight == 0:
            continue
        cols = max(COLUMNS.get(a.layout, 2) for a in run.articles)
        old = scales.get(first, 1.0)
        scale = old * (1 + short * cols * COLUMN_MM / (weight * old) * 0.9)
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        for a in run.articles:
            new[a.slug] = round(scale, 3)
    return new


def _weight(article, image):
    # A wide photo takes its height from every column; a column photo from one.
    return COLUMNS.get(article.layout, 2) if image.size == "wide" else 1


def _next_start(articles, run, starts):
    idx = articles.index(run.articles[-1]) + 1
    nxt = articles[idx].slug if idx < len(articles) else "back-cover"
    return starts.get(nxt)
