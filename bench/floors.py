"""What no build can go below on this machine, timed as the benchmark times a build.

    python bench/floors.py load ISSUE_DIR

load: a fresh interpreter imports what a build imports (WeasyPrint with our patches, pikepdf,
the checks and the preview's pdfium) and loads and cleans the issue, as every build does before
it lays out a line. A one-article edit from the command line cannot take less.
The other floor, a cold build whose copy fitting guessed every scale at once, is a real build
(`run.py: cold_known`): the cache holds only what the searches found (fit.json, floats.json).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def load(issue_dir):
    from periodical import build
    from periodical.check import check, flatplan, inventory, typography  # noqa: F401  (as build() does)
    from periodical.output import stitch  # noqa: F401
    from periodical.preview import preview  # noqa: F401
    from periodical.render import render  # noqa: F401
    build.prepare(issue_dir)


if __name__ == "__main__":
    kind, issue_dir = sys.argv[1:3]
    {"load": load}[kind](issue_dir)
