"""The whole pipeline in one direction: load → text → compose → render → check.

`build()` is the only function the command line, the preview server and the tests call to
make an issue. It gathers and validates everything before it writes anything, so bad input
never replaces a good PDF.
"""
import json
import sys
import time
from pathlib import Path

from . import check, compose, fit, fonts, load, outputs, preflight, render, text
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
        rendered = render.render(html, issue.root, fonts_dir=font_dir, planned_pages=issue.meta["pages"],
                                 resources=(issue.meta["color_profile"],))
        drift = sum(1 for a in issue.articles if a.page and rendered.starts.get(a.slug) != a.page)
        progress(f"render (pass {attempt}): {rendered.content_pages} pages, {drift} articles off their planned page")
        new = fit.adjust(issue.articles, rendered.starts, scales)
        if not drift or new == scales:
            break
        scales = new
    return rendered


def build(issue_dir, out_dir=None, progress=None, strict=False):
    """Build every output of the issue into out_dir and return the check report (a dict).

    strict: also list in report["refused"] why the print file is not print-ready.
    """
    progress = progress or (lambda msg: print(msg, file=sys.stderr))
    out_dir = Path(out_dir) if out_dir else default_out(issue_dir)
    t0 = time.perf_counter()
    issue, used = prepare(issue_dir)
    progress(f"load+text: {len(issue.articles)} articles, {len(used)} distinct characters")
    template_chars = "".join(p.read_text(encoding="utf-8") for p in sorted(compose.LAYOUTS.iterdir()) if p.is_file())
    font_dir = fonts.subset("".join(used) + template_chars, CACHE / "fonts")
    rendered = _fitted(issue, font_dir, progress)
    written = outputs.write_all(issue, rendered, out_dir)
    progress(f"write: {', '.join(p.name for p in written.values())}")
    # The contents check reads the numbers inside the contents links: the archive keeps them.
    report = check.verify(issue, written["archive"], rendered)
    checks = {path.name: preflight.run(path, outputs.BY_NAME[name].preflight) for name, path in written.items()}
    (out_dir / "preflight.json").write_text(json.dumps(checks, ensure_ascii=False, indent=2), encoding="utf-8")
    report["preflight"] = {file: _tally(r) for file, r in checks.items()}
    if strict:
        report["refused"] = _refusals(report, checks)
    report["seconds"] = round(time.perf_counter() - t0, 2)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    progress(f"check: {out_dir} written, {len(report['problems'])} problems, {report['seconds']} s")
    return report


def _tally(report):
    rules = {}
    for e in report["errors"]:
        rules[e["rule"]] = rules.get(e["rule"], 0) + 1
    return {"errors": len(report["errors"]), "warnings": len(report["warnings"]), "error_rules": rules}


def _refusals(report, checks):
    """Why the build is not print-ready: any preflight error (FPO images and .notdef glyphs
    among them), an undeclared (fallback) font, or overset: material pushed past its pages."""
    out = [f"{file}: {preflight.format_finding(e)}" for file, r in checks.items() for e in r["errors"]]
    out += [f"overset: {a['slug']} starts on p.{a['start']}, planned p.{a['planned']}" for a in report["drift"]
            if a["drift"] > 0]
    return out + report["problems"]
