"""The command line: parse arguments, call one function, map failures to exit codes.

Exit codes: 0 done; 1 the build or a check failed; 2 the input is wrong (every problem listed).
"""
import argparse
import signal
import sys
from pathlib import Path

import pypdfium2 as pdfium

from . import build as pipeline
from . import typography
from .errors import BuildError, InputError


def _stop_on_sigterm():
    # SIGTERM ends the build like Ctrl-C does, so temporary files are removed on the way out.
    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make_issue.py", description="Build a magazine issue from its data.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the issue's PDF")
    b.add_argument("issue", type=Path, help="issue folder, e.g. issue/2023-01")
    b.add_argument("--out", type=Path, help="output folder (default build/<id>/)")
    c = sub.add_parser("check", help="validate the data and glyph coverage without rendering, "
                                      "or check the typesetting of a built PDF")
    c.add_argument("issue", type=Path, nargs="?")
    c.add_argument("--typography", type=Path, metavar="PDF",
                   help="check the Chinese typesetting of PDF's body text (justification, line breaks, punctuation)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    args = parser.parse_args(argv)
    _stop_on_sigterm()
    try:
        if args.command == "build":
            report = pipeline.build(args.issue, args.out)
            _print_report(report)
            return 1 if report["problems"] else 0
        if args.command == "check" and args.typography:
            return _check_typography(args.typography)
        if args.command == "check":
            if args.issue is None:
                parser.error("check needs an issue folder or --typography PDF")
            issue, used = pipeline.prepare(args.issue)
            print(f"{args.issue}: {len(issue.articles)} articles, {len(used)} distinct characters, all printable")
            return 0
    except InputError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) in the input; nothing was written.", file=sys.stderr)
        return 2
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous outputs are untouched.", file=sys.stderr)
        return 130
    except Exception as e:          # a bug of ours, not the editor's: say so briefly
        if args.debug:
            raise
        print(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback); "
              "the previous outputs are untouched.", file=sys.stderr)
        return 1


def _check_typography(pdf):
    if not pdf.is_file():
        print(f"{pdf}: no such PDF file", file=sys.stderr)
        return 2
    try:
        violations = typography.check(pdf)
    except pdfium.PdfiumError as e:
        print(f"{pdf}: not a readable PDF ({e})", file=sys.stderr)
        return 2
    for v in violations:
        print(f"typography: {v}")
    print(f"{pdf}: {len(violations)} violations of the typesetting rules")
    return 1 if violations else 0


SHOWN_VIOLATIONS = 20


def _print_report(report):
    for a in report["drift"]:
        print(f"drift: {a['slug']} starts on p.{a['start']}, planned p.{a['planned']}: {a['reason']}")
    for w in report["warnings"]:
        print(f"warning: {w}")
    for p in report["problems"]:
        print(f"problem: {p}")
    found = report["typography"]
    for v in found["list"][:SHOWN_VIOLATIONS]:
        print(f"typography: {v}")
    if found["violations"] > SHOWN_VIOLATIONS:
        print(f"typography: … {found['violations'] - SHOWN_VIOLATIONS} more in report.json")
    placed = sum(1 for a in report["articles"] if a["planned"] and not a["drift"])
    print(f"{report['issue']}: {report['pages']} pages, {placed}/{sum(1 for a in report['articles'] if a['planned'])} "
          f"articles on their planned page, {len(report['problems'])} problems, {len(report['warnings'])} warnings, "
          f"{report['typography']['violations']} typesetting violations")
