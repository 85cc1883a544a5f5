"""The whole pipeline in one direction: load → text → compose → render → check.

`build()` is the only function the command line, the preview server and the tests call to
make an issue. It gathers and validates everything before it writes anything, so bad input
never replaces a good PDF.
"""
import json
import sys
import time
from pathlib import Path

from . import check, compose, fit, fonts, load, render, text, typography
from .errors import InputError, Problem

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
        raise InputError([Problem(load._rel(issue.root / "articles" / f) if f != "issue.yaml" else
                                  load._rel(issue.root / f), None, None,
                                  f"character {c!r} (U+{ord(c):04X}) is not in the declared fonts "
                                  "(Noto Serif/Sans CJK SC); replace it or ask for a font")
                          for c in missing for f in sorted(used[c])])
    return issue, used


FIT_PASSES = 3


def _fitted(issue, font_dir, progress):
    """Lay the issue out, resizing photos until each run of articles fills its planned pages."""
    scales = {}
    for attempt in range(1, FIT_PASSES + 1):
        html = compose.compose(issue, fonts_dir=font_dir, scales=scales)
        rendered = render.render(html, issue.root, fonts_dir=font_dir, planned_pages=issue.meta["pages"])
        drift = sum(1 for a in issue.articles if a.page and rendered.starts.get(a.slug) != a.page)
        progress(f"render (pass {attempt}): {rendered.content_pages} pages, {drift} articles off their planned page")
        new = fit.adjust(issue.articles, rendered.starts, scales)
        if not drift or new == scales:
            break
        scales = new
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
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    progress(f"check: {pdf} written, {len(report['problems'])} problems, {report['seconds']} s")
    return report
