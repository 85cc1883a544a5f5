"""Nothing lost: every paragraph, heading, list, photo, caption, credit and pull quote the data
holds is found in the laid-out pages.

Compose lists what the data holds (compose.inventory) and writes each item's id into the HTML
as `data-item`; the ids were read back from WeasyPrint's laid-out boxes, the pages the PDF is
drawn from, when each part was drawn (render/facts.py: an item counts as printed when a box of
its element stands on a page, inside the sheet; a photo when its image box does), not guessed
from the text. An item the data holds and no page shows is a problem naming its file and key.
"""
from periodical.compose import compose
from periodical.errors import rel


def laid_out(pages):
    """The ids of the items that stand on the pages (facts.pages dicts): {item id: first page number}."""
    found = {}
    for number, page in enumerate(pages, 1):
        for item in page["items"]:
            found.setdefault(item, number)
    return found


def check(issue, rendered):
    """(report rows, problems): each item the data holds, where it stands, and those that are lost."""
    found = laid_out(rendered.pages)
    rows, problems = [], []
    for item in compose.inventory(issue):
        page = found.get(item.id)
        rows.append({"file": item.file, "key": item.key, "page": page})
        if page is None:
            problems.append(f"{rel(issue.root / item.file)}: {item.key}: {item.what} is not on any laid-out page (lost)")
    return {"items": len(rows), "printed": sum(1 for r in rows if r["page"]), "lost": [r for r in rows if not r["page"]]}, problems
