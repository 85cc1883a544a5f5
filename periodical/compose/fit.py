"""Copy fitting: make each run of articles fill the pages the plan gives it.

A *run* starts with an article whose planned page differs from the one before (it starts on
a fresh page) and takes the articles that share its pages; an article with no planned page
follows the one before it, sharing its pages as the layout allows (in a run with no planned page,
an article that starts a section starts a run of its own: it takes fresh pages anyway). The printed plan gives each run a
number of pages; the text is fixed, so the photos are the elastic material, as on a
designer's desk: a run that ends early gets taller photos, a run that overruns gets smaller
ones, within limits. What still does not fit is reported as drift by the check stage.
"""
import functools
from dataclasses import dataclass

# Planned photo heights in mm on the 210 × 285 mm page by (layout, size); `fit` scales them per
# run, and the layout by the trim's height (geometry.py).
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
    """Split the articles into runs that each start on a fresh page.

    A run of unplanned articles is split too where an article needs pages of its own (a new
    section): each part is then laid out and settled alone, not the whole unplanned issue at once.
    """
    out, current = [], []
    for a, prev in zip(articles, (None,) + tuple(articles[:-1])):
        if current and (a.page is not None and prev.page != a.page
                        or a.page is None and current[0].page is None and own_pages(prev, a)):
            out.append(current)
            current = []
        current.append(a)
    if current:
        out.append(current)
    return [Run(tuple(r), r[0].page, nxt[0].page if nxt else None)
            for r, nxt in zip(out, out[1:] + [None])]


def own_pages(prev, article):
    """Whether an unplanned article needs pages of its own: the layout gives each section its running
    heads, and speeches their own page style (named pages), so WeasyPrint breaks the page there anyway."""
    return prev.section.id != article.section.id or (prev.layout == "speech") != (article.layout == "speech")


# The contents page has no photos: its elastic material is the space between its entries and
# above the colophon (layouts: var(--contents-spacing)). 1 is the design; the layout tries each
# step in turn while the contents runs past the page the next article is planned on
# (paginate.lay_out), and keeps the first that fits.
CONTENTS_SPACING = (1, 0.75, 0.5, 0.25, 0)


# A portrait photo at a landscape's height would be a sliver: it stands this much taller.
PORTRAIT = 1.5


def height(article, image, scale=1.0, portrait=False):
    base = LAYOUT_HEIGHT.get((article.layout, image.size), BASE_HEIGHT[image.size]) * (PORTRAIT if portrait else 1)
    return round(min(base * scale, MAX_HEIGHT[image.size]), 1)


STEP = 0.1             # scales are points of a grid: a search's answer is one of them


def to_search(articles, settled=frozenset()):
    """The runs whose photo scale must be searched: planned span known, photos to resize, not settled."""
    return [run for run in runs(articles)
            if run.planned is not None and run.next_planned is not None
            and run.articles[0].slug not in settled and any(a.images for a in run.articles)]


def search(span, measure, start=None):
    """The largest grid scale whose layout keeps to `span` pages (MIN_SCALE if none does).

    measure(scale) lays the run out alone and returns its page count, the empty mm at the foot of
    its last page, and more: when the fourth value is the depth of a page's type area in mm, the
    search knows how full the run is and aims where it predicts the run just fills its span
    (`_aimed`); else it gallops from `start` to bracket the answer. Then it bisects. A search
    with no start (a cold build) starts at 1.0.
    The answer depends on the run alone, never on `start`, the hint a previous search left (an
    edit seldom moves the answer far, so from a good hint two layouts settle it): a rebuild then
    gives the bytes a clean build gives. Both ways assume what the layout does, that larger photos
    never take fewer pages.
    """
    top = round((MAX_SCALE - MIN_SCALE) / STEP)
    measured = functools.cache(lambda k: measure(_scale(k)))
    fits = functools.cache(lambda k: measured(k)[0] <= span)
    k = min(top, max(0, round(((1.0 if start is None else start) - MIN_SCALE) / STEP)))
    if _fill(measured(k)) is None:
        lo, hi = _bracket(fits, k, top)
    else:
        lo, hi = _aimed(span, lambda k: _fill(measured(k)), fits, k, top, hinted=start is not None)
    while hi - lo > 1:                          # lo fits (or is -1: none known to), hi does not
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return _scale(max(lo, 0))


def _fill(measured):
    """How many pages' worth the run fills (2.25: a quarter of its third page), if the measure tells."""
    if len(measured) < 4 or not measured[3]:
        return None
    return measured[0] - measured[1] / measured[3]


def _aimed(span, fill, fits, k, top, hinted=False):
    """Grid points lo < hi around the answer, each probe where the fill predicts the span ends.

    hinted: k is the last search's answer, so its neighbour is tried first (two layouts when an
    edit did not move the answer). From one side known, the far end of the grid (many runs fit
    even at MAX_SCALE; else it gives a second fill to interpolate from); then the grid point below
    the interpolated crossing, whose neighbour is the next probe. Two aimed probes in a row on one
    side: bisect once, so a fill far from linear costs no more than about twice a bisection.
    """
    lo, hi, aimed, before = -1, top + 1, False, None    # before: the side the last aimed probe fell on
    while True:
        ok = fits(k)
        lo, hi = (k, hi) if ok else (lo, k)
        if hi - lo <= 1:
            return lo, hi
        stuck, before = (aimed and ok == before), (ok if aimed else before)
        if hinted:
            k, hinted = (k + 1 if ok else k - 1), False
        elif lo < 0 or hi > top:
            k, aimed = (top if ok else 0), False
        elif stuck:
            k, aimed, before = (lo + hi) // 2, False, None
        else:
            k, aimed = _crossing(span, lo, fill(lo), hi, fill(hi)), True
        k = min(hi - 1, max(lo + 1, k))


def _crossing(span, lo, fill_lo, hi, fill_hi):
    """The grid point below where the fill, linear between lo and hi, reaches `span`."""
    if fill_hi <= fill_lo:
        return (lo + hi) // 2
    return lo + int((span - fill_lo) / (fill_hi - fill_lo) * (hi - lo))


def _bracket(fits, k, top):
    """Grid points lo < hi around the answer, found in steps doubling away from k."""
    step = 1
    if fits(k):
        while k + step <= top and fits(k + step):
            k, step = k + step, step * 2
        return k, min(k + step, top + 1)        # top + 1: above the grid, taken as not fitting
    while k - step >= 0 and not fits(k - step):
        k, step = k - step, step * 2
    return max(k - step, -1), k


def _scale(k):
    return round(MIN_SCALE + k * STEP, 3)
