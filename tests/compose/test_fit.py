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


def test_search_finds_a_scale_that_keeps_the_span_and_fills_it():
    # A run whose layout takes 3 pages once its photos pass 1.9× (a stand-in for the layout's
    # answer), leaving 100 mm at the foot for each 1× below that: the scales that keep 2 pages and
    # fill them to within GAP_MM are those above 1.9 - GAP_MM / 100, up to 1.9.
    tried = []

    def measure(scale):
        tried.append(scale)
        return (2 if scale <= 1.9 else 3), max(0.0, (1.9 - scale) * 100)
    scale = fit.search(2, measure, 1.0)
    assert 1.9 - fit.GAP_MM / 100 < scale <= 1.9
    assert len(tried) <= fit.TRIES and tried[0] == 1.0


def test_search_without_a_filling_scale_keeps_the_largest_that_fits():
    # Never full enough: every try is made, and the answer is the largest scale that kept 2 pages.
    tried = []

    def measure(scale):
        tried.append(scale)
        return (2 if scale <= 1.9 else 3), 100.0
    scale = fit.search(2, measure, 1.0)
    assert len(tried) == fit.TRIES
    assert scale == max(s for s in tried if s <= 1.9) and scale > 1.9 - (fit.MAX_SCALE - fit.MIN_SCALE) / 2 ** (fit.TRIES - 1)


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
