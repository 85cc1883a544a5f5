"""How far each column of each laid-out page is filled, and what stands in it.

A magazine page is full before it turns: a column that ends well above the foot of the type
area while its article goes on overleaf is a hole. This survey reads WeasyPrint's laid-out
boxes (the pages the PDF is drawn from) and gives, per page, its columns left to right: the
lowest body line, photo or drawn box in each, against the foot of the type area. The flatplan
reports it (check/flatplan.py) and the float deferral acts on it (floats.py).

A column is a slot of the page's multi-column boxes (WeasyPrint marks them `is_column`); what
spans the columns (title blocks, wide photos) stands in every slot; a page without columns
(speech, name lists, covers) is one column.
"""
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes

HOLE = 0.10            # a column ending more than this share of the type area above the foot
INSERTS = ("pullquote", "size-column")     # classes of what compose places between paragraphs


@dataclass
class Item:
    """Something drawn in a column: a line, a photo, a box. `insert`: a placed photo or quote."""
    top: float
    bottom: float
    article: str | None
    element: object = None
    insert: bool = False
    spans: bool = False           # stands across the columns (a title block, a wide photo)


@dataclass
class Column:
    page: int                     # 1-based, within the pages surveyed
    index: int                    # 1-based, left to right
    top: float                    # the type area's top and foot (CSS px)
    foot: float
    items: list = field(default_factory=list)
    continues: bool = False       # the article ending this column goes on past this page

    @property
    def bottom(self):
        return max((i.bottom for i in self.items), default=self.top)

    @property
    def fill(self):
        return min(1.0, (self.bottom - self.top) / (self.foot - self.top)) if self.foot > self.top else 1.0

    @property
    def article(self):
        """The article of the column's lowest item."""
        lowest = max(self.items, key=lambda i: i.bottom, default=None)
        return lowest.article if lowest else None

    @property
    def hole(self):
        return self.continues and self.fill < 1 - HOLE


def survey(pages, slugs):
    """Every page's columns, left to right: [[Column, …] per page]. slugs: the articles' element ids."""
    out = [_page_columns(number, page._page_box, set(slugs)) for number, page in enumerate(pages, 1)]
    last = {}
    for columns in out:
        for column in columns:
            for item in column.items:
                if item.article:
                    last[item.article] = column.page
    for columns in out:
        for column in columns:
            column.continues = last.get(column.article, 0) > column.page
    return out


def _page_columns(number, page_box, slugs):
    top = page_box.content_box_y()
    walker = _Walker(slugs)
    for child in page_box.children:
        if not isinstance(child, boxes.MarginBox):
            walker.visit(child, None, None)
    slots = sorted(walker.slots) or [None]
    columns = [Column(number, n, top, top + page_box.height) for n in range(1, len(slots) + 1)]
    for slot, item in walker.items:
        item.spans = slot is None and len(slots) > 1
        for n, s in enumerate(slots):
            if slot is None or slot == s:
                columns[n].items.append(item)
    return columns


class _Walker:
    """Collects the drawn items of one page with the column slot (x) and article they stand in."""

    def __init__(self, slugs):
        self.slugs = slugs
        self.slots = set()
        self.items = []          # (slot x or None for spanning, Item)

    def visit(self, box, slot, article):
        element = box.element if box.element_tag else None
        ident = element.get("id") if element is not None else None
        article = ident if ident in self.slugs else article
        if getattr(box, "is_column", False):
            slot = round(box.position_x)
            self.slots.add(slot)
        classes = (element.get("class") or "").split() if element is not None else ()
        if "size-page" in classes:
            # A full-page photo is a page of its own: the text before it does not go on there.
            self.items.append((None, Item(0.0, float("inf"), None, element)))
            return
        if isinstance(box, boxes.LineBox) or isinstance(box, boxes.ReplacedBox):
            self._add(slot, box, article, element)
            return
        if isinstance(box, boxes.BlockBox) and element is not None and element.tag in ("figure", "blockquote"):
            insert = any(c in classes for c in INSERTS)
            self._add(slot, box, article, element, insert)
            if insert:
                return
        for child in getattr(box, "children", ()):
            self.visit(child, slot, article)

    def _add(self, slot, box, article, element, insert=False):
        top = box.position_y + box.margin_top
        self.items.append((slot, Item(top, top + box.border_height(), article, element, insert)))
