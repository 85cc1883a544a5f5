"""Navigation inside a PDF: the outline (bookmarks) and the page labels.

The outline is the issue's own structure, not the headings': cover, contents, each section
with its articles, back cover, in page order, each pointing at the named destination the
layout made for the element (an article's title, the contents page). Page labels repeat the
printed folios: two digits (04, 17), as the pages and the contents print them; the covers are
labelled 封面 and 封底.
"""
import pikepdf
from pikepdf import Dictionary, Name, OutlineItem, String


def add(pdf, issue, starts):
    """Write the outline and page labels; starts: element id → page number (from the layout)."""
    _outline(pdf, issue, starts)
    pdf.Root.PageLabels = pdf.make_indirect(Dictionary(Nums=_labels(len(pdf.pages))))


def _labels(page_count):
    nums = [0, Dictionary(P=String("封面"))]
    if page_count > 2:
        nums += [1, Dictionary(S=Name.D, P=String("0"), St=2)]
    if page_count > 10:
        nums += [9, Dictionary(S=Name.D, St=10)]
    if page_count > 1:
        nums += [page_count - 1, Dictionary(P=String("封底"))]
    return pikepdf.Array(nums)


def _outline(pdf, issue, starts):
    entries = [(starts[i], title, i, ()) for i, title in (("cover", "封面"), ("contents", "目录"),
                                                          ("back-cover", "封底")) if i in starts]
    for section in issue.sections:
        articles = sorted((starts[a.slug], a.slug, a) for a in issue.articles
                          if a.section.id == section.id and a.slug in starts)
        if articles:
            children = tuple((a.toc_title or a.title, slug) for _, slug, a in articles)
            entries.append((articles[0][0], f"{section.title} {section.en}", articles[0][1], children))
    with pdf.open_outline() as outline:
        outline.root.clear()
        for _, title, dest, children in sorted(entries, key=lambda e: e[0]):
            item = OutlineItem(title, String(dest))
            item.children.extend(OutlineItem(t, String(d)) for t, d in children)
            outline.root.append(item)
