"""The outputs of issue 148, read from their bytes: the print file a press accepts, the archive copy."""
import html
import re

import pikepdf
import pypdfium2

from periodical import icc
from periodical.output.outputs import BY_NAME, OUTPUTS

from .. import pdfcolour, pdftext
from ..conftest import ISSUE148

MM = 72 / 25.4


def pdf(issue148, name):
    return pikepdf.open(issue148[0] / BY_NAME[name].file)


def test_every_output_of_the_table_is_written_as_its_row_says(issue148):
    texts = {}
    issue_files = sorted(str(p.relative_to(ISSUE148)) for p in ISSUE148.rglob("*") if p.is_file())
    for output in OUTPUTS:
        path = issue148[0] / output.file
        doc = pypdfium2.PdfDocument(str(path))
        try:
            texts[output.file] = [doc[n].get_textpage().get_text_range() for n in range(len(doc))]
        finally:
            doc.close()
        with pikepdf.open(path) as pk:
            meta = pk.open_metadata()
            claim = {"pdf/x-4": meta.get("pdfxid:GTS_PDFXVersion"),
                     "pdf/a-3u": f"PDF/A-{meta.get('pdfaid:part')}{meta.get('pdfaid:conformance', '').lower()}"}
            assert claim[output.pdf_variant].lower() == output.pdf_variant, output.file
            pages = list(pk.pages)
            # marks: a sheet larger than the trim; otherwise the page is the trim.
            for page in pages:
                media = [float(v) for v in page.obj.MediaBox]
                trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
                assert (media != trim) == output.marks, output.file
            # interactive: links and tags kept; a press copy has neither (PDF/X forbids annotations).
            links = sum(1 for page in pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link")
            assert (links >= 30) == output.interactive and (links == 0) == (not output.interactive), output.file
            assert ("/StructTreeRoot" in pk.Root) == output.interactive, output.file
            assert all("/StructParents" not in page.obj for page in pages) or output.interactive
            # sources: every file of the issue folder inside, by its path.
            embedded = sorted(pk.attachments.keys())
            assert embedded == (issue_files if output.sources else []), output.file
    # Every output shows the same pages: 48, each with the same text.
    first, *others = texts.values()
    assert len(first) == 48 and all(other == first for other in others)
    assert "市政协十四届二次会议隆重召开" in first[3]


def test_print_pages_have_trim_bleed_and_a_media_box_that_holds_both(issue148):
    with pdf(issue148, "print") as doc:
        for n, page in enumerate(doc.pages, 1):
            trim, bleed, media = ([float(v) for v in page.obj[k]] for k in ("/TrimBox", "/BleedBox", "/MediaBox"))
            assert (round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1)) == (210.0, 285.0), n
            assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2])] == [3.0, 3.0], n
            assert [round((b - t) / MM, 2) for t, b in zip(trim[2:], bleed[2:])] == [3.0, 3.0], n
            assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3], n


