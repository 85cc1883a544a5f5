"""The whole pipeline in one direction: load → text → compose → render → check.

`build()` is the only function the command line, the preview server and the tests call to
make an issue. It gathers and validates everything before it writes anything, so bad input
never replaces a good PDF.
"""
import hashlib
import json
import sys
import time
from pathlib import Path

from . import check, compose, fit, fonts, load, render, text, typography
from .errors import InputError, Problem, rel

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / ".cache"


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


def _fitted(issue, font_dir, progress):
    """Lay the issue out; if runs of articles miss their planned pages, refit their photos and lay out again.

    The scale found for a run is cached by the run's composed HTML, so a rebuild refits only
    the runs whose text, photos or layout changed.
    """
    cache_file = CACHE / "fit.json"
    cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    keys = {run.articles[0].slug: _run_key(issue, run, font_dir) for run in fit.runs(issue.articles)}
    scales = {a.slug: cache[keys[run.articles[0].slug]] for run in fit.runs(issue.articles)
              for a in run.articles if keys[run.articles[0].slug] in cache}
    rendered = _render_all(issue, font_dir, scales, progress, "first")

    def measure(run, scale):
        html = compose.compose(issue, fonts_dir=font_dir, scales={a.slug: scale for a in run.articles},
                               only={a.slug for a in run.articles})
        part = render.render(html, issue.root, fonts_dir=font_dir, pad=False)
        return part.content_pages, part.free[part.content_pages]

    settled = {first for first, key in keys.items() if key in cache}
    new = fit.plan(issue.articles, rendered.starts, rendered.free, scales, measure, settled)
    cache.update({keys[run.articles[0].slug]: new.get(run.articles[0].slug, 1.0) for run in fit.runs(issue.articles)})
    render.atomic_write(cache_file, lambda f: f.write(json.dumps(cache, indent=0).encode()))
    if new != scales:
        progress(f"fit: photos of {len({k for k in new if new[k] != scales.get(k, 1.0)})} articles resized")
        rendered = _render_all(issue, font_dir, new, progress, "fitted")
    return rendered


def _run_key(issue, run, font_dir):
    html = compose.compose(issue, fonts_dir=font_dir, only={a.slug for a in run.articles})
    css = (compose.LAYOUTS / "magazine.css").read_bytes()
    return hashlib.sha256(html.encode() + css).hexdigest()[:24]


def _render_all(issue, font_dir, scales, progress, label):
    html = compose.compose(issue, fonts_dir=font_dir, scales=scales)
    rendered = render.render(html, issue.root, fonts_dir=font_dir, planned_pages=issue.meta["pages"])
    drift = sum(1 for a in issue.articles if a.page and rendered.starts.get(a.slug) != a.page)
    progress(f"render ({label}): {rendered.content_pages} pages, {drift} articles off their planned page")
    return rendered


def build(issue_dir, out_dir=None, progress=None):
    """Build the issue's PDF into out_dir and return the check report (a dict)."""
    progress = progress or (lambda msg: print(msg, file=sys.stderr))
    out_dir = Path(out_dir) if out_dir else default_out(issue_dir)
    t0 = time.perf_counter()
    issue, used = prepare(issue_dir)
    progress(f"load+text: {len(issue.articles)} articles, {len(used)} distinct characters")
    template_chars = "".join(p.read_text(encoding="utf-8") for p in sorted(compose.LAYOUTS.iterdir()) if p.is_file())
    font_dir = fonts.subset("".join(used) + template_chars, CACHE / "fonts")
    rendered = _fitted(issue, font_dir, progress)
    pdf = out_dir / "print.pdf"
    render.write_pdf(rendered.document, pdf)
    report = check.verify(issue, pdf, rendered)
    report["typography"] = typography.summary(typography.check(pdf))
    progress(f"typography: {report['typography']['violations']} violations of the typesetting rules")
    report["seconds"] = round(time.perf_counter() - t0, 2)
    render.atomic_write(out_dir / "report.json",
                        lambda f: f.write(json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")))
    progress(f"check: {pdf} written, {len(report['problems'])} problems, {report['seconds']} s")
    return report
