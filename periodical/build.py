"""The whole pipeline in one direction: load → text → compose → render → write → check → preflight → preview.

`build()` is the only function the command line, the preview server and the tests call to
make an issue. It gathers and validates everything before it writes anything, so bad input
never replaces a good PDF.
"""
import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from periodical import fonts, icc, workers
from periodical.compose import compose, fit
from periodical.errors import InputError, Problem, rel
from periodical.model import load
from periodical.output import outputs
from periodical.text import text

ROOT = Path(__file__).resolve().parent.parent
# Shared caches (font subsets, fitted photo scales); PERIODICAL_CACHE moves them (benchmark, tests).
CACHE = Path(os.environ.get("PERIODICAL_CACHE", ROOT / "build" / ".cache"))
PHOTO_CACHE = CACHE / "photos"        # photos prepared for print (render/photos.py)


def default_out(issue_dir):
    return ROOT / "build" / Path(issue_dir).resolve().name


def prepare(issue_dir):
    """Load, validate and clean an issue, and check that the fonts can print every character."""
    issue = text.prepare(load.load_issue(issue_dir))
    used = text.characters(issue)
    missing = fonts.missing(used)
    if missing:
        raise InputError([Problem(rel(issue.root / "articles" / f) if f != "issue.yaml" else
                                  rel(issue.root / f), None, None,
                                  f"character {c!r} (U+{ord(c):04X}) is not in the declared fonts "
                                  "(Noto Serif/Sans CJK SC); replace it or ask for a font")
                          for c in missing for f in sorted(used[c])])
    return issue, used


def _fitted(issue, font_dir, progress, laid_out=None, helpers=None):
    """Fit each run of articles to its planned pages, then lay the issue out part by part.

    A run is searched alone (fit.search); the scale found is cached by the run's composed HTML,
    so a rebuild searches only the runs whose text, photos or layout changed. laid_out(rendered)
    is called as early as the pages are known (see `_provisional`), and before that with the
    first parts when an edit moves the parts after it (paginate.lay_out's `moving`).
    """
    from periodical.render import paginate, render
    cache_file = CACHE / "fit.json"
    cache = _read_fit_cache(cache_file)
    found_for, last_for = cache["by_html"], cache["by_run"]
    keys = {run.articles[0].slug: _run_key(issue, run, font_dir) for run in fit.runs(issue.articles)}
    settled = {first for first, key in keys.items() if key in found_for}
    scales = {a.slug: found_for[keys[run.articles[0].slug]] for run in fit.runs(issue.articles)
              for a in run.articles if run.articles[0].slug in settled}
    todo, found = fit.to_search(issue.articles, settled), []
    drawn = _parts()            # one for the build: it knows which parts the build drew anew
    if todo:
        if laid_out and _provisional(issue, font_dir, todo, scales, keys, cache, laid_out, drawn):
            laid_out = None
        progress(f"fit: searching photo sizes for {len(todo)} runs of articles")
        # A run searched before starts from its last scale (an edit seldom moves it far); the
        # answer does not depend on that start, so a rebuild gives a clean build's bytes.
        jobs = [(issue, font_dir, run, last_for.get(run.articles[0].slug)) for run in todo]
        # Each search draws the run it fitted into the drawn parts on disk (_search_run).
        found = workers.parallel(helpers, _search_run, jobs, _search_cost)
        for run, (scale, _, part) in zip(todo, found):
            drawn.own(part)
            scales.update({a.slug: scale for a in run.articles})
            found_for[keys[run.articles[0].slug]] = last_for[run.articles[0].slug] = scale
        for first in keys:                       # runs with nothing to search are settled too
            found_for.setdefault(keys[first], scales.get(first, 1.0))
        render.atomic_write(cache_file, lambda f: f.write(json.dumps(cache, indent=0).encode()))
    # A search settled its run at the scale it found: _settled need not settle it again.
    known = {f"{keys[run.articles[0].slug]}:{scale}": deferrals
             for run, (scale, deferrals, _) in zip(todo, found)}
    deferrals = _settled(issue, font_dir, scales, keys, known, helpers=helpers)
    _remember_moves(issue, deferrals, cache, cache_file)
    rendered = paginate.lay_out(issue, font_dir, scales, drawn, _resources(issue), deferrals=deferrals, moving=laid_out)
    if rendered.photos:
        progress(f"photos: {len(rendered.photos)} prepared for print, "
                 f"{sum('resampled' in str(r['done']) for r in rendered.photos)} resampled")
    render.KEPT.keep_used()                     # the build is laid out: what it did not use goes
    drawn.prune()
    drift = sum(1 for a in issue.articles if a.page and rendered.starts.get(a.slug) != a.page)
    progress(f"render: {rendered.content_pages} pages, {drift} articles off their planned page")
    if laid_out:
        laid_out(rendered)
    return rendered


