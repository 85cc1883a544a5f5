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


GAP_MM = 30            # a run's last page may end this much above the foot
TRIES = 5              # layouts of one run while searching its photo scale


def to_search(articles, settled=frozenset()):
    """The runs whose photo scale must be searched: planned span known, photos to resize, not settled."""
    return [run for run in runs(articles)
            if run.planned is not None and run.next_planned is not None
            and run.articles[0].slug not in settled and any(a.images for a in run.articles)]


def search(span, measure, start=1.0):
    """The largest scale whose layout keeps to `span` pages (bisection; smallest if none does).

    measure(scale) lays the run out alone and returns (pages, empty mm at the foot of its last
    page[, holes]): holes, columns left short while the text goes on (render/floats.py), make
    a scale second choice. A layout that fills its span to within GAP_MM with no hole ends the
    search at once.
    """
    lo, hi, kept = MIN_SCALE, MAX_SCALE, {}
    scale = start
    for _ in range(TRIES):
        pages, gap, *holes = measure(scale)
        if pages <= span:
            lo = scale
            kept[scale] = (pages == span, not any(holes))
            if pages == span and gap < GAP_MM and not any(holes):
                break
        else:
            hi = scale
        scale = round((lo + hi) / 2, 3)
    return max(kept, key=lambda s: (*kept[s], s)) if kept else MIN_SCALE
