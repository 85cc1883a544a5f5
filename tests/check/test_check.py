"""The check stage's reading of a PDF, on small PDFs written here with pikepdf (fast: no build).

Each value expected is worked out by hand from how the PDF is written: a text run's place is its
text matrix's origin carried through the CTM (PDF 32000-1, 8.3.4: x' = a·x + c·y + e,
y' = b·x + d·y + f); a contents link reads the number printed inside its rectangle, allowing
1 pt across and 3 pt up and down; an article ends where the next one starts, or the page
before when the next is planned for a page of its own.
"""
from types import SimpleNamespace as NS

import pikepdf
import pypdf
from pikepdf import Array, Dictionary, Name, String

from periodical.check import check

HELVETICA = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)


def text(x, y, run, cm=None):
    """Content drawing `run` with its origin at (x, y) of the text matrix, inside `cm` if given."""
    show = f"BT /F1 10 Tf 1 0 0 1 {x} {y} Tm ({run}) Tj ET".encode()
    return b"q " + " ".join(map(str, cm)).encode() + b" cm " + show + b" Q " if cm else show + b" "


def write_pdf(path, pages, fonts=None, dests=None, annots=None):
    """A PDF of len(pages) pages (300×500 pt); `pages`: content bytes per page; `dests`: named
    destinations {name: page number}; `annots`: {page number: [annotation dicts]}."""
    pdf = pikepdf.new()
    for n, content in enumerate(pages, 1):
        pdf.add_blank_page(page_size=(300, 500))
        page = pdf.pages[-1]
        page.obj.Resources = Dictionary(Font=Dictionary({"/F1": HELVETICA, **(fonts or {})}))
        if content:
            page.contents_add(pdf.make_stream(content))
        if annots and n in annots:
            page.obj.Annots = Array([pdf.make_indirect(a) for a in annots[n]])
    names = []
    for name, number in sorted((dests or {}).items()):
        names += [String(name), Array([pdf.pages[number - 1].obj, Name.XYZ, 0, 500, 0])]
    if names:
        pdf.Root.Names = Dictionary(Dests=Dictionary(Names=Array(names)))
    pdf.save(path)
    return path


def link(rect, dest, subtype=Name.Link):
    annot = Dictionary(Type=Name.Annot, Subtype=subtype, Rect=Array(rect))
    if dest is not None:
        annot.Dest = String(dest)
    return annot


def article(slug, page, toc=True, images=()):
    return NS(slug=slug, title=slug.upper(), section=NS(id="news"), page=page, toc=toc, images=list(images),
              path=NS(name=f"{slug}.md"))


# ---------- where a text run stands ----------

def test_a_run_stands_at_its_text_origin_carried_through_the_ctm(tmp_path):
    # CTM [2 3 5 7 11 13], text origin (17, 19): x = 2·17 + 5·19 + 11 = 140, y = 3·17 + 7·19 + 13 = 197.
    path = write_pdf(tmp_path / "a.pdf", [text(17, 19, "42", cm=(2, 3, 5, 7, 11, 13)) + text(99, 50, "7")])
    runs = check._positioned_text(pypdf.PdfReader(str(path)).pages[0])
    assert sorted(runs) == [(99.0, 50.0, "7"), (140.0, 197.0, "42")]


# ---------- the contents page ----------

# One link per case, each in a band of its own; the number printed at a rectangle's tolerance
# (1 pt left of it, on its right edge, 3 pt below or above it) is read, one 0.5 pt further is not.
CASES = {
    # slug: (rectangle, where its number is printed, whether the number is read)
    "left-edge": ([100, 450, 200, 460], (99, 455), True),
    "left-past": ([100, 420, 200, 430], (98.5, 425), False),
    "right-edge": ([100, 390, 200, 400], (200, 395), True),
    "right-past": ([100, 360, 200, 370], (200.5, 365), False),
    "bottom-edge": ([100, 330, 200, 340], (150, 327), True),
    "bottom-past": ([100, 300, 200, 310], (150, 296.5), False),
    "top-edge": ([100, 270, 200, 280], (150, 283), True),
    "top-past": ([100, 240, 200, 250], (150, 283 - 30 + 0.5), False),
    "reversed": ([200, 220, 100, 210], (150, 215), True),       # corners given top-right first
}