def _remember_moves(issue, deferrals, cache, cache_file):
    """Keep each run's moves in fit.json by its first article: the next edit's draft starts from them."""
    from periodical.render import render
    moved = json.loads(json.dumps({run.articles[0].slug: {a.slug: deferrals[a.slug] for a in run.articles
                                                          if a.slug in deferrals} for run in fit.runs(issue.articles)}))
    if any(cache["moved"].get(first) != m for first, m in moved.items()):
        cache["moved"].update(moved)
        render.atomic_write(cache_file, lambda f: f.write(json.dumps(cache, indent=0).encode()))


PROVISIONAL_RUNS = 2      # an edit touches a run or two; a change to the layouts refits them all


def _provisional(issue, font_dir, todo, scales, keys, last, laid_out, drawn):
    """Before an edit's runs are searched, lay the issue out with their last scales and moves, and show it.

    last: each run's last scale (`by_run`) and the last moves of its inserts (`moved`), from
    fit.json. One layout a run: it is not settled (that takes a layout per move tried), so when
    the edit leaves the scale and the moves where they were, the pages shown are the pages
    printed, and otherwise the written pages replace them a moment later. Not worth it when many
    runs changed, a run was never searched, or a run overruns its pages at its last scale (the
    search will shrink its photos).
    """
    from periodical.render import paginate
    if len(todo) > PROVISIONAL_RUNS or any(run.articles[0].slug not in last["by_run"] for run in todo):
        return False
    trial = dict(scales)
    deferrals = {}
    for run in todo:
        first = run.articles[0].slug
        trial.update({a.slug: last["by_run"][first] for a in run.articles})
        moved = last["moved"].get(first, {})
        pages = paginate.run_pages(issue, run, font_dir, trial[first], moved, _resources(issue))
        if len(pages) > run.next_planned - run.planned:
            return False          # it overruns: every page after it would be laid out twice
        deferrals.update(moved)
    deferrals.update(_settled(issue, font_dir, trial, keys, skip={run.articles[0].slug for run in todo}))
    laid_out(paginate.lay_out(issue, font_dir, trial, drawn, _resources(issue), deferrals=deferrals))
    return True


def _parts():
    """The drawn parts on disk (render/parts.py), shared by every build that uses this cache."""
    from periodical.render import parts
    return parts.Parts(CACHE / "parts", PHOTO_CACHE, salt=_code_digest())


def _settled(issue, font_dir, scales, keys, known=None, skip=(), helpers=None):
    """The photos and quotes each run defers to fill its columns (render/floats.py), at its fitted
    scale; cached by the run's HTML and scale, as the scales are. known: those a search just
    found, by the same key; skip: first articles of runs left out."""
    from periodical.render import render
    cache_file = CACHE / "floats.json"
    cache = _read_cache(cache_file)
    deferrals, before, away, wanted = {}, len(cache), {}, []
    for run in fit.runs(issue.articles):
        first = run.articles[0].slug
        if first in skip or not any(a.pullquote or any(i.size == "column" for i in a.images) for a in run.articles):
            continue
        key = f"{keys[first]}:{scales.get(first, 1.0)}"
        wanted.append(key)
        job = (issue, font_dir, run, scales.get(first, 1.0))
        if isinstance(cache.get(key), dict):
            continue
        if key in (known or {}):
            cache[key] = known[key]
        elif run.planned is not None:
            cache[key] = _settle_job(*job)      # here: its settled layout, at its planned page, is the one lay_out draws
        else:
            away[key] = job                     # laid out at page 1: in any process
    # An issue of unplanned runs (the 4× and 16× ones) settles them all: in the helpers too.
    cache.update(zip(away, workers.parallel(helpers, _settle_job, list(away.values()))))
    for key in wanted:
        deferrals.update(cache[key])
    if len(cache) != before:
        render.atomic_write(cache_file, lambda f: f.write(json.dumps(cache, indent=0).encode()))
    return deferrals


def _search_cost(job):
    """What a run's search costs, roughly: layouts grow with its inserts, each with its pages."""
    run = job[2]
    inserts = sum(len(a.images) + bool(a.pullquote) for a in run.articles)
    return (run.next_planned - run.planned) * (1 + inserts)


def _settle_job(issue, font_dir, run, scale):
    from periodical.render import paginate
    return paginate.settle_run(issue, run, font_dir, scale, _resources(issue))[1]


