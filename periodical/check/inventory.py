"""Nothing lost: every paragraph, heading, list, photo, caption, credit and pull quote the data
holds is found in the laid-out pages.

Compose lists what the data holds (compose.inventory) and writes each item's id into the HTML
as `data-item`; here the ids are read back from WeasyPrint's laid-out boxes, the pages the PDF
is drawn from, not guessed from the text. An item counts as printed when a box of its element
stands on a page, inside the sheet (a caption pushed below the page's edge is not printed); a
photo when its image box does (a file WeasyPrint cannot draw leaves only its alt text). An item
the data holds and no page shows is a problem naming its file and key.
"""
from weasyprint.formatting_structure import boxes

from periodical.compose import compose
from periodical.errors import rel


def laid_out(pages):
    """The ids of the items that stand on the pages: {item id: first page number}."""
    found = {}
    for number, page in enumerate(pages, 1):
        sheet = page._page_box
        for box in _boxes(sheet):
            item = box.element.get("data-item") if box.element is not None and box.element_tag else None
            if item and _on_sheet(box, sheet) and (box.element_tag != "img" or isinstance(box, boxes.ReplacedBox)):
                found.setdefault(item, number)
    return found


def check(issue, rendered):
    """(report rows, problems): each item the data holds, where it stands, and those that are lost."""
    found = laid_out(rendered.document.pages)
    rows, problems = [], []
    for item in compose.inventory(issue):
        page = found.get(item.id)
        rows.append({"file": item.file, "key": item.key, "page": page})
        if page is None:
            problems.append(f"{rel(issue.root / item.file)}: {item.key}: {item.what} is not on any laid-out page (lost)")
    return {"items": len(rows), "printed": sum(1 for r in rows if r["page"]), "lost": [r for r in rows if not r["page"]]}, problems


def _boxes(box):
    box = getattr(box, "_box", box)   # an absolutely positioned box stands in the tree as a placeholder
    if isinstance(box, boxes.MarginBox):
        return                        # running heads and folios are not the data's items
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _on_sheet(box, sheet):
    """Whether the box starts inside the page (bleed included): overflow past the edge is not printed."""
    return (box.position_y < sheet.margin_height() and box.position_x < sheet.margin_width()
            and box.position_y + box.margin_height() > 0 and box.position_x + box.margin_width() > 0)
