"""The PDF/A-3 rules of preflight: our archives pass; each kind of breakage is caught and named."""
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from periodical.preflight import preflight

from ..conftest import run_cli, write_issue


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfa")
    issue = write_issue(folder / "2024-03")
    proc = run_cli("build", issue, "--out", folder / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder / "out" / "archive.pdf"


def test_the_issue148_archive_passes_the_archive_rules(issue148):
    proc = run_cli("preflight", issue148[0] / "archive.pdf")
    assert proc.returncode == 0, proc.stdout
    assert "PDF/A-3u" in proc.stdout and "0 errors, 0 warnings: passes the archive rules" in proc.stdout


def _first_filespec(pdf):
    return pdf.Root.AF[0]


def _first_cidfont(pdf):
    return next(iter(pdf.pages[0].Resources.Font.values())).DescendantFonts[0]


def _drop_af(pdf):
    del pdf.Root.AF


def _drop_relationship(pdf):
    del _first_filespec(pdf).AFRelationship


def _drop_mime(pdf):
    del _first_filespec(pdf).EF.F.Subtype


def _javascript(pdf):
    js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))
    pdf.Root.Names.JavaScript = Dictionary(Names=Array([String("x"), js]))


def _retitle(pdf):
    pdf.trailer.Info.Title = String("另一个标题")


def _hide_link(pdf):
    annots = next(p.obj.Annots for p in pdf.pages if "/Annots" in p.obj)
    annots[0].F = 0


def _wrong_width(pdf):
    font = _first_cidfont(pdf)
    w = font.W
    w[1] = Array([float(v) + 100 for v in w[1]])


def _interpolated_image(pdf):
    image = pdf.make_stream(b"\0\0\0", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                            ColorSpace=Name.DeviceGray, BitsPerComponent=8, Interpolate=True)
    resources = pdf.pages[0].Resources
    if "/XObject" not in resources:
        resources.XObject = Dictionary()
    resources.XObject.Extra = image


def _rgb_intent(pdf):
    from importlib.resources import files
    srgb = files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()
    pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_stream(srgb, N=3)


def _no_metadata(pdf):
    del pdf.Root.Metadata


BREAKAGES = {
    "catalog AF removed": (_drop_af, "pdfa.files", "is not listed in the catalog's AF array"),
    "AFRelationship removed": (_drop_relationship, "pdfa.files", "no valid AFRelationship"),
    "MIME type removed": (_drop_mime, "pdfa.files", "no MIME type"),
    "JavaScript added": (_javascript, "pdfa.actions", "JavaScript"),
    "Info title changed": (_retitle, "pdfa.metadata", "does not match XMP dc:title"),
    "link hidden": (_hide_link, "pdfa.annotations", "not set to print"),
    "glyph widths changed": (_wrong_width, "pdfa.fonts", "differ from the font program"),
    "image interpolated": (_interpolated_image, "pdfa.images", "Interpolate true"),
    "RGB output intent with CMYK colour": (_rgb_intent, "pdfa.colour", "DeviceCMYK used on pages"),
    "metadata removed": (_no_metadata, "pdfa.metadata", "no XMP metadata stream"),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_each_breakage_is_named(archive, tmp_path, name):
    breaks, rule, words = BREAKAGES[name]
    with pikepdf.open(archive) as pdf:
        breaks(pdf)
        pdf.save(tmp_path / "broken.pdf")
    report = preflight.run(tmp_path / "broken.pdf", "archive")
    found = [e for e in report["errors"] if e["rule"] == rule and words in e["message"]]
    assert found, report["errors"]


def test_encryption_and_trailing_data_are_caught(archive, tmp_path):
    with pikepdf.open(archive) as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="x", user=""))
    report = preflight.run(tmp_path / "locked.pdf", "archive")
    assert any("encrypted" in e["message"] for e in report["errors"])
    (tmp_path / "tail.pdf").write_bytes(archive.read_bytes() + b"garbage after the end")
    report = preflight.run(tmp_path / "tail.pdf", "archive")
    assert any("data follows the last %%EOF" in e["message"] for e in report["errors"])


def test_the_unbroken_archive_passes(archive):
    report = preflight.run(archive)
    assert report["rules"] == "archive" and report["errors"] == [] and report["warnings"] == []