def _search_run(issue, font_dir, run, start):
    """The scale fit.search finds for the run, its deferrals at that scale, and the run drawn there
    (parts.Drawn, or None): a worker process settles and draws the run where its layouts are kept,
    so the parent neither settles nor lays it out again."""
    from periodical.render import paginate, render
    span, deferrals = run.next_planned - run.planned, {}

    def measure(scale):
        measured = paginate.lay_out_run(issue, run, font_dir, scale, _resources(issue), span=span)
        deferrals[scale] = measured[4]          # None: laid out as composed, not settled
        return measured
    scale = fit.search(span, measure, start)
    if deferrals.get(scale) is None:
        deferrals[scale] = paginate.settle_run(issue, run, font_dir, scale, _resources(issue))[1]
    # Drawn at its planned page, where the issue lays it out unless a run before it overruns.
    part = compose.run_part(run)
    html = compose.compose(issue, part, run.planned, fonts_dir=font_dir,
                           scales={slug: scale for slug in part.slugs}, deferrals=deferrals[scale])
    drawn = _parts().get(html, issue, font_dir, _resources(issue), part.slugs)
    render.KEPT.clear()          # the run's other layouts: no build asks for them again
    return scale, deferrals[scale], drawn


def _read_fit_cache(path):
    """Scales found, by the run's HTML (settled runs); the last scale of each run (a search's
    start) and the last moves of its inserts (a draft's), by its first article."""
    cache = _read_cache(path)
    ok = all(isinstance(cache.get(k), dict) for k in ("by_html", "by_run"))
    cache = cache if ok else {"by_html": {}, "by_run": {}}
    if not isinstance(cache.get("moved"), dict):
        cache["moved"] = {}
    return cache


def _read_cache(path):
    """A JSON cache file as a dict; empty if it is missing or damaged (the cache is made again)."""
    try:
        cache = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return cache if isinstance(cache, dict) else {}


def _resources(issue):
    """Files outside the issue folder that its HTML loads: the printing condition's profile."""
    return (issue.meta["color_profile"],)


def _run_key(issue, run, font_dir):
    html = compose.compose(issue, compose.run_part(run), run.planned or 1, fonts_dir=font_dir)
    css = (compose.LAYOUTS / "magazine.css").read_bytes()
    return hashlib.sha256(html.encode() + css + _code_digest()).hexdigest()[:24]


