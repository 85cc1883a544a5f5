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


def plan(articles, starts, free, scales, measure, settled=frozenset()):
    """Return photo scales per article slug so that each run fills its planned pages.

    starts, free: where the runs landed in the last full layout (slug → page, page → empty mm
    at the foot). measure(run, scale) lays one run out alone and returns (pages, empty mm on
    its last page). Only runs that are off their page count or end with a gap are searched,
    and not those already `settled` (searched before with the same content).
    """
    new = dict(scales)
    for run in runs(articles):
        first, after = run.articles[0].slug, _next_start(articles, run, starts)
        if run.planned is None or run.next_planned is None or first not in starts or after is None:
            continue
        span = run.next_planned - run.planned
        if first in settled or not any(a.images for a in run.articles):
            continue
        if after - starts[first] == span and free.get(after - 1, 0) < GAP_MM:
            continue
        scale = search(span, lambda s: measure(run, s), scales.get(first, 1.0))
        new.update({a.slug: scale for a in run.articles})
    return new


def search(span, measure, start):
    """The largest scale whose layout keeps to `span` pages (bisection; smallest if none does)."""
    lo, hi, best = MIN_SCALE, MAX_SCALE, None
    scale = start
    for _ in range(TRIES):
        pages, gap = measure(scale)
        if pages <= span:
            lo = scale
            if best is None or scale > best:
                best = scale
            if pages == span and gap < GAP_MM:
                break
        else:
            hi = scale
        scale = round((lo + hi) / 2, 3)
    return best if best is not None else MIN_SCALE


def _next_start(articles, run, starts):
    idx = articles.index(run.articles[-1]) + 1
    nxt = articles[idx].slug if idx < len(articles) else "back-cover"
    return starts.get(nxt)
