"""What a laid-out part shows, read once from WeasyPrint's boxes and kept as plain data.

A part's pages are laid out and drawn once, and then cached on disk with these facts beside
its PDF (parts.py): a later build that reuses the part has no boxes to walk, so everything the
check stage and the preview need of a page is read here, while the boxes exist. Per page: its
label, the articles standing on it, its FPO boxes and photos below print resolution, the fill
of each column (columns.py), the height of its type area and the empty height at its foot,
the anchors (element ids) and inventory items (`data-item`) first seen on it.
"""
from weasyprint.formatting_structure import boxes

from periodical.render import columns as column_survey

# Prepress preflight's usual floor for photos on coated paper: below it a photo prints soft.
MIN_PPI = 150
CSS_PX_PER_INCH = 96
MM_PER_PX = 25.4 / CSS_PX_PER_INCH
# Parts of the issue that are not articles, by their element id in the layouts.
LABELS = {"cover": "cover", "contents": "contents", "back-cover": "back cover"}


def pages(laid_out, slugs):
    """One dict per laid-out page; slugs: the element ids of the articles they may hold."""
    surveyed = column_survey.survey(laid_out, slugs)
    seen_items, seen_anchors, out = set(), set(), []
    for page, page_columns in zip(laid_out, surveyed):
        survey = _Survey(set(slugs))
        survey.visit(page._page_box, None)
        items = list(dict.fromkeys(i for i in _items(page._page_box) if i not in seen_items))
        anchors = [a for a in page.anchors if a not in seen_anchors]
        seen_items.update(items)
        seen_anchors.update(anchors)
        out.append({"label": survey.label, "articles": survey.articles, "warnings": survey.warnings,
                    "columns": [{"column": c.index, "fill": c.fill, "continues": c.continues,
                                 "hole": c.hole, "article": c.article} for c in page_columns],
                    "height": page._page_box.height * MM_PER_PX, "free": free_space(page),
                    "items": items, "anchors": anchors})
    return out


def free_space(page):
    """Empty height (mm) at the foot of a page's content area, under its last line or figure."""
    box = page._page_box
    bottom = box.content_box_y() + box.height
    content = (d for child in box.children if not isinstance(child, boxes.MarginBox)
               for d in child.descendants())
    used = [b.position_y + b.margin_height() for b in content
            if isinstance(b, (boxes.LineBox, boxes.ReplacedBox))
            or (isinstance(b, boxes.BlockBox) and b.element_tag == "figure")]
    return round(max(0.0, bottom - max(used, default=box.content_box_y())) * MM_PER_PX, 1)


class _Survey:
    """Walks one page's boxes, noting the articles on it and their photos."""

    def __init__(self, slugs):
        self.slugs = slugs
        self.articles = []
        self.warnings = []
        self.missing = set()          # the FPO boxes' elements already reported
        self.label = None

    def visit(self, box, article):
        element_id = box.element.get("id") if box.element is not None else None
        self.label = self.label or LABELS.get(element_id)
        if element_id in self.slugs:
            article = element_id
            if article not in self.articles:
                self.articles.append(article)
        if isinstance(box, boxes.MarginBox):
            return                    # running heads and folios are not the page's content
        # An FPO box's element makes more than one box (its block and the line inside): one warning.
        if _has_class(box, "fpo-box") and id(box.element) not in self.missing:
            self.missing.add(id(box.element))
            self.warnings.append({"kind": "FPO", "article": article,
                                  "message": f"photo missing: {_fpo_source(box)} (FPO box)"})
        if isinstance(box, boxes.ReplacedBox):
            self._resolution(box, article)
        for child in getattr(box, "children", ()):
            self.visit(child, article)

    def _resolution(self, box, article):
        pixels = getattr(box.replacement, "width", None)
        if not isinstance(pixels, int) or box.width <= 0:
            return                    # vector images have no pixel size
        ppi = pixels / (box.width / CSS_PX_PER_INCH)
        if ppi < MIN_PPI:
            src = box.element.get("src") if box.element is not None else "?"
            self.warnings.append({"kind": "low-res", "article": article,
                                  "message": f"{src} prints at {ppi:.0f} ppi (needs {MIN_PPI})"})


def _has_class(box, name):
    # (A box with an element always has its tag: page and margin boxes have neither.)
    return box.element is not None and name in (box.element.get("class") or "").split()


def _fpo_source(box):
    span = next((e for e in box.element.iter() if "fpo-src" in (e.get("class") or "")), None)
    return span.text if span is not None else "?"


def _items(sheet):
    """The inventory ids (`data-item`) of the elements standing on the page, inside the sheet
    (a caption pushed below the page's edge is not printed); a photo counts by its image box
    (a file WeasyPrint cannot draw leaves only its alt text)."""
    for box in _boxes(sheet):
        # (A box with an element always has its tag: page boxes have neither.)
        item = box.element.get("data-item") if box.element is not None else None
        if item and _on_sheet(box, sheet) and (box.element_tag != "img" or isinstance(box, boxes.ReplacedBox)):
            yield item


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