@functools.lru_cache(maxsize=None)
def _code_digest():
    """The pipeline's own code: a change to how pages are laid out refits every run."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.rglob("*.py")))).digest()


def inputs_digest(issue_dir):
    """A hash of everything a build reads: the issue's files, the layouts, the code, the fonts, the profiles."""
    h = hashlib.sha256()
    folders = [Path(issue_dir), compose.LAYOUTS, Path(__file__).parent]
    for folder, path in sorted((folder, p) for folder in folders for p in Path(folder).rglob("*")
                               if p.is_file() and "__pycache__" not in p.parts):
        h.update(os.fsencode(path.relative_to(folder)) + b"\0" + path.read_bytes())   # fsencode: any file name
    h.update(fonts.identity())
    for profile in sorted(icc.SYSTEM_PROFILES.rglob("*.icc")) if icc.SYSTEM_PROFILES.is_dir() else ():
        st = profile.stat()
        h.update(f"{profile}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _up_to_date(out_dir, digest):
    """The last report, if it was made from the same inputs and its outputs are the files it
    was written with (a build stopped after writing a PDF, before its report, leaves a PDF the
    report does not describe)."""
    try:
        report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if report.get("inputs") == digest and report.get("outputs") == _stamps(out_dir) else None


def _stamps(out_dir):
    """Size and time of each file a report vouches for; None if one is missing."""
    files = [o.file for o in outputs.OUTPUTS] + ["preflight.json", "preview/index.html", "preview/preview.json"]
    try:
        return {name: [st.st_size, st.st_mtime_ns] for name in files for st in [(out_dir / name).stat()]}
    except OSError:
        return None


def build(issue_dir, out_dir=None, progress=None, strict=False, shown=None, laid_out=None, helpers=None):
    """Build every output of the issue into out_dir and return the check report (a dict).

    strict: also list in report["refused"] why the print file is not print-ready.
    laid_out: called with the laid-out issue (render.Rendered) before anything is drawn or
    written (the preview server draws the pages that changed and shows them at once); when an
    edit pushes the parts after it to other pages, first with the parts up to it
    (Rendered.complete False) while the others are laid out.
    shown: called once the preview shows the new pages, before the typesetting and preflight
    checks, which it does not need (the preview server refreshes the browsers then).
    helpers: the worker processes to use (workers.start_helpers); by default the build starts its own.
    """
    progress = progress or (lambda msg: print(msg, file=sys.stderr))
    out_dir = Path(out_dir) if out_dir else default_out(issue_dir)
    t0 = time.perf_counter()
    digest = inputs_digest(issue_dir)
    previous = _up_to_date(out_dir, digest)
    if previous:
        progress(f"up to date: nothing changed since the last build of {out_dir}")
        if strict:
            checks = json.loads((out_dir / "preflight.json").read_text(encoding="utf-8"))
            previous["refused"] = _refusals(previous, checks)
        return previous
    with contextlib.nullcontext(helpers) if helpers is not None else workers.start_helpers() as helpers:
        # WeasyPrint and pypdf load only when there is something to render: an up-to-date build
        # answers in a fraction of a second.
        from periodical.check import check, flatplan, inventory, typography
        from periodical.preview import preview
        issue, used = prepare(issue_dir)
        progress(f"load+text: {len(issue.articles)} articles, {len(used)} distinct characters")
        template_chars = "".join(p.read_text(encoding="utf-8") for p in sorted(compose.LAYOUTS.iterdir()) if p.is_file())
        font_dir = fonts.subset("".join(used) + template_chars, CACHE / "fonts")
        rendered = _fitted(issue, font_dir, progress, laid_out, helpers)
        written = outputs.write_all(issue, rendered, out_dir, font_dir)
        progress(f"write: {', '.join(p.name for p in written.values())}")
        # The contents check reads the numbers inside the contents links: the archive keeps them.
        report = check.verify(issue, written["archive"], rendered)
        report["warnings"] = [str(w) for w in issue.warnings] + report["warnings"]    # what the input stages repaired
        report["flatplan"] = flatplan.pages(rendered, report["articles"])
        report["photos"] = rendered.photos
        report["inventory"], lost = inventory.check(issue, rendered)
        report["problems"] += lost
        counted = report["inventory"]
        progress(f"inventory: {counted['printed']} of {counted['items']} items of the data on the pages"
                 + (f", {len(counted['lost'])} lost" if counted["lost"] else ", nothing lost")
                 + (f", {len(counted['out_of_order'])} out of order" if counted["out_of_order"] else ""))
        preview.write(out_dir / "preview", written["print"], report, issue, progress, rendered.parts)
        if shown:
            shown()
        # Read from the parts' PDFs, which print.pdf's pages are (stitch.py copies their content): a
        # part's result is kept with it, so an edit checks only what it drew.
        report["typography"] = typography.summary(typography.check_parts(rendered.parts, _parts().derived))
        progress(f"typography: {report['typography']['violations']} violations of the typesetting rules")
        size = issue.meta["trim"].width, issue.meta["trim"].height
        checks = _preflight(written, size, helpers)
        _write_json(out_dir / "preflight.json", checks)
        report["preflight"] = {file: _tally(r) for file, r in checks.items()}
        if strict:
            report["refused"] = _refusals(report, checks)
        report["seconds"] = round(time.perf_counter() - t0, 2)
        report["inputs"], report["outputs"] = digest, _stamps(out_dir)
        # "refused" answers this run's --strict; an up-to-date build recomputes it when asked.
        # The report is written last: its inputs digest tells the next build that all is in place.
        _write_json(out_dir / "report.json", {k: v for k, v in report.items() if k != "refused"})
        progress(f"check: {out_dir} written, {len(report['problems'])} problems, {report['seconds']} s")
        return report


def _preflight(written, size, helpers):
    """Each written file preflighted, all but the first in the helpers while this process reads
    the first (each takes a third of a second and more, the whole file read from its bytes)."""
    from periodical.preflight import preflight
    jobs = {path.name: (path, outputs.BY_NAME[name].preflight, size) for name, path in written.items()}
    away = {name: helpers.pool.apply_async(preflight.run, job) for name, job in list(jobs.items())[1:]} if helpers else {}
    here = {name: preflight.run(*job) for name, job in jobs.items() if name not in away}
    return {name: here[name] if name in here else away[name].get() for name in jobs}


def _write_json(path, data):
    from periodical.render import render
    render.atomic_write(path, lambda f: f.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")))


def _tally(report):
    rules = {}
    for e in report["errors"]:
        rules[e["rule"]] = rules.get(e["rule"], 0) + 1
    return {"errors": len(report["errors"]), "warnings": len(report["warnings"]), "error_rules": rules}


def _refusals(report, checks):
    """Why the build is not print-ready: any preflight error (FPO images and .notdef glyphs
    among them), an undeclared (fallback) font, or overset: material pushed past its pages."""
    from periodical.preflight.preflight import format_finding
    out = [f"{file}: {format_finding(e)}" for file, r in checks.items() for e in r["errors"]]
    out += [f"overset: {a['slug']} starts on p.{a['start']}, planned p.{a['planned']}" for a in report["drift"]
            if a["drift"] > 0]
    return out + report["problems"]
