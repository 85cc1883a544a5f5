"""The next issue, as a new editor makes one: camera photos, no planned pages, Latin and code.

The fixture issue (tests/fixtures/photo_issue.py) is built once through the command line with
its own cache, so every photo is really prepared; everything is asserted from the PDF's bytes.
"""
import json
import os
import shutil
import subprocess
import sys

import pikepdf
import pypdf
import pytest

from periodical import fonts
from periodical.check import pdfchars
from periodical.preflight import pdfscan
from periodical.render import photos
from periodical.text import cjk

from .conftest import ROOT
from .fixtures import photo_issue

DECLARED = {f.family.replace(" ", "-") + ("-Bold" if f.weight == 700 else "") for f in fonts.DECLARED}


def build(issue, out, cache):
    proc = subprocess.run([sys.executable, str(ROOT / "make_issue.py"), "build", str(issue), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, PERIODICAL_CACHE=str(cache)))
    report = json.loads((out / "report.json").read_text(encoding="utf-8")) if (out / "report.json").exists() else None
    return proc, report


@pytest.fixture(scope="module")
def issue_folder(tmp_path_factory):
    return photo_issue.write(tmp_path_factory.mktemp("next") / "2025-06")


@pytest.fixture(scope="module")
def built(issue_folder, tmp_path_factory):
    root = tmp_path_factory.mktemp("next-build")
    proc, report = build(issue_folder, root / "out", root / "cache")
    return proc, report, root / "out"


