"""Nothing lost: every paragraph, heading, list, photo, caption, credit and pull quote the data
holds is found in the laid-out pages.

Compose lists what the data holds (compose.inventory) and writes each item's id into the HTML
as `data-item`; the ids were read back from WeasyPrint's laid-out boxes, the pages the PDF is
drawn from, when each part was drawn (render/facts.py: an item counts as printed when a box of
its element stands on a page, inside the sheet; a photo when its image box does), not guessed
from the text. An item the data holds and no page shows is a problem naming its file and key.
Nor reordered: an article's text blocks (body[n]) stand in the laid-out pages in the order its
file writes them, or a problem names the block printed too early (photos and quotes may move
on past text; text never overtakes text).
"""
import re

from periodical.compose import compose
from periodical.errors import rel

_BODY = re.compile(r"^(?P<file>.*)\|body\[(?P<n>\d+)\]$")


def laid_out(pages):
    """The ids of the items that stand on the pages (facts.pages dicts): {item id: first page number}."""
    found = {}
    for number, page in enumerate(pages, 1):
        for item in page["items"]:
            found.setdefault(item, number)
    return found


def out_of_order(pages):
    """(file, block printed early, the block it stands before) for each text block that stands
    before one its file writes earlier, in the order the pages show them (facts.pages dicts)."""
    last, out = {}, []
    for page in pages:
        for item in page["items"]:
            m = _BODY.match(item)
            if m is None:
                continue
            file, n = m["file"], int(m["n"])
            if file in last and n < last[file]:
                out.append((file, last[file], n))
            last[file] = max(n, last.get(file, n))
    return out


def check(issue, rendered):
    """(report rows, problems): each item the data holds, where it stands, and those that are
    lost or printed out of their order."""
    found = laid_out(rendered.pages)
    rows, problems = [], []
    for item in compose.inventory(issue):
        page = found.get(item.id)
        rows.append({"file": item.file, "key": item.key, "page": page})
        if page is None:
            problems.append(f"{rel(issue.root / item.file)}: {item.key}: {item.what} is not on any laid-out page (lost)")
    moved = out_of_order(rendered.pages)
    for file, early, late in moved:
        problems.append(f"{rel(issue.root / file)}: body[{early}] is printed before body[{late}], "
                        "which the article writes first (text out of order)")
    return {"items": len(rows), "printed": sum(1 for r in rows if r["page"]), "lost": [r for r in rows if not r["page"]],
            "out_of_order": [{"file": f, "printed_early": e, "before": n} for f, e, n in moved]}, problems
