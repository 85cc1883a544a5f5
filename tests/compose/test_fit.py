"""Copy fitting: runs of articles, and the search for the photo scale that fills a run's pages."""
from periodical.compose import fit
from periodical.model.load import load_issue


def test_articles_sharing_a_planned_page_form_one_run(minimal_issue):
    for name, page in (("01-first.md", 4), ("02-second.md", 4)):
        path = minimal_issue / "articles" / name
        path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", f"page: {page}\n---\n\n", 1), encoding="utf-8")
    runs = fit.runs(load_issue(minimal_issue).articles)
    assert [[a.slug for a in r.articles] for r in runs] == [["01-first", "02-second"]]
    assert runs[0].planned == 4 and runs[0].next_planned is None


def test_unplanned_articles_split_into_runs_where_a_section_starts_its_own_pages(minimal_issue):
    # The minimal issue: 01-first (news), 02-second (views), no pages planned. A third article in
    # views follows 02-second on its pages; a fourth back in news starts pages of its own again.
    articles = minimal_issue / "articles"
    for name, section in (("03-third.md", "views"), ("04-fourth.md", "news")):
        articles.joinpath(name).write_text(f"---\ntitle: 第{name[1]}篇\nsection: {section}\n---\n\n正文。\n",
                                           encoding="utf-8")
    runs = fit.runs(load_issue(minimal_issue).articles)
    assert [[a.slug for a in r.articles] for r in runs] == [["01-first"], ["02-second", "03-third"], ["04-fourth"]]
    assert all(r.planned is None for r in runs) and fit.to_search(load_issue(minimal_issue).articles) == []


def test_unplanned_articles_after_a_planned_one_stay_in_its_run(minimal_issue):
    # A planned article's run takes the unplanned ones after it, whatever their section: the run's
    # span (to the next planned page) holds them, so its photos are fitted with them.
    path = minimal_issue / "articles" / "01-first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", "page: 4\n---\n\n", 1), encoding="utf-8")
    runs = fit.runs(load_issue(minimal_issue).articles)
    assert [[a.slug for a in r.articles] for r in runs] == [["01-first", "02-second"]]


def test_search_finds_the_largest_grid_scale_that_keeps_the_span():
    # A run whose layout takes 3 pages once its photos pass 1.93× (a stand-in for the layout's
    # answer): the answer is 1.9, the largest point of the 0.1 grid below that, and a layout
    # tried just above it (2.0) showed the span lost.
    tried = []

    def measure(scale):
        tried.append(scale)
        return (2 if scale <= 1.93 else 3), 0.0
    assert fit.search(2, measure, 1.0) == 1.9
    assert tried[0] == 1.0 and 1.9 in tried and 2.0 in tried
    assert len(tried) == len(set(tried)) <= 9              # no layout twice; doubling, then bisection


def test_search_falls_back_to_the_smallest_scale_when_nothing_fits():
    assert fit.search(2, lambda scale: (3, 0.0), 1.0) == fit.MIN_SCALE


def test_issue148_runs_follow_the_printed_plan():
    issue = load_issue(fit.__file__.rsplit("/periodical/", 1)[0] + "/issue/2023-01")
    runs = fit.runs(issue.articles)
    assert [r.planned for r in runs][:6] == [2, 4, 6, 10, 13, 14]
    assert all(r.next_planned is None or r.next_planned > r.planned for r in runs)
    # The speech (no photos) and the last run (no next planned page) have nothing to search.
    searched = [r.planned for r in fit.to_search(issue.articles)]
    assert 2 not in searched and 45 not in searched and 4 in searched
    assert fit.to_search(issue.articles, settled={"04-session-opens"})[0].planned == 6


def test_search_answer_does_not_depend_on_where_it_starts():
    # The start is the last search's answer, kept in the cache: were the answer to depend on it, a
    # rebuild after edits would print other photo sizes than a clean build of the same sources.
    for threshold in (0.55, 0.6, 0.95, 1.0, 1.93, 2.61, 3.2, 3.5):
        tried = []

        def measure(scale):
            tried.append(scale)
            return (2 if scale <= threshold else 3), 0.0
        answers = {fit.search(2, measure, start) for start in (0.6, 1.0, 1.7, 2.45, 3.2)}
        fitting = [s for s in (fit.MIN_SCALE + k * fit.STEP for k in range(100)) if s <= min(threshold, fit.MAX_SCALE) + 1e-9]
        assert answers == {round(max(fitting, default=fit.MIN_SCALE), 3)}, threshold
    tried.clear()
    threshold = 1.93
    fit.search(2, measure, 1.9)            # the last answer as the start: two layouts settle it
    assert tried == [1.9, 2.0]


def _filling(base, per_scale, tried, depth=240.0):
    """A stand-in run that fills `base + per_scale × scale` pages, measured as the layout reports
    it: pages, the empty mm at the foot of the last page, holes, the type area's depth."""
    def measure(scale):
        tried.append(scale)
        fill = base + per_scale * scale
        pages = max(1, -(-round(fill * 1000) // 1000))
        return pages, round((pages - fill) * depth, 1), 0, depth
    return measure


def test_an_aimed_search_finds_the_answer_a_gallop_finds_from_any_start():
    for base, per_scale, span in ((0.5, 0.35, 1), (1.2, 0.3, 2), (0.2, 0.1, 1), (1.9, 0.2, 2), (2.3, 0.5, 3)):
        galloped = fit.search(span, lambda s: _filling(base, per_scale, [])(s)[:2], 1.0)
        for start in (None, 0.6, 1.0, 1.7, 2.45, 3.2):
            assert fit.search(span, _filling(base, per_scale, []), start) == galloped, (base, per_scale, start)


def test_an_aimed_search_takes_fewer_layouts_than_a_gallop_from_a_cold_start():
    # A run that fills its one page at 1.43×: from 1.0 the gallop tries 1.0, 1.1, 1.3, 1.7, 1.5,
    # 1.4; aimed from a cold start (no last answer), the search tries 1.0, then 3.2 (too much),
    # then where the fill crosses the page.
    for base, per_scale, span, answer in ((0.5, 0.35, 1, 1.4), (0.2, 0.1, 1, 3.2), (1.2, 0.3, 2, 2.6)):
        galloped, aimed = [], []
        assert fit.search(span, lambda s: _filling(base, per_scale, galloped)(s)[:2], 1.0) == answer
        assert fit.search(span, _filling(base, per_scale, aimed)) == answer
        assert len(aimed) < len(galloped) and len(aimed) <= 4, (aimed, galloped)
        # From the last answer as the hint (a rebuild), its neighbour first: two layouts settle it.
        hinted = []
        assert fit.search(span, _filling(base, per_scale, hinted), answer) == answer
        assert len(hinted) == (1 if answer == fit.MAX_SCALE else 2), hinted