def placed_images(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        return [img for page in pdfscan.scan(pdf) for img in page.images]


def pdf_text(pdf_path):
    return "".join(p.extract_text() for p in pypdf.PdfReader(str(pdf_path)).pages)


def test_the_issue_builds_and_nothing_is_lost(built):
    proc, report, _ = built
    assert proc.returncode == 0, proc.stderr
    assert report["problems"] == [] and report["inventory"]["lost"] == []
    assert report["inventory"]["printed"] == report["inventory"]["items"] > 50
    # No page was planned, so no article drifted from one.
    assert report["drift"] == [] and "drift:" not in proc.stderr
    assert "nothing lost" in proc.stderr
    # A line holding inline code (monospace) is still a line of its paragraph, and a numbered
    # list's markers are not lines of text: the typesetting is clean.
    assert report["typography"]["violations"] == 0, report["typography"]["list"]


def test_every_photo_named_is_drawn_once_at_print_resolution(built):
    _, report, out = built
    images = placed_images(out / "print.pdf")
    assert len(images) == len(photo_issue.PHOTOS) + len(photo_issue.COVER_PHOTOS)
    for img in images:
        w, h = img.placed
        most = max(img.pixels[0] / (w / 72), img.pixels[1] / (h / 72))
        assert most <= photos.MAX_PPI, img
        # Every source has pixels enough for 300 ppi at its place; none keeps more than that.
        assert photos.PPI - 2 <= img.ppi and most <= photos.PPI + 2, img
    assert {r["src"] for r in report["photos"]} == {f"images/{name}" for name in photo_issue.PHOTOS}
    camera = next(r for r in report["photos"] if r["src"] == "images/camera.jpg")
    assert camera["source_pixels"] == [6000, 4000] and camera["ppi"] == photos.PPI
    assert "resampled" in " ".join(camera["done"])


def test_photos_in_the_print_file_are_cmyk_and_grey_stays_grey(built):
    _, _, out = built
    spaces = sorted(img.space for img in placed_images(out / "print.pdf"))
    assert spaces == ["DeviceCMYK"] * 7 + ["DeviceGray"]
    preflight = json.loads((out / "preflight.json").read_text(encoding="utf-8"))
    assert [e for e in preflight["print.pdf"]["errors"]] == []
    assert [w for w in preflight["print.pdf"]["warnings"] if w["rule"] == "images"] == []


def test_the_archive_draws_the_same_prepared_photos_and_keeps_the_originals(built, issue_folder):
    _, _, out = built
    printed = sorted(img.pixels for img in placed_images(out / "print.pdf"))
    assert sorted(img.pixels for img in placed_images(out / "archive.pdf")) == printed
    with pikepdf.open(out / "archive.pdf") as pdf:
        sources = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    for name in photo_issue.PHOTOS:
        assert sources[f"images/{name}"] == (issue_folder / "images" / name).read_bytes()


def test_captions_and_credits_are_printed_as_typed(built):
    _, _, out = built
    text = pdf_text(out / "print.pdf")
    squeezed = "".join(text.split())
    for caption, credit in [*photo_issue.PHOTOS.values(), *(v[1:] for v in photo_issue.COVER_PHOTOS.values())]:
        assert caption is None or "".join(caption.split()) in squeezed, caption
        assert credit in text, credit                 # with its own space: 张三 摄, 读者 供图
    assert "/ 摄" not in text and "/摄" not in text
    assert "rate(http_requests_total[5m])" in text


def test_the_phone_portrait_stands_upright(built):
    _, report, out = built
    row = next(r for r in report["photos"] if r["src"] == "images/portrait.jpg")
    assert row["source_pixels"] == [4000, 3000] and row["pixels"][1] > row["pixels"][0]
    with pikepdf.open(out / "print.pdf") as pdf:
        [img] = [i for i in (i for page in pdfscan.scan(pdf) for i in page.images)
                 if list(i.pixels) == row["pixels"]]
        assert img.placed[1] > img.placed[0]          # placed taller than wide
        xobj = next(o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
                    and [int(o.Width), int(o.Height)] == row["pixels"])
        pixels = pikepdf.PdfImage(xobj).as_pil_image()
    # The generated photo carries a white arrow pointing up (photo_issue.upright_arrow): its box
    # spans 15–80 % of the height and 25–75 % of the width, and it is wide under its tip, narrow at its shaft.
    arrow = _pale(pixels)
    left, top, right, bottom = arrow.getbbox()
    w, h = arrow.size
    assert max(abs(top / h - 0.15), abs(bottom / h - 0.80), abs(left / w - 0.25), abs(right / w - 0.75)) < 0.03
    assert _row_width(arrow, 0.40) > 2 * _row_width(arrow, 0.70)


def _pale(image):
    """A mask of the pixels as pale as the arrow (white paper: no ink in CMYK)."""
    from PIL import ImageChops
    if image.mode == "CMYK":
        c, m, y, k = image.split()
        image = ImageChops.invert(ImageChops.add(ImageChops.add(c, m), ImageChops.add(y, k)))
    return image.convert("L").point(lambda v: 255 if v > 235 else 0)


def _row_width(mask, at):
    return sum(1 for x in range(mask.width) if mask.getpixel((x, int(mask.height * at))))


def test_only_declared_fonts_are_embedded_and_code_is_in_the_monospace_face(built):
    _, _, out = built
    with pikepdf.open(out / "print.pdf") as pdf:
        names = {str(f.get("/BaseFont")).lstrip("/").split("+")[-1] for page in pdf.pages
                 for f in (page.Resources.get("/Font") or {}).values()}
    assert "Noto-Sans-Mono-SC" in {n.replace("-Bold", "") for n in names}
    assert {n.replace("-Bold", "") for n in names} <= {n.replace("-Bold", "") for n in DECLARED}
    # Inline code too, not only the code block (it was set in the body serif).
    lines = [line for line in pdfchars.lines(pdfchars.read_pages(out / "print.pdf")) if "表达式" in line.text]
    code = [c for line in lines for c in line.chars if c.ch in "rate(http_requests_total[5m])"[:12]]
    assert code and {c.face for c in code} == {"Noto-Sans-Mono-SC"}


def test_captions_take_the_han_latin_gap_the_body_has(built):
    # 新港码头的清晨，5G龙门吊 (the text stage removed the typed space): a quarter em between G and 龙.
    _, _, out = built
    lines = pdfchars.lines(pdfchars.read_pages(out / "print.pdf"))
    pairs = [(a, b) for line in lines if line.face == "Noto-Sans-SC"
             and any(k in line.text for k in ("5G龙门吊", "3.5 MPa的", "1958年的", "PromQL告警"))
             for a, b in zip(line.chars, line.chars[1:])
             if cjk.is_han(a.ch) and cjk.latin.match(b.ch) or cjk.latin.match(a.ch) and cjk.is_han(b.ch)]
    assert len(pairs) >= 6
    for a, b in pairs:
        assert 0.2 * a.em <= b.x - a.right <= 0.35 * a.em, (a.ch + b.ch, (b.x - a.right) / a.em)


def test_rgb_photos_stay_icc_tagged_rgb_when_the_issue_asks(issue_folder, tmp_path):
    issue = tmp_path / "2025-06"
    shutil.copytree(issue_folder, issue)
    (issue / "issue.yaml").write_text(photo_issue.YAML + "photo_colour: rgb\n", encoding="utf-8")
    proc, _ = build(issue, tmp_path / "out", tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    spaces = sorted(img.space for img in placed_images(tmp_path / "out" / "print.pdf"))
    # camera (twice: cover), portrait, alpha, page (twice: back cover) in RGB tagged sRGB;
    # the agency's CMYK and the grey as they came.
    assert spaces == ["DeviceCMYK", "DeviceGray"] + ["ICCBased(3)"] * 6


def test_a_short_text_alone_before_its_page_photo_is_flagged_for_the_editor(built, issue_folder):
    # 03-night: one paragraph, then a full-page photo, which takes a page of its own: the text's page
    # stands mostly empty although the article goes on overleaf. The flatplan must say so.
    proc, report, _ = built
    pages = [p for p in report["flatplan"] if "03-night" in p["articles"]]
    text_page, photo_page = pages
    assert text_page["fill"] < 0.5 and photo_page["fill"] > 0.95
    assert [w["kind"] for w in text_page["warnings"]] == ["underfilled"]
    assert [w for p in report["flatplan"] if p is not text_page for w in p["warnings"] if w["kind"] == "underfilled"] == []
    # …and so does the command line, which the editor reads: by page, and counted in its summary.
    shown = [line for line in proc.stdout.splitlines() if line.startswith("page ")]
    assert shown == [f"page {text_page['page']}: underfilled: {text_page['warnings'][0]['message']}"]
    assert ", 1 page warning, " in proc.stdout.splitlines()[-1]


def test_the_same_sources_give_the_same_bytes_wherever_the_issue_and_the_cache_are(built, issue_folder, tmp_path):
    # Prepared photos live in the cache folder, and WeasyPrint names an image by its URL: a name
    # taken from the path would make the bytes depend on where the cache (or the issue) is.
    issue = tmp_path / "elsewhere" / "2025-06"
    shutil.copytree(issue_folder, issue)
    proc, _ = build(issue, tmp_path / "out", tmp_path / "another-cache")
    assert proc.returncode == 0, proc.stderr
    _, _, out = built
    for name in ("print.pdf", "archive.pdf"):
        assert (tmp_path / "out" / name).read_bytes() == (out / name).read_bytes(), name


def _luminance(rgb):
    """WCAG relative luminance of an sRGB colour (0–255 channels)."""
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_captions_on_the_cover_photos_read_on_any_photo(built):
    # The back cover's caption was K 60 grey on the purple photo (contrast 2.2 : 1). Read from the
    # page as drawn: the caption's colour against the pixels under its line, between its characters.
    import pypdfium2 as pdfium
    _, _, out = built
    pages = pdfchars.read_pages(out / "archive.pdf")
    pdf = pdfium.PdfDocument(str(out / "archive.pdf"))
    try:
        for number, words in ((len(pages), "冬季的港区"), (1, "张三 摄")):
            [line] = [line for line in pdfchars.lines([pages[number - 1]]) if words in line.text]
            page = pdf[number - 1]
            left, _, _, top = page.get_cropbox()
            scale = 4
            image = page.render(scale=scale).to_pil().convert("RGB")
            # Just below the baseline, over the caption's width: under the type, where the band is.
            y = round((top - line.y + 0.15 * line.em) * scale)
            row = [image.getpixel((round((x - left) * scale), y))
                   for x in range(round(line.x0), round(line.right))]
            ground = sorted(row, key=_luminance)[len(row) // 2]
            ink = line.chars[0].color
            lighter, darker = sorted((_luminance(ground), _luminance(ink)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (words, ink, ground)
    finally:
        pdf.close()
