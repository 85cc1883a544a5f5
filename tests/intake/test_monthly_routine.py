"""The editor's month, end to end as a user runs it: `new` from issue 148, `import` of three Word
manuscripts, `build`; then the PDF is read back: every paragraph, sub-head, caption and photo."""
import json
import re

import pikepdf
import pypdfium2 as pdfium
import pytest

from periodical.check import pdfchars
from periodical.preflight import pdfscan
from tests.conftest import ISSUE148, run_cli
from tests.intake import manuscripts
from tests.pdftext import body_text

MANUSCRIPTS = ((manuscripts.styled, "focus", 3), (manuscripts.plain, "focus", 5),
               (manuscripts.with_extras, "innovation", 6))


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    root = tmp_path_factory.mktemp("month")
    issue = root / "2023-02"
    assert run_cli("new", issue, "--from", ISSUE148).returncode == 0
    imported = []
    for make, section, page in MANUSCRIPTS:
        expected = make(root / f"{make.__name__}.docx")
        proc = run_cli("import", root / f"{make.__name__}.docx", issue, "--section", section,
                       "--page", page, "--accept-loss")
        assert proc.returncode == 0, proc.stderr
        imported.append((expected, proc.stdout))
    out = root / "out"
    proc = run_cli("build", issue, "--out", out)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return issue, out, imported


def _squeeze(t):
    return re.sub(r"\s+", "", t)


def test_every_paragraph_heading_and_caption_is_printed(month):
    _, out, imported = month
    printed = _squeeze(body_text(out / "print.pdf", exact=True))
    chars = [c for page in pdfchars.read_pages(out / "print.pdf") for c in page if not c.ch.isspace()]
    stream = "".join(c.ch for c in chars)
    for expected, _ in imported:
        serif = expected["paragraphs"]
        sans = [expected["title"], *expected.get("subheads", ())]
        sans += [expected[k] for k in ("subtitle", "byline", "credit") if k in expected]
        sans += [t for pair in expected.get("captions", ()) for t in pair]
        for line in serif + sans:
            assert _squeeze(line) in printed, line
        # Printed as what it is: body text in the serif, titles, sub-heads and captions in the sans.
        for lines, face in ((serif, "Serif"), (sans, "Sans")):
            for line in lines:
                at = stream.index(_squeeze(line))
                assert {face} == {("Sans" if "Sans" in c.face else "Serif") for c in chars[at:at + len(_squeeze(line))]}, line


def test_every_photo_is_drawn_on_its_captions_page(month):
    _, out, imported = month
    with pikepdf.open(out / "print.pdf") as pdf:
        placed = [img for page in pdfscan.scan(pdf) for img in page.images if img.placed[0] * img.placed[1] > 0]
    pages = ["".join(c.ch for c in chars) for chars in pdfchars.read_pages(out / "print.pdf")]
    captions = [caption for expected, _ in imported for caption, _ in expected.get("captions", ())]
    assert len(placed) == len(captions) == 3
    for caption, image in zip(captions, placed):
        assert _squeeze(caption) in _squeeze(pages[image.page - 1]), (caption, image.page)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert not [w for p in report["flatplan"] for w in p["warnings"] if "FPO" in str(w)]


def test_photo_pixels_reach_the_page(month):
    """The page picture, as a reader sees it: the styled manuscript's photo is there in its colour."""
    _, out, imported = month
    pdf = pdfium.PdfDocument(out / "print.pdf")
    pages = ["".join(c.ch for c in chars) for chars in pdfchars.read_pages(out / "print.pdf")]
    page = next(i for i, t in enumerate(pages) if "图为专题协商会现场" in t)
    bitmap = pdf[page].render(scale=0.5).to_pil().convert("RGB")
    blue = sum(1 for r, g, b in bitmap.get_flattened_data() if b > 120 and r < 90)        # the photo is blue to green
    assert blue > bitmap.width * bitmap.height * 0.02


def test_reports_name_what_was_left_out_and_ride_in_the_archive(month):
    issue, out, imported = month
    extras_report = imported[2][1]
    for kind in ("table", "footnote", "text box", "tracked changes"):
        assert f"\n  {kind}" in extras_report.split("not imported:")[1], kind
    assert "round trip: MISSING from the article (imported anyway: --accept-loss)" in extras_report
    reports = sorted(p.name for p in (issue / "articles").glob("*.import.txt"))
    assert reports == ["03-article-1.import.txt", "05-article-2.import.txt", "06-article-3.import.txt"]
    with pikepdf.open(out / "archive.pdf") as pdf:
        embedded = set(pdf.attachments)
    assert {f"articles/{r}" for r in reports} <= embedded
