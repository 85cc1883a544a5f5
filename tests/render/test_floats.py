"""Figures defer, text fills: photos that left a hole at a column foot are moved on, in order.

Laid out by the real renderer in this process: the run as composed (the hole is there), then
settled (render/floats.py), and read back from the laid-out boxes.
"""
import pytest

from periodical import build, fonts
from periodical.compose import compose, fit
from periodical.render import columns, floats, paginate, render

from .photo_issue import photo_build, write_photo_issue  # noqa: F401  (photo_build is a fixture)


@pytest.fixture(scope="module")
def photo_issue(tmp_path_factory):
    issue, used = build.prepare(write_photo_issue(tmp_path_factory.mktemp("floats") / "2024-03"))
    layouts = "".join(p.read_text(encoding="utf-8") for p in compose.LAYOUTS.iterdir() if p.is_file())
    return issue, fonts.subset("".join(used) + layouts, build.CACHE / "fonts")


def lay_out(issue, font_dir, slug):
    """(lay_out(deferrals) → pages, slugs) for the run that holds `slug` (unplanned articles share runs)."""
    run = next(r for r in fit.runs(issue.articles) if slug in [a.slug for a in r.articles])
    part = compose.run_part(run)

    def lay(deferrals):
        html = compose.compose(issue, part, 1, fonts_dir=font_dir, deferrals=deferrals)
        return render.KEPT.get(html, issue.root, font_dir, build._resources(issue)).pages
    return lay, part.slugs


def holes(pages, slugs):
    return [(c.page, c.index, round(c.fill, 2)) for page in columns.survey(pages, slugs) for c in page if c.hole]


def captions(pages, slugs):
    """The photos' captions in reading order, from the laid-out boxes."""
    seen = []
    for page in columns.survey(pages, slugs):
        for column in page:
            for item in column.items:
                if item.insert and item.element is not None:
                    text = "".join(item.element.itertext()).strip()
                    if text not in seen:
                        seen.append(text)
    return seen


def test_a_photo_that_cannot_fit_at_a_column_foot_goes_on_and_the_text_fills_the_column(photo_issue):
    lay, slugs = lay_out(*photo_issue, "01-column-foot")
    composed = lay({})
    # As composed, the photo does not fit at the foot of the first column: a hole, text going on.
    assert holes(composed, slugs), "the fixture no longer puts its photo at a column foot"
    pages, deferrals = floats.settle(lay, slugs)
    assert deferrals == {"01-column-foot": (1,)}
    assert holes(pages, slugs) == []
    assert len(pages) <= len(composed)
    # Nothing lost or reordered by the move (the run goes on with the next article's photos).
    assert captions(pages, slugs) == captions(composed, slugs) and captions(pages, slugs)[0] == "会议现场王明"


def test_three_photos_in_two_paragraphs_keep_their_order_and_stay_in_the_article(photo_issue):
    lay, slugs = lay_out(*photo_issue, "02-three-photos")
    composed = lay({})
    pages, _ = floats.settle(lay, slugs)
    placed = [c for c in captions(composed, slugs) if c.startswith("调研现场")]
    assert captions(pages, slugs) == captions(composed, slugs)
    assert placed == ["调研现场之1", "调研现场之2", "调研现场之3"]      # all three, in the order they are written in
    assert holes(pages, slugs) == []


def test_the_built_photo_issue_has_no_hole_and_reports_its_columns(photo_build):  # noqa: F811
    _, _, report = photo_build
    plan = report["flatplan"]
    assert all(p["columns"] for p in plan)
    continued = [c for p in plan for c in p["columns"] if c["continues"]]
    assert continued and all(c["fill"] >= 1 - columns.HOLE for c in continued)
    assert not [w for p in plan for w in p["warnings"] if w["kind"] == "hole"]


def test_copy_fitting_settles_a_run_only_when_it_overruns_the_span_within_reach(photo_issue):
    # Settling never adds a page: a run that keeps to its span as composed keeps to it settled,
    # so copy fitting's measure skips the settling layouts there and says so (deferrals None).
    issue, font_dir = photo_issue
    run = next(r for r in fit.runs(issue.articles) if "01-column-foot" in [a.slug for a in r.articles])
    settled = paginate.lay_out_run(issue, run, font_dir, 1.0, build._resources(issue))
    full = paginate.settle_run(issue, run, font_dir, 1.0, build._resources(issue))
    assert settled[4] == full[1] != {}
    kept = paginate.lay_out_run(issue, run, font_dir, 1.0, build._resources(issue), span=99)
    assert kept[4] is None and kept[0] >= settled[0]
    # A page short, the last page's material is more than settling could pull back into the
    # holes and column feet before it: not settled, and settling indeed keeps its pages.
    lay, slugs = lay_out(issue, font_dir, "01-column-foot")
    short = len(full[0]) - 1
    assert not floats.within_reach(lay({}), slugs, short)
    assert paginate.lay_out_run(issue, run, font_dir, 1.0, build._resources(issue), span=short)[4] is None
    assert len(full[0]) > short


def test_a_probe_settles_only_until_it_knows_whether_the_run_keeps_to_its_span(photo_issue):
    lay, slugs = lay_out(*photo_issue, "01-column-foot")
    layouts = []

    def counted(deferrals):
        layouts.append(deferrals)
        return lay(deferrals)
    full_pages, full = floats.settle(counted, slugs)
    assert full and len(layouts) > 1
    layouts.clear()
    # Already within the span as composed: one layout, and no deferrals worked out.
    assert floats.settle(counted, slugs, span=len(full_pages))[1] is None and len(layouts) == 1
    layouts.clear()
    assert floats.settle(counted, slugs, span=len(full_pages) - 1, budget=1)[1] is None and len(layouts) == 1
    # A settling not stopped short is the run's own, whatever span it was asked about.
    pages, deferrals = floats.settle(counted, slugs, span=len(full_pages) - 1)
    assert deferrals == full and len(pages) == len(full_pages)
