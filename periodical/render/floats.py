"""Figures defer, text fills: lay a run out, find photos and quotes that left a hole, move them on.

WeasyPrint has no page floats. A column photo (or pull quote) that does not fit at the foot of
a column moves to the top of the next one, and the text after it follows it there: the column
it left ends short. Here the run is laid out, and the first such insert — standing at the top
of a column while the column before it, of the same article, is a hole (columns.py) — is
deferred past the next text block in the composed HTML (compose/floats.py), so that text fills
the hole; then the run is laid out again. Front to back, one insert at a time, at most LAYOUTS
layouts, and a deferral is kept only if it makes the run's holes smaller: never a page more,
never an insert more than one page after the page where it first left a hole.
"""
from periodical.render import columns

LAYOUTS = 12          # layouts of a run, at most, while settling it
REACH = 3             # text blocks an insert is tried further on before it stays where it is
SLACK = 0.03          # a column this close to its foot is full: a heading or a line may not fit


def settle(lay_out, slugs, span=None, budget=LAYOUTS):
    """lay_out(deferrals) → laid-out pages. Returns (pages, deferrals): {slug: (shift per insert, …)}.

    Greedy and bounded: each round moves one insert up to REACH blocks on and keeps the first
    move that makes the run's holes shrink without a page more and without carrying the insert
    too far; an insert whose moves were all refused is not tried again.
    span: copy fitting asks only whether the run keeps to `span` pages: settling stops as soon as
    it does, or after `budget` layouts, and the deferrals are None if it stopped short.
    """
    deferrals, frozen, origin = {}, set(), {}
    pages = lay_out(deferrals)
    score = _score(columns.survey(pages, slugs), pages)
    layouts = 1
    while layouts < LAYOUTS:
        if span is not None and (len(pages) <= span or layouts >= budget):
            return pages, None
        found = _deferrable(columns.survey(pages, slugs), frozen)
        if found is None:
            break
        (slug, n), page = found
        origin.setdefault((slug, n), page)
        frozen.add((slug, n))
        trial = deferrals
        # One block on may leave the insert in the same column: look up to REACH blocks ahead.
        for _ in range(REACH):
            trial = {**trial, slug: _bump(trial.get(slug, ()), n)}
            trial_pages = lay_out(trial)
            layouts += 1
            surveyed = columns.survey(trial_pages, slugs)
            too_late = _too_late(_inserts(surveyed), origin)
            if not too_late and _score(surveyed, trial_pages) < score:
                deferrals, pages, score = trial, trial_pages, _score(surveyed, trial_pages)
                frozen.discard((slug, n))
                break
            if too_late or layouts >= LAYOUTS:
                break
    return pages, deferrals


def within_reach(pages, slugs, span):
    """Whether settling could bring a run laid out on more than `span` pages back to `span`.

    Settling moves inserts on and lets text into the space they left; it never shrinks anything,
    so at best it fills what the first `span` pages leave empty at their columns' feet. When the
    material on the later pages is more than that, a dozen layouts would only confirm the overrun.
    """
    surveyed = columns.survey(pages, slugs)
    room = sum(c.foot - c.bottom for page in surveyed[:span] for c in page)
    over = sum(c.bottom - c.top for page in surveyed[span:] for c in page)
    return over <= room


def _score(surveyed, pages):
    """Pages first, then holes, then how much of the type area the columns leave empty before
    the text goes on (a column within SLACK of its foot counts as full)."""
    flat = [c for page in surveyed for c in page if c.continues]
    return (len(pages), sum(c.hole for c in flat),
            round(sum(1 - c.fill for c in flat if c.fill < 1 - SLACK), 4))


def _bump(shifts, n):
    shifts = list(shifts) + [0] * (n + 1 - len(shifts))
    shifts[n] += 1
    return tuple(shifts)


def _inserts(surveyed):
    """Each insert's element → (article, its number in the article, page) in reading order."""
    placed, count = {}, {}
    for page in surveyed:
        for column in page:
            for item in column.items:
                if item.insert and id(item.element) not in placed:
                    n = count.get(item.article, 0)
                    count[item.article] = n + 1
                    placed[id(item.element)] = (item.article, n, column.page)
    return placed


def _deferrable(surveyed, frozen):
    """The first deferral worth a try, front to back: ((slug, n), the hole's page).

    For each hole, the insert of its article heading the next column (it did not fit at the
    foot and took the text after it along), else the inserts in the hole and the two columns before
    it, last first (moved on, one lets text in where a heading that must keep two lines with it
    did not fit, or moves the heading off the column's foot).
    """
    placed = _inserts(surveyed)
    flat = [column for page in surveyed for column in page]
    for k, hole in enumerate(flat):
        if not hole.hole:
            continue
        nxt = flat[k + 1] if k + 1 < len(flat) else None
        mine = sorted((i for i in (nxt.items if nxt else ()) if i.article == hole.article and not i.spans),
                      key=lambda i: i.top)
        heading = [mine[0]] if mine and mine[0].insert else []
        inside = [i for c in flat[max(0, k - 2):k + 1][::-1] for i in reversed(c.items)
                  if i.insert and i.article == hole.article]
        for item in heading + inside:
            slug, n, _ = placed[id(item.element)]
            if (slug, n) not in frozen:
                return (slug, n), hole.page
    return None


def _too_late(placed, origin):
    """Whether an insert now stands more than one page after the page it first left a hole on."""
    return any(page > origin.get((slug, n), page) + 1 for slug, n, page in placed.values())