def contents_pdf(tmp_path, extra=(), first_page=1):
    """Contents on pages first_page.., the articles from page 4 on; each case's number is its
    index + 10, and each article really starts on page 4 + its index. `extra` annotations
    (rect, dest, subtype, number, where) go first on the contents page. On p.4, the first
    article's page, a link to left-past prints 66: not part of the contents."""
    content, annots = b"", []
    for rect, dest, subtype, run, at in extra:
        content += text(*at, run)
        annots.append(link(rect, dest, subtype))
    for n, (slug, (rect, (x, y), _)) in enumerate(CASES.items()):
        content += text(x, y, str(n + 10))
        annots.append(link(rect, slug))
    pages = [b""] * (first_page - 1) + [content] + [b""] * (len(CASES) + 4)
    pages[3] += text(150, 105, "66")
    dests = {"contents": first_page, **{slug: 4 + n for n, slug in enumerate(CASES)}}
    path = write_pdf(tmp_path / "c.pdf", pages, dests=dests,
                     annots={first_page: annots, 4: [link([100, 100, 200, 110], "left-past")]})
    return pypdf.PdfReader(str(path)), dests


def test_the_number_printed_in_a_contents_link_is_read_up_to_its_tolerance(tmp_path):
    reader, starts = contents_pdf(tmp_path)
    issue = NS(articles=[article(slug, 4 + n) for n, slug in enumerate(CASES)])
    toc = check._contents(issue, reader, starts)
    assert toc == [{"slug": slug, "printed": n + 10 if read else None, "actual": 4 + n}
                   for n, (slug, (_, _, read)) in enumerate(CASES.items())]


def test_only_links_with_a_destination_count_and_the_first_number_read_wins(tmp_path):
    extra = [
        # A note (not a link) naming an article whose link is not read, and a link with no destination.
        ([100, 160, 200, 170], "left-past", Name.Text, "77", (150, 165)),
        ([100, 100, 200, 110], None, Name.Link, "88", (150, 105)),
        # A second link to right-edge, read before its own: the first number read stays.
        ([100, 130, 200, 140], "right-edge", Name.Link, "99", (150, 135)),
    ]
    reader, starts = contents_pdf(tmp_path, extra)
    issue = NS(articles=[article(slug, 4 + n) for n, slug in enumerate(CASES)])
    printed = {t["slug"]: t["printed"] for t in check._contents(issue, reader, starts)}
    assert printed["left-edge"] == 10 and printed["right-edge"] == 99 and printed["left-past"] is None


def test_contents_over_pages_are_read_from_its_first_page_to_the_one_before_the_first_article(tmp_path):
    reader, starts = contents_pdf(tmp_path, first_page=3)
    # Listed: only articles in the contents that stand in the PDF.
    issue = NS(articles=[article("left-edge", 4), article("gone", 5), article("right-edge", 6, toc=False)])
    assert check._contents(issue, reader, starts) == [{"slug": "left-edge", "printed": 10, "actual": 4}]
    # The contents starting on p.3 and the first listed article on p.4: only p.3 is read.
    starts = dict(starts, contents=2)
    assert check._contents(issue, reader, starts) == [{"slug": "left-edge", "printed": 10, "actual": 4}]
    assert check._contents(issue, reader, dict(starts, contents=4)) == [
        {"slug": "left-edge", "printed": None, "actual": 4}]


def test_no_contents_page_or_no_listed_article_means_no_contents_check(tmp_path):
    reader, starts = contents_pdf(tmp_path)
    issue = NS(articles=[article("left-edge", 4)])
    assert check._contents(issue, reader, {k: v for k, v in starts.items() if k != "contents"}) == []
    assert check._contents(NS(articles=[article("left-edge", 4, toc=False)]), reader, starts) == []
    assert check._contents(NS(articles=[article("elsewhere", 4)]), reader, starts) == []


# ---------- where articles stand, and why they drifted ----------

def test_each_article_s_pages_and_drift_with_its_reason():
    articles = [article("intro", None), article("opening", 3), article("report", 4), article("box", None),
                article("views", 6), article("same", 6), article("late", 9), article("insert", None),
                article("closing", 11), article("coda", None)]
    starts = {"intro": 2, "opening": 3, "report": 5, "box": 8, "views": 8, "same": 8, "late": 8, "insert": 10,
              "closing": 12, "coda": 14, "back-cover": 16}
    rows = check._placement(NS(articles=articles), starts, 20)
    got = {r["slug"]: (r["start"], r["end"], r["drift"]) for r in rows}
    assert got == {
        "intro": (2, 2, 0),       # not planned: no drift; the next is planned elsewhere: ends before it
        "opening": (3, 4, 0),     # runs on to p.4, the page before report starts
        "report": (5, 8, 1),      # followed by an unplanned box: ends on the page the box starts
        "box": (8, 8, 0),         # the next (views) is planned elsewhere: ends before it, but not before its start
        "views": (8, 8, 2),       # the next is planned on the same page: shares it
        "same": (8, 8, 2),
        "late": (8, 10, -1),
        "insert": (10, 11, 0),
        "closing": (12, 14, 1),   # the next is unplanned: shares the page it starts on
        "coda": (14, 15, 0),      # the last: ends the page before the back cover
    }
    reasons = {r["slug"]: r["reason"] for r in rows}
    assert {slug for slug, reason in reasons.items() if reason} == {"report", "views", "same", "late", "closing"}
    assert reasons["report"] == ("pushed back: the material before it runs to p.4 "
                                 "(opening, planned from p.3, laid out on pp.3–4)")
    # The material before runs to the page before the start, or on to it when it shares that page.
    assert reasons["views"] == ("pushed back: the material before it runs to p.8 "
                                "(report, planned from p.4, laid out on pp.5–8)")
    assert reasons["late"] == ("pulled forward: the material before it ends on p.8 "
                               "(same, planned from p.6, laid out on pp.8–8); its photos are not in yet")
    # An unplanned insert between: the material before runs to the page before, past the planned one.
    assert reasons["closing"] == ("pushed back: the material before it runs to p.11 "
                                  "(late, planned from p.9, laid out on pp.8–10)")


