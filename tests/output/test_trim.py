"""An issue built at another trim: the boxes of every page, and the text inside the trim and the type area.

A4 (210 × 297 mm: the width of issue 148, a taller page) and 大32开 (140 × 203 mm: one body column,
two news columns). The 16开 185 × 260 mm build is tests/model/test_keys.py's.
"""
import json

import pikepdf
import pytest

from periodical.check import pdfchars
from periodical.compose import geometry
from periodical.model import trim
from periodical.output import marks

from .. import bodycolumns
from ..conftest import run_cli, write_flow_issue

MM = 72 / 25.4
SAFE = 4 * MM                # no text closer than this to the trim


@pytest.fixture(scope="module", params=["210×297 mm", "140×203 mm"])
def built(request, tmp_path_factory):
    folder = write_flow_issue(tmp_path_factory.mktemp("trim") / "2024-03")
    with open(folder / "issue.yaml", "a", encoding="utf-8") as f:
        f.write(f"trim: {request.param}\n")
    out = folder.parent / "out"
    proc = run_cli("build", folder, "--out", out)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return trim.parse(request.param), out


def boxes(page):
    return {name: [float(v) for v in page.obj[name]] for name in ("/MediaBox", "/TrimBox", "/BleedBox") if name in page.obj}


def size_mm(box):
    return round((box[2] - box[0]) / MM, 2), round((box[3] - box[1]) / MM, 2)


def grown(box, by):
    return pytest.approx([box[0] - by, box[1] - by, box[2] + by, box[3] + by], abs=0.01)


def test_every_print_page_has_the_trim_bleed_and_marks_boxes(built):
    size, out = built
    with pikepdf.open(out / "print.pdf") as pdf:
        for page in pdf.pages:
            b = boxes(page)
            assert size_mm(b["/TrimBox"]) == (size.width, size.height)
            assert b["/BleedBox"] == grown(b["/TrimBox"], 3 * MM)
            assert b["/MediaBox"] == grown(b["/TrimBox"], marks.MARGIN)


def test_every_archive_page_is_the_trim(built):
    size, out = built
    with pikepdf.open(out / "archive.pdf") as pdf:
        assert {size_mm(boxes(p)["/MediaBox"]) for p in pdf.pages} == {(size.width, size.height)}


def test_all_text_is_inside_the_trim_and_the_body_inside_the_type_area(built):
    size, out = built
    g = geometry.of(size)
    top, outer, bottom, inner = (m * MM for m in g.margins["page"])
    width, height = size.width * MM, size.height * MM
    with pikepdf.open(out / "print.pdf") as pdf:
        x0, y0 = (float(v) for v in pdf.pages[0].obj.TrimBox[:2])
    pages = pdfchars.read_pages(out / "print.pdf")
    body = 0
    for number, chars in enumerate(pages, 1):
        left = outer if number % 2 == 0 else inner            # even pages are left-hand pages
        edges = []
        for c in chars:
            if c.ch.isspace():
                continue
            x, y = c.x - x0, c.y - y0
            assert SAFE <= x and c.right - x0 <= width - SAFE and SAFE <= y and y + c.em <= height - SAFE, (number, c)
            if 2 < number < len(pages) and c.face == bodycolumns.BODY_FACE and abs(c.em - bodycolumns.BODY_SIZE) < 0.1:
                body += 1
                edges.append((x, c.right - x0))
                assert left - 0.5 <= x and c.right - x0 <= width - (inner + outer - left) + 0.5, (number, c)
                assert bottom <= y and y + c.em <= height - top + 0.5, (number, c)
        if edges:                # the body starts at the type area's edge and ends at a column's
            assert min(e[0] for e in edges) == pytest.approx(left, abs=0.5)
            assert min(abs(max(e[1] for e in edges) - right) for right in column_rights(g, left)) < 0.5
    assert body > 100


def column_rights(g, left):
    """Where each body column of the geometry ends, in pt from the trim's left edge."""
    top, outer, bottom, inner = g.margins["page"]
    c, measure = g.columns["body"], (g.trim.width - outer - inner) * MM
    if c.count == 1:
        return [left + measure]                                # one column fills the type area
    chars = c.chars * 9                                        # columns of whole 9 pt characters
    pitch = chars + (measure - c.count * chars) / (c.count - 1)
    return [left + n * pitch + chars for n in range(c.count)]


def test_body_columns_follow_the_width(built):
    size, out = built
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["drift"] == [] and report["pages"] == 8        # the planned pages still hold
    pages = pdfchars.read_pages(out / "print.pdf")
    counts = [bodycolumns.count(bodycolumns.body_lines(pages, n)) for n in range(3, len(pages))]
    assert max(counts) == geometry.of(size).columns["body"].count


def test_preflight_finds_every_page_at_the_declared_trim(built):
    size, out = built
    checks = json.loads((out / "preflight.json").read_text(encoding="utf-8"))
    assert {name: [e for e in r["errors"] if e["rule"] == "boxes"] for name, r in checks.items()} == \
        {"print.pdf": [], "archive.pdf": []}
    assert {tuple(r["facts"]["trim_mm"]) for r in checks.values()} == {(size.width, size.height)}
