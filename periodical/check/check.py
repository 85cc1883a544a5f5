"""Stage 5, check: read the written PDF back and verify what a reader or printer would.

Everything here is measured from the PDF's bytes (pypdf), not from what the earlier stages
meant to do: where each article really starts (its named destination), what the contents
page really prints, which fonts are really embedded. The result is a plain dict, written
as report.json and printed by the command.
"""
import pypdf

from periodical import fonts
from periodical.errors import rel

# WeasyPrint names an embedded font after its CSS family: "Noto Serif SC" → Noto-Serif-SC.
DECLARED_FONT_NAMES = tuple(sorted({f.family.replace(" ", "-") for f in fonts.DECLARED}))


def verify(issue, pdf_path, rendered):
    reader = pypdf.PdfReader(str(pdf_path))
    starts = {name: reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()}
    articles = _placement(issue, starts, len(reader.pages))
    toc = _contents(issue, reader, starts)
    embedded = sorted(_fonts(reader))
    problems, warnings = [], list(rendered.warnings)
    for f in embedded:
        if f.lstrip("/").split("+")[-1].replace("-Bold", "") not in DECLARED_FONT_NAMES:
            problems.append(f"font {f} is embedded but not declared")
    for t in toc:
        if t["printed"] != t["actual"]:
            problems.append(f"contents: {t['slug']} printed as p.{t['printed']}, but starts on p.{t['actual']}")
    for url in rendered.refused:
        problems.append(f"resource refused: {url}")
    for a in issue.articles:
        for img in a.images:
            if not img.exists:
                warnings.append(f"{a.path.name}: FPO: image file {img.src} is missing; a marked box stands in its place")
    for page in ("cover", "back_cover"):            # the covers' photos are the issue's, in issue.yaml
        img = (issue.meta.get(page) or {}).get("image")
        if img is not None and not img.exists:
            warnings.append(f"issue.yaml: {page}.image: FPO: image file {img.src} is missing; "
                            "a marked box stands in its place")
    if rendered.filler_pages:
        warnings.append(f"{rendered.filler_pages} blank page(s) added before the back cover "
                        f"to make {len(reader.pages)} pages")
    planned = issue.meta.get("pages")
    if planned and rendered.content_pages > planned:
        problems.append(f"the content needs {rendered.content_pages} pages, more than the planned {planned}")
    return {"issue": issue.id, "pages": len(reader.pages), "content_pages": rendered.content_pages,
            "filler_pages": rendered.filler_pages, "articles": articles, "contents": toc,
            "fonts": embedded, "drift": [a for a in articles if a["drift"]],
            "problems": problems, "warnings": warnings}


def _placement(issue, starts, page_count):
    """Each article's planned and actual pages, and why it drifted if it did."""
    rows = []
    ends = [starts.get(b.slug, page_count) for b in issue.articles[1:]] + [starts.get("back-cover", page_count)]
    contents = starts.get("contents")
    for n, a in enumerate(issue.articles):
        start = starts.get(a.slug)
        if start and contents and start < contents < ends[n]:
            ends[n] = contents          # the inside-cover piece ends where the contents starts
        nxt = issue.articles[n + 1] if n + 1 < len(issue.articles) else None
        shares = nxt is not None and (nxt.page is None or nxt.page == a.page)
        before_next = ends[n] - 1
        end = ends[n] if shares else before_next if start is None else max(start, before_next)
        row = {"slug": a.slug, "title": a.title, "section": a.section.id, "planned": a.page,
               "start": start, "end": end, "drift": 0, "reason": ""}
        if a.page and start:
            row["drift"] = start - a.page
            row["reason"] = _contents_first(a, start, contents) or _reason(rows, a, start, contents)
        rows.append(row)
    return rows


FRONT_PAGES = "the pages before it (cover, contents) take a different number of pages than planned"


def _contents_first(article, start, contents):
    """The reason when the contents page took the article's planned page: compose places the
    contents before the first article it lists, so a page-2 foreword listed in it lands on p.3.
    Names the fix, with the file and its keys (issue 148's foreword has `toc: false`)."""
    if contents is None or not article.toc or not article.page <= contents < start:
        return ""
    where = rel(article.path)
    line = f":{article.page_line}" if article.page_line else ""
    page = f"{where}{line}: page: {article.page}"
    return (f"the contents page is placed before the first article it lists, this one, and takes p.{contents}: "
            f"add `toc: false` to {where} (it is then not listed and the contents follows it), "
            f"or plan it after the contents ({page} → page: {start})")


def _reason(rows, article, start, contents=None):
    """Why the article starts on p.start, not on its planned page; "" when it starts there."""
    prev = next((r for r in reversed(rows) if r["planned"]), None)
    laid_out = "" if prev is None else (f"({prev['slug']}, planned from p.{prev['planned']}, "
                                        f"laid out on pp.{prev['start']}–{prev['end']})")
    if start > article.page and prev and prev["end"] and contents and prev["end"] < contents < start:
        return f"pushed back: the contents, from p.{contents}, runs to p.{start - 1}"
    if start > article.page:
        return FRONT_PAGES if prev is None else (
            f"pushed back: the material before it runs to p.{max(start - 1, prev['end'])} {laid_out}")
    if start < article.page:
        return FRONT_PAGES if prev is None else (
            f"pulled forward: the material before it ends on p.{prev['end']} {laid_out}; its photos are not in yet")
    return ""


def _contents(issue, reader, starts):
    """The page number the contents page prints in each article's link, read from the page.

    Each contents entry is a link to its article; the number printed inside the link's
    rectangle is what a reader sees, so that is what is compared with the article's page.
    """
    first = starts.get("contents")
    listed = [a for a in issue.articles if a.toc and a.slug in starts]
    if not first or not listed:
        return []
    last = max(first, min(starts[a.slug] for a in listed) - 1)
    printed = {}
    for index in range(first - 1, last):
        page = reader.pages[index]
        words = _positioned_text(page)
        for annot in page.get("/Annots") or ():
            annot = annot.get_object()
            dest = annot.get("/Dest")
            if annot.get("/Subtype") != "/Link" or dest is None:
                continue
            x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
            # Nearest the rectangle first: entries set close together (the contents' spacing
            # tightened by copy fitting) put the entry above's number within the 3 pt allowed.
            bottom, top = min(y1, y2), max(y1, y2)
            inside = sorted((max(bottom - y, y - top, 0), x, t) for x, y, t in words
                            if min(x1, x2) - 1 <= x <= max(x1, x2) and bottom - 3 <= y <= top + 3)
            digits = next((t for _, _, t in inside if t.isdigit()), None)
            if digits and str(dest) not in printed:
                printed[str(dest)] = int(digits)
    return [{"slug": a.slug, "printed": printed.get(a.slug), "actual": starts[a.slug]} for a in listed]


def _positioned_text(page):
    """(x, y, text) of each text run on a page, in PDF user space."""
    runs = []

    def visit(text, cm, tm, font, size):
        text = text.strip()
        if text:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, text))
    page.extract_text(visitor_text=visit)
    return runs


def _fonts(reader):
    names = set()
    for page in reader.pages:
        res = page.get("/Resources") or {}
        for font in (res.get("/Font") or {}).values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont")))
    return names
