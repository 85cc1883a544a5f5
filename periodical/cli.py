"""The command line: parse arguments, call one function, map failures to exit codes.

Exit codes: 0 done; 1 the build or a check failed (preflight: the file has errors); 2 the
input is wrong (every problem listed).
"""
import argparse
import json
import signal
import sys
from pathlib import Path

from periodical import build as pipeline
from periodical.errors import BuildError, InputError, Problem, SetupError
from periodical.output import outputs


def _stop_on_sigterm():
    # SIGTERM ends the build like Ctrl-C does, so temporary files are removed on the way out.
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    _stop_on_sigterm()
    try:
        return COMMANDS[args.command](args)
    except InputError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) in the input; nothing was written.", file=sys.stderr)
        return 2
    except BuildError as e:
        print(f"{args.command} failed: {e}", file=sys.stderr)
        return 1
    except SetupError as e:
        return _setup_failed(e)
    except KeyboardInterrupt:
        print("interrupted; the previous outputs are untouched.", file=sys.stderr)
        return 130
    except Exception as e:          # a bug of ours, not the editor's: say so briefly
        if SetupError.from_exception(e):    # a package or library loaded late (WeasyPrint, pdfium …)
            return _setup_failed(SetupError.from_exception(e))
        if args.debug:
            raise
        print(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback); "
              "the previous outputs are untouched.", file=sys.stderr)
        return 1


def _setup_failed(e):
    print(f"set-up: {e}", file=sys.stderr)
    return 2


def _parser():
    parser = argparse.ArgumentParser(prog="make_issue.py", description="Build a magazine issue from its data.")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", required=True)
    files = ", ".join(o.file for o in outputs.OUTPUTS)
    b = sub.add_parser("build", help=f"build the issue: {files}, report.json, preflight.json")
    b.add_argument("issue", type=Path, help="issue folder, e.g. issue/2023-01")
    b.add_argument("--out", type=Path, help="output folder (default build/<id>/)")
    b.add_argument("--strict", action="store_true",
                   help="fail unless print-ready: no preflight error, FPO image, missing glyph or overset")
    c = sub.add_parser("check", help="validate the data and glyph coverage without rendering, "
                                      "or check the typesetting of a built PDF")
    c.add_argument("issue", type=Path, nargs="?")
    c.add_argument("--typography", type=Path, metavar="PDF",
                   help="check the Chinese typesetting of PDF's body text (justification, line breaks, punctuation)")
    v = sub.add_parser("preview", help="serve the issue's spreads on 127.0.0.1, rebuilt on every save")
    v.add_argument("issue", type=Path)
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    v.add_argument("--out", type=Path, help="output folder (default build/<id>/)")
    p = sub.add_parser("preflight", help="check a PDF from its bytes (print house or archive rules)")
    p.add_argument("pdf", type=Path)
    p.add_argument("--rules", choices=sorted({o.preflight for o in outputs.OUTPUTS}),
                   help="rule set (default: by what the file claims)")
    p.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    e = sub.add_parser("extract", help="write the source files embedded in an archive PDF into a new folder")
    e.add_argument("pdf", type=Path)
    e.add_argument("folder", type=Path)
    a = sub.add_parser("archive", help="build an issue and put its archive PDF on the shelf as <shelf>/<id>.pdf")
    a.add_argument("issue", type=Path)
    a.add_argument("--shelf", type=Path, default=Path("archive"), help="shelf folder (default archive/)")
    a.add_argument("--out", type=Path, help="build folder (default build/<id>/)")
    k = sub.add_parser("catalog", help="write index.html, cover thumbnails and SHA256SUMS for a shelf")
    k.add_argument("shelf", type=Path)
    n = sub.add_parser("new", help="start the next issue's folder from the previous one (number, total, date moved on)")
    n.add_argument("folder", type=Path, help="the new issue folder, e.g. issue/2023-02 (must not exist)")
    n.add_argument("--from", dest="prev", type=Path, required=True, help="the previous issue folder")
    i = sub.add_parser("import", help="turn a Word manuscript (.docx) into an article of the issue, with its photos")
    i.add_argument("docx", type=Path, help="the manuscript, .docx")
    i.add_argument("issue", type=Path, help="the issue folder")
    i.add_argument("--section", required=True, help="a section id declared in issue.yaml")
    i.add_argument("--page", type=int, help="planned start page (names the file PP-slug.md)")
    i.add_argument("--slug", help="short Latin name of the article (default article-N)")
    i.add_argument("--force", action="store_true", help="replace an article and photos of the same name")
    i.add_argument("--accept-loss", action="store_true",
                   help="write the article even if text of the manuscript is missing from it")
    return parser


def _build(args):
    report = pipeline.build(args.issue, args.out, strict=args.strict)
    _print_report(report)
    return 1 if report["problems"] or report.get("refused") else 0


def _preview(args):
    from periodical.preview import serve  # loads the renderer: only when a preview is asked for
    return serve.serve(args.issue, args.out, args.port)


def _check(args):
    if args.typography:
        return _check_typography(args.typography)
    if args.issue is None:
        raise InputError([Problem("check", None, None, "name an issue folder, or a PDF with --typography")])
    issue, used = pipeline.prepare(args.issue)
    for w in issue.warnings:
        print(f"warning: {w}")
    print(f"{args.issue}: {len(issue.articles)} articles, {len(used)} distinct characters, all printable")
    return 0


