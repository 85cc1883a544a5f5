"""The issue page by page as it was laid out: the editors' flatplan.

For each page: which articles stand on it, how much of its type area is filled, how far each of
its columns is filled and whether the article goes on past the page (render/columns.py), and
what needs an editor's look (an FPO box where a photo is missing, a photo printed below print
resolution, an article running past its planned pages, a hole: a column ending more than 10% of
the type area above its foot on a page the article continues from, a blank filler page). Read from WeasyPrint's laid-out
boxes, the same pages the PDF is drawn from, so a page number here is a page number in print.pdf.
"""
from weasyprint.formatting_structure import boxes

from periodical.render import columns as column_survey

# Prepress preflight's usual floor for photos on coated paper: below it a photo prints soft.
MIN_PPI = 150
# A page whose type area is filled less than this is "mostly empty".
LOW_FILL = 0.5
CSS_PX_PER_INCH = 96
MM_PER_PX = 25.4 / CSS_PX_PER_INCH
# Parts of the issue that are not articles, by their element id in the layouts.
LABELS = {"cover": "cover", "contents": "contents", "back-cover": "back cover"}


def pages(rendered, articles):
    """One dict per page: page, label, articles (slugs), fill (0–1), warnings [{kind, article, message}].

    `articles` are the check stage's placement rows (slug, planned, start), in issue order.
    """
    plan = []
    surveyed = column_survey.survey(rendered.document.pages, [a["slug"] for a in articles])
    for number, page in enumerate(rendered.document.pages, 1):
        survey = _Survey({a["slug"] for a in articles})
        survey.visit(page._page_box, None)
        height = page._page_box.height * MM_PER_PX          # the type area, inside the margins
        fill = 1 - rendered.free.get(number, height) / height if height else 1.0
        plan.append({"page": number, "label": survey.label, "articles": survey.articles,
                     "fill": round(max(0.0, fill), 2), "warnings": survey.warnings + _holes(surveyed[number - 1]),
                     "columns": [{"column": c.index, "fill": round(c.fill, 3), "continues": c.continues}
                                 for c in surveyed[number - 1]]})
    # Filler pages stand before the back cover, the last content page.
    for n in range(rendered.content_pages, rendered.content_pages + rendered.filler_pages):
        plan[n - 1]["label"] = "blank"
        plan[n - 1]["warnings"].append({"kind": "blank", "article": None,
                                        "message": "blank page added to reach the planned page count"})
    _mark_overruns(plan, articles)
    _mark_underfilled(plan)
    return plan


def _holes(page_columns):
    return [{"kind": "hole", "article": c.article,
             "message": f"column {c.index} ends {1 - c.fill:.0%} of the type area above its foot, "
                        "and the article goes on overleaf"} for c in page_columns if c.hole]


def _mark_overruns(plan, articles):
    """Warn on each page an article takes beyond the pages planned for it."""
    for n, a in enumerate(articles):
        # The next article planned on another page (a itself, from n on, is never on another).
        nxt = next((b for b in articles[n:] if b["planned"] and b["planned"] != a["planned"]), None)
        on = [p["page"] for p in plan if a["slug"] in p["articles"]]
        if not a["planned"] or not on or nxt is None:
            continue
        allowed = nxt["planned"] - a["planned"]
        for number in on[allowed:]:          # the pages past the first `allowed` it stands on
            plan[number - 1]["warnings"].append({
                "kind": "overrun", "article": a["slug"],
                "message": f"runs {len(on) - allowed} page(s) past the {allowed} planned for it"})


def _mark_underfilled(plan):
    """Warn where a page of articles is mostly empty: an article ends high on it, or a short text
    stands alone before the full-page photo that follows it."""
    for p, nxt in zip(plan, plan[1:]):
        last = p["articles"][-1] if p["articles"] else None
        if last and p["fill"] < LOW_FILL:
            why = ("the article ends high on it" if last not in nxt["articles"]
                   else "the article's text ends high on it and goes on overleaf (a full-page photo?)")
            p["warnings"].append({"kind": "underfilled", "article": last,
                                  "message": f"p.{p['page']} is only {p['fill']:.0%} filled: {why}"})


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