def test_an_article_drifted_with_nothing_planned_before_it_blames_the_front_pages():
    rows = check._placement(NS(articles=[article("cover-story", 3)]), {"cover-story": 4}, 8)
    assert rows[0]["drift"] == 1 and rows[0]["end"] == 7
    assert rows[0]["reason"] == "the pages before it (cover, contents) take a different number of pages than planned"
    rows = check._placement(NS(articles=[article("cover-story", 3)]), {"cover-story": 2}, 8)
    assert rows[0]["drift"] == -1 and rows[0]["reason"].startswith("the pages before it (cover, contents)")
    rows = check._placement(NS(articles=[article("cover-story", 3)]), {"cover-story": 3}, 8)
    assert (rows[0]["drift"], rows[0]["reason"]) == (0, "")
    rows = check._placement(NS(articles=[article("missing", 3)]), {}, 8)
    assert (rows[0]["start"], rows[0]["end"], rows[0]["drift"]) == (None, 7, 0)


# ---------- the whole check on a small PDF ----------

def verify(tmp_path, content_pages, planned=4, filler=0, refused=(), fonts=("Noto-Sans-SC",), second="4"):
    """Contents on p.2 listing "one" (p.3) and "two" (p.4, printed as `second`); the text is set
    in the first of `fonts`, each named as WeasyPrint names a subset."""
    declared = {f"/F{n + 1}": Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/ABCDEF+" + f))
                for n, f in enumerate(fonts)}
    pages = [b"", text(150, 455, "3") + text(150, 425, second), b"", b"", b""]
    annots = {2: [link([120, 450, 200, 460], "one"), link([120, 420, 200, 430], "two")]}
    path = write_pdf(tmp_path / "v.pdf", pages, fonts=declared, annots=annots,
                     dests={"contents": 2, "one": 3, "two": 4, "back-cover": 5})
    issue = NS(id="2024-03", meta={"pages": planned},
               articles=[article("one", 3, images=[NS(exists=True, src="images/a.jpg")]),
                         article("two", 4, images=[NS(exists=False, src="images/b.jpg")])])
    rendered = NS(warnings=["from the layout"], refused=list(refused), filler_pages=filler,
                  content_pages=content_pages)
    return check.verify(issue, path, rendered)


def test_verify_reports_fonts_contents_refusals_missing_photos_and_overlong_content(tmp_path):
    report = verify(tmp_path, content_pages=4, fonts=("Noto-Sans-SC", "Noto-Serif-SC", "Noto-Sans-SC-Bold"))
    assert report["pages"] == 5 and report["drift"] == [] and report["problems"] == []
    assert report["fonts"] == ["/ABCDEF+Noto-Sans-SC", "/ABCDEF+Noto-Sans-SC-Bold", "/ABCDEF+Noto-Serif-SC"]
    assert report["contents"] == [{"slug": "one", "printed": 3, "actual": 3},
                                  {"slug": "two", "printed": 4, "actual": 4}]
    assert report["warnings"] == ["from the layout", "two.md: FPO: image file images/b.jpg is missing; "
                                  "a marked box stands in its place"]


def test_verify_names_each_problem(tmp_path):
    report = verify(tmp_path, content_pages=5, filler=2, refused=["http://example.com/x.png"],
                    fonts=("Helvetica", "Noto-Serif-SC", "Arial-Bold"), second="9")
    assert report["problems"] == [
        "font /ABCDEF+Arial-Bold is embedded but not declared",
        "font /ABCDEF+Helvetica is embedded but not declared",
        "contents: two printed as p.9, but starts on p.4",
        "resource refused: http://example.com/x.png",
        "the content needs 5 pages, more than the planned 4"]
    assert report["warnings"][-1] == "2 blank page(s) added before the back cover to make 5 pages"
    assert (report["content_pages"], report["filler_pages"]) == (5, 2)
