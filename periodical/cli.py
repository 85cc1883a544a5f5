"""The command line: parse arguments, call one function, map failures to exit codes.

Exit codes: 0 done; 1 the build or a check failed; 2 the input is wrong (every problem listed).
"""
import argparse
import signal
import sys
from pathlib import Path

from . import build as pipeline
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
    c = sub.add_parser("check", help="validate the data and glyph coverage without rendering")
    c.add_argument("issue", type=Path)
    v = sub.add_parser("preview", help="serve the issue's spreads on 127.0.0.1, rebuilt on every save")
    v.add_argument("issue", type=Path)
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    v.add_argument("--out", type=Path, help="output folder (default build/<id>/)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    args = parser.parse_args(argv)
    _stop_on_sigterm()
    try:
        if args.command == "build":
            report = pipeline.build(args.issue, args.out)
            _print_report(report)
            return 1 if report["problems"] else 0
        if args.command == "preview":
            from . import serve              # loads the renderer: only when a preview is asked for
            return serve.serve(args.issue, args.out, args.port)
        if args.command == "check":
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


def _print_report(report):
    for a in report["drift"]:
        print(f"drift: {a['slug']} starts on p.{a['start']}, planned p.{a['planned']}: {a['reason']}")
    for w in report["warnings"]:
        print(f"warning: {w}")
    for p in report["problems"]:
        print(f"problem: {p}")
    placed = sum(1 for a in report["articles"] if a["planned"] and not a["drift"])
    print(f"{report['issue']}: {report['pages']} pages, {placed}/{sum(1 for a in report['articles'] if a['planned'])} "
          f"articles on their planned page, {len(report['problems'])} problems, {len(report['warnings'])} warnings")