def test_print_is_pdfx4_with_a_cmyk_output_intent_and_trapped_set(issue148):
    with pdf(issue148, "print") as doc:
        intents = [oi for oi in doc.Root.OutputIntents if oi.S == "/GTS_PDFX"]
        assert len(intents) == 1
        profile = intents[0].DestOutputProfile
        assert int(profile.N) == 4 and icc.read(bytes(profile.read_bytes())).color_space == "CMYK"
        assert doc.open_metadata()["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert doc.trailer.Info.Trapped == "/False"
        assert doc.pdf_version == "1.6"


def test_print_has_every_font_embedded_and_a_page_count_for_saddle_stitching(issue148):
    with pdf(issue148, "print") as doc:
        assert len(doc.pages) % 4 == 0
        for page in doc.pages:
            for font in page.Resources.Font.values():
                desc = font.DescendantFonts[0].FontDescriptor
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


def _text_runs(page):
    """(font resource name, size, fill colour as (operator, operands)) at each text-showing operator."""
    fill, font, stack, runs = None, (None, None), [], []
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            stack.append((fill, font))
        elif op == "Q":
            fill, font = stack.pop() if stack else (fill, font)
        elif op in ("rg", "k", "g", "sc", "scn"):
            fill = (op, tuple(float(v) for v in operands))
        elif op == "Tf":
            font = (str(operands[0]), float(operands[1]))
        elif op in ("Tj", "TJ", "'", '"'):
            runs.append((*font, fill))
    return runs


def test_print_has_no_device_rgb_and_body_text_is_k100(issue148):
    # Every form DeviceRGB can take (tests/pdfcolour.py, itself tested on a hand-made PDF of each).
    assert pdfcolour.device_rgb(issue148[0] / "print.pdf") == []
    with pdf(issue148, "print") as doc:
        body = 0
        for n, page in enumerate(doc.pages, 1):
            fonts = {name: str(f.BaseFont) for name, f in page.Resources.Font.items()}
            for font, size, fill in _text_runs(page):
                if fonts[font].endswith("+Noto-Serif-SC") and size == 12:      # body text: 9 pt = 12 CSS px
                    assert fill == ("scn", (0.0, 0.0, 0.0, 1.0)), (n, fill)
                    body += 1
        assert body > 1000


def _pixel(image, x_mm, y_mm, dpi, origin_mm):
    """RGB of the pixel x_mm, y_mm from the trim's top-left corner; origin_mm: trim inset in the image."""
    px = round((origin_mm + x_mm) / 25.4 * dpi)
    py = round((origin_mm + y_mm) / 25.4 * dpi)
    return image.getpixel((px, py))[:3]


def test_cover_and_back_cover_art_run_into_the_bleed_and_marks_stay_outside_it(issue148):
    dpi = 50
    doc = pypdfium2.PdfDocument(str(issue148[0] / "print.pdf"))
    with pdf(issue148, "print") as pk:
        margin = (float(pk.pages[0].obj.TrimBox[0]) - float(pk.pages[0].obj.MediaBox[0])) / MM
    try:
        cover = doc[0].render(scale=dpi / 72).to_pil()
        back = doc[len(doc) - 1].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    white = (255, 255, 255)
    assert _pixel(cover, -1.5, 150, dpi, margin) != white        # cover photo frame, 1.5 mm into the left bleed
    assert _pixel(cover, 211.5, 150, dpi, margin) != white       # … and the right bleed
    assert _pixel(cover, -3.8, 150, dpi, margin) == white        # nothing between the bleed and the marks
    assert _pixel(back, 100, -1.5, dpi, margin) != white         # back-cover photo into the top bleed
    assert _pixel(cover, 100, -1.5, dpi, margin) == white        # the cover's top is paper


def test_archive_is_trim_size_without_marks_or_bleed(issue148):
    with pdf(issue148, "archive") as doc:
        for page in doc.pages:
            media = [float(v) for v in page.obj.MediaBox]
            assert [round(v / MM, 1) for v in media] == [0.0, 0.0, 210.0, 285.0]
            assert "/BleedBox" not in page.obj and "/TrimBox" not in page.obj
            assert "/PeriodicalRegistration" not in (page.Resources.get("/ColorSpace") or {})
        meta = doc.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "U")


def test_archive_text_is_the_articles_text_without_stray_spaces(issue148):
    from periodical.model import load
    from periodical.text import text
    issue = text.prepare(load.load_issue(ISSUE148))
    extracted = pdftext.body_text(issue148[0] / "archive.pdf", exact=True).replace("\n", "")
    missing = []                   # every sentence, exactly: no space added between its characters
    for a in issue.articles:
        # Running text only: a keyword box's label is set apart by a gap that readers read as a space.
        for para in re.findall(r"<p>(?!<strong>)(.*?)</p>", a.html):
            for sentence in re.split(r"(?<=[。！？；])", html.unescape(re.sub(r"<[^>]+>", "", para))):
                if len(sentence) >= 8 and sentence not in extracted:
                    missing.append((a.slug, sentence))
    assert missing == []
