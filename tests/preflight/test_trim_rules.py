"""Preflight holds every page to the trim the issue declares (the build passes it): TrimBox, or MediaBox without one."""
import pikepdf

from periodical.preflight import preflight

MM = 72 / 25.4


def sheet(path, sizes, trim_box=True):
    """A PDF with one blank page per (width, height) in mm, cut there (TrimBox, 3 mm bleed) or at its MediaBox."""
    pdf = pikepdf.new()
    for w, h in sizes:
        page = pdf.add_blank_page(page_size=((w + 6) * MM, (h + 6) * MM))
        if trim_box:
            page.obj.TrimBox = [3 * MM, 3 * MM, (w + 3) * MM, (h + 3) * MM]
            page.obj.BleedBox = page.obj.MediaBox
        else:
            page.obj.MediaBox = [0, 0, w * MM, h * MM]
    pdf.save(path)
    return path


def box_errors(report):
    return [e for e in report["errors"] if e["rule"] == "boxes"]


def test_pages_off_the_declared_trim_are_named(tmp_path):
    path = sheet(tmp_path / "a.pdf", [(185, 260), (185, 260), (210, 297), (210, 297)])
    errors = [e["message"] for e in box_errors(preflight.run(path, "print", trim=(185, 260)))]
    assert "210.0×297.0 mm on pages 3–4, but the trim is 185×260 mm" in errors


def test_an_archive_is_held_to_the_trim_by_its_media_box(tmp_path):
    path = sheet(tmp_path / "b.pdf", [(140, 203)] * 3 + [(141, 203)], trim_box=False)
    errors = [e["message"] for e in box_errors(preflight.run(path, "archive", trim=(140, 203)))]
    assert errors == ["141.0×203.0 mm on page 4, but the trim is 140×203 mm"]


def test_pages_at_the_declared_trim_pass(tmp_path):
    path = sheet(tmp_path / "c.pdf", [(185, 260)] * 4)
    assert box_errors(preflight.run(path, "print", trim=(185, 260))) == []
    assert box_errors(preflight.run(path, "print")) == []
