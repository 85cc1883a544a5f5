"""What no build can go below on this machine, timed as the benchmark times a build.

    python bench/floors.py edit ISSUE_DIR ARTICLE_FILE_NAME     (with PERIODICAL_CACHE set)

edit: a fresh interpreter imports what a build imports (WeasyPrint with our patches, pikepdf,
the checks and the preview's pdfium), loads and cleans the issue, and lays out once the run of
articles that holds the edited file, at the scale and with the moves its last search found
(fit.json), drawing nothing: the least a build must do to know the pages of an edit, before it
draws, stitches, writes or checks anything. A one-article edit from the command line cannot take less.
The other floor, a cold build whose copy fitting guessed every scale at once, is a real build
(`run.py: cold_known`): the cache holds only what the searches found (fit.json, floats.json).
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def edit(issue_dir, name):
    from periodical import build, fonts
    from periodical.check import check, flatplan, inventory, typography  # noqa: F401  (as build() does)
    from periodical.compose import compose, fit
    from periodical.output import stitch  # noqa: F401
    from periodical.preview import preview  # noqa: F401
    from periodical.render import paginate
    issue, used = build.prepare(issue_dir)
    chars = "".join(p.read_text(encoding="utf-8") for p in sorted(compose.LAYOUTS.iterdir()) if p.is_file())
    font_dir = fonts.subset("".join(used) + chars, build.CACHE / "fonts")
    last = json.loads((build.CACHE / "fit.json").read_text(encoding="utf-8"))
    run = next(r for r in fit.runs(issue.articles) if any(a.path.name == name for a in r.articles))
    first = run.articles[0].slug
    paginate.run_pages(issue, run, font_dir, last["by_run"].get(first, 1.0), last["moved"].get(first, {}),
                       (issue.meta["color_profile"],))


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    {"edit": edit}[kind](*args)
