"""Pagination: lay the issue's parts out end to end, each at the page it really starts on.

A part (compose.parts: cover, contents, a run of articles, back cover) is laid out as its own
document, told its first page so that its folios and its left and right pages are the issue's.
The contents part prints the pages its articles start on; the plan's pages are the first guess,
and if the layout puts an article elsewhere the contents is laid out again with the real number
(and whatever follows, if its length changed). A contents page that runs past the page the
next article is planned on is laid out again with its vertical spacing tightened in steps
(fit.CONTENTS_SPACING), the loosest that keeps to its pages kept. Each part is drawn as soon as it is laid out
(parts.py); a part whose HTML and files are unchanged is reused as an earlier build drew it,
without a layout, and a part that must be drawn takes copy fitting's layout from render.KEPT.
"""
from periodical.compose import compose, fit, geometry
from periodical.render import columns, floats, render

PROBE_LAYOUTS = 4   # layouts a probe of copy fitting settles a run with, at most
ROUNDS = 3          # contents, then everything after it, at most this many times


def lay_out(issue, font_dir, scales, drawn, resources=(), kept=render.KEPT, deferrals=None, moving=None):
    """The whole issue as one Rendered list of drawn parts, padded to its planned page count.

    drawn: the parts.Parts cache each part is drawn into (or reused from);
    deferrals: the photos and quotes each run's settling moved on (settle_run);
    moving(rendered): called once, with the parts laid out so far (Rendered.complete False), when
    a part drawn anew pushes the next one off its planned page: every part after it is laid out
    again, which takes seconds, and the preview shows what is known meanwhile.
    """
    parts = compose.parts(issue)
    listed = [a.slug for a in issue.articles if a.toc]
    numbers = {a.slug: a.page for a in issue.articles if a.toc and a.page}
    planned = {a.slug: a.page for a in issue.articles if a.page}
    for _ in range(ROUNDS):
        laid, page = [], 1
        for n, part in enumerate(parts):
            if part.name == "back-cover":     # the last page of the padded issue
                page = _padded(page, issue.meta["pages"])
            after = parts[n + 1].slugs[:1] if n + 1 < len(parts) else ()
            span = planned[after[0]] - page if after and planned.get(after[0]) else None
            for spacing in fit.CONTENTS_SPACING if part.name == "contents" and span else (1,):
                html = compose.compose(issue, part, page, fonts_dir=font_dir, scales=scales, numbers=numbers,
                                       deferrals=deferrals, spacing=spacing)
                drawn_part = drawn.get(html, issue, font_dir, resources, part.slugs, kept)
                if span is None or len(drawn_part.pages) <= span:
                    break
            laid.append(drawn_part)
            page += len(laid[-1].pages)
            if moving and laid[-1].new and after and planned.get(after[0]) not in (None, page):
                moving(render.assemble(laid, complete=False))
                moving = None
        starts = render.starts([p for part in laid for p in part.pages])
        printed = {slug: starts[slug] for slug in listed if slug in starts}
        if printed == numbers:
            break
        numbers = printed
    content = sum(len(part.pages) for part in laid)
    fillers = _padded(content, issue.meta["pages"]) - content
    blank = render.filler_html(fillers, geometry.of(issue.meta["trim"]).root_rule)
    filler = drawn.get(blank, issue, font_dir, resources, (), kept) if fillers else None
    return render.assemble(laid, filler)


def lay_out_run(issue, run, font_dir, scale, resources=(), kept=render.KEPT, span=None):
    """One run alone at its planned first page, its photos at `scale` and its inserts settled
    (floats.py), so copy fitting measures the pages the issue will print:
    (pages, empty mm at the foot, holes left, depth of the last page's type area in mm, deferrals).

    span: settle only a run that overruns it as composed, by no more than settling can take back
    (floats.within_reach). Settling never adds a page, so a run that keeps to its span unsettled
    keeps to it settled: the page count is then good enough to tell fitting from overrunning, and
    the deferrals are None (not worked out).
    """
    lay, tried = _composer(issue, run, font_dir, scale, resources, kept)
    pages, deferrals = lay({}), None
    slugs = compose.run_part(run).slugs
    if span is None or len(pages) > span and floats.within_reach(pages, slugs, span):
        pages, deferrals = _settle(lay, tried, run, font_dir, issue, resources, kept, span)
    holes = sum(c.hole for page in columns.survey(pages, slugs) for c in page)
    return len(pages), render.free_space(pages)[len(pages)], holes, render.depth(pages[-1]), deferrals


def run_pages(issue, run, font_dir, scale, deferrals, resources=(), kept=render.KEPT):
    """One run laid out with the inserts moved as `deferrals` says, not settled: its pages."""
    lay, _ = _composer(issue, run, font_dir, scale, resources, kept)
    return lay(deferrals)


def settle_run(issue, run, font_dir, scale, resources=(), kept=render.KEPT):
    """One run laid out with its photos and quotes deferred where they left holes: (pages, deferrals).

    The settled layout stays in `kept` for lay_out to draw if the run has a planned page, where
    it was laid out; a run with none was laid out at page 1, where the issue never puts it, and
    its layout would only be held, a run's worth of boxes each, until the build ends.
    """
    lay, tried = _composer(issue, run, font_dir, scale, resources, kept)
    pages, deferrals = _settle(lay, tried, run, font_dir, issue, resources, kept)
    if run.planned is None:
        kept.drop(tried[repr(sorted(deferrals.items()))], issue.root, font_dir, resources)
    return pages, deferrals


def _composer(issue, run, font_dir, scale, resources, kept):
    """lay(deferrals) → the run's pages, and the HTML of each layout it made (by its deferrals)."""
    part = compose.run_part(run)
    tried = {}

    def lay(deferrals):
        html = compose.compose(issue, part, run.planned or 1, fonts_dir=font_dir,
                               scales={slug: scale for slug in part.slugs}, deferrals=deferrals)
        tried[repr(sorted(deferrals.items()))] = html
        return kept.get(html, issue.root, font_dir, resources).pages
    return lay, tried


def _settle(lay, tried, run, font_dir, issue, resources, kept, span=None):
    pages, deferrals = floats.settle(lay, compose.run_part(run).slugs, span, PROBE_LAYOUTS)
    if deferrals is None:       # a probe stopped short: its layouts are the first steps of the
        return pages, None      # run's own settling, if the scale is the one found (kept meanwhile)
    final = tried[repr(sorted(deferrals.items()))]
    for html in set(tried.values()) - {final}:      # refused moves: their layouts are not needed
        kept.drop(html, issue.root, font_dir, resources)
    return pages, deferrals


def _padded(content_pages, planned):
    """Pages of the printed issue: the plan's count, or the content rounded up to fours (saddle stitch)."""
    return max(planned or 0, -(-content_pages // 4) * 4)