def _check_typography(pdf):
    from periodical.check import typography  # loads pdfium: only when a PDF is checked
    if not pdf.is_file():
        raise InputError([Problem(str(pdf), None, None, "no such file")])
    try:
        violations = typography.check(pdf)
    except typography.UnreadablePDF as e:
        raise InputError([Problem(str(pdf), None, None, f"not a readable PDF ({e})")])
    for v in violations:
        print(f"typography: {v}")
    print(f"{pdf}: {len(violations)} violations of the typesetting rules")
    return 1 if violations else 0


SHOWN_VIOLATIONS = 20
# Of the flatplan, printed by page (missing photos are warned of with the issue's warnings).
PAGE_WARNINGS = ("low-res", "overrun", "underfilled", "hole", "blank")


def _preflight(args):
    from periodical.preflight import preflight
    if not args.pdf.is_file():
        raise InputError([Problem(str(args.pdf), None, None, "no such file")])
    report = preflight.run(args.pdf, args.rules)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(preflight.format_report(report))
    return 1 if report["errors"] else 0


def _extract(args):
    from periodical.output import sources
    names = sources.extract(args.pdf, args.folder)
    print(f"{args.folder}: {len(names)} files from {args.pdf} ({', '.join(names[:3])}{' …' if len(names) > 3 else ''})")
    return 0


def _archive(args):
    from periodical.output import catalog
    out = args.out or pipeline.default_out(args.issue)
    report = pipeline.build(args.issue, out)
    _print_report(report)
    if report["problems"]:
        return 1
    shelved = catalog.shelve(out / outputs.BY_NAME["archive"].file, args.shelf, Path(args.issue).resolve().name)
    print(f"{shelved}: on the shelf")
    return 0


def _catalog(args):
    from periodical.output import catalog
    count = catalog.write_index(args.shelf)
    print(f"{args.shelf}: {count} issues, index.html and SHA256SUMS written")
    return 0


def _new(args):
    from periodical.intake import new
    values = new.new_issue(args.folder, args.prev)
    moved = ", ".join(f"{k} {old} → {now}" for k, (old, now) in values.items())
    print(f"{args.folder}: new issue from {args.prev} ({moved}); articles/ and images/ are empty.\n"
          f"next: check date and the cover lines in {args.folder / 'issue.yaml'}, then import each manuscript:\n"
          f"  python make_issue.py import FILE.docx {args.folder} --section ID --page N\n"
          f"and build: python make_issue.py build {args.folder}")
    return 0


def _import(args):
    from periodical.intake import manuscript
    result = manuscript.import_docx(args.docx, args.issue, args.section, args.page, args.slug,
                                    args.force, args.accept_loss)
    print(result.report, end="")
    print(f"report: {result.report_path}")
    return 1 if result.article is None else 0


COMMANDS = {"build": _build, "check": _check, "preview": _preview, "preflight": _preflight,
            "extract": _extract, "archive": _archive, "catalog": _catalog, "new": _new, "import": _import}


def _print_report(report):
    for a in report["drift"]:
        print(f"drift: {a['slug']} starts on p.{a['start']}, planned p.{a['planned']}: {a['reason']}")
    for w in report["warnings"]:
        print(f"warning: {w}")
    for p in report["problems"]:
        print(f"problem: {p}")
    # The pages an editor would send back, each finding once (a photo drawn twice on a page is one).
    pages = list(dict.fromkeys((page["page"], w["kind"], _page_message(w)) for page in report.get("flatplan", ())
                               for w in page["warnings"] if w["kind"] in PAGE_WARNINGS))
    for number, kind, message in pages:
        print(f"page {number}: {kind}: {message}")
    for file, t in report["preflight"].items():
        rules = ", ".join(f"{n} [{r}]" for r, n in sorted(t["error_rules"].items()))
        print(f"preflight: {file}: {t['errors']} errors{f' ({rules})' if rules else ''}, {t['warnings']} warnings"
              " (details in preflight.json)")
    for r in report.get("refused", ()):
        print(f"not print-ready: {r}")
    found = report["typography"]
    for v in found["list"][:SHOWN_VIOLATIONS]:
        print(f"typography: {v}")
    if found["violations"] > SHOWN_VIOLATIONS:
        print(f"typography: … {found['violations'] - SHOWN_VIOLATIONS} more in report.json")
    placed = sum(1 for a in report["articles"] if a["planned"] and not a["drift"])
    print(f"{report['issue']}: {report['pages']} pages, {placed}/{sum(1 for a in report['articles'] if a['planned'])} "
          f"articles on their planned page, {len(report['problems'])} problems, {len(report['warnings'])} warnings, "
          + (f"{len(pages)} page warning{'s' * (len(pages) > 1)}, " if pages else "") +
          f"{report['typography']['violations']} typesetting violations")


def _page_message(warning):
    """A page warning as printed: a photo's names its article's file, which the layout's message does not."""
    if warning["kind"] == "low-res" and warning.get("article"):
        return f"{warning['article']}.md: {warning['message']}"
    return warning["message"]
