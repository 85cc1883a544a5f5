"""Preflight rules that our own files never break, each shown failing on a copy made to break it.

A minimal issue is built once; each fixture changes one thing in a copy of its print or archive
file with pikepdf, and preflight (run as a user runs it) must name that rule, and only a copy
so broken: the unbroken files pass.
"""
import re

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from ..conftest import run_cli, write_issue

MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    proc = run_cli("build", write_issue(folder / "2024-03"), "--out", folder / "out")
    assert proc.returncode == 0, proc.stderr
    return folder / "out"


def _body_page(pdf):
    return pdf.pages[2]


def _show(pdf, operators):
    """Add text drawn with the page's first font, in the given colour operators, to page 3."""
    page = _body_page(pdf)
    font = next(iter(page.Resources.Font.keys()))
    page.contents_add(pdf.make_stream(b"BT " + font.encode() + b" 12 Tf " + operators + b" 100 100 Td <0001> Tj ET"))


def _notdef(pdf):
    page = _body_page(pdf)
    font = next(iter(page.Resources.Font.keys()))
    page.contents_add(pdf.make_stream(b"BT " + font.encode() + b" 12 Tf 0 0 0 1 k 100 100 Td <0000> Tj ET"))


def _rich_black(pdf):
    _show(pdf, b"0.6 0.5 0.4 1 k")


def _annotation(pdf):
    page = _body_page(pdf)
    trim = [float(v) for v in page.obj.TrimBox]
    # Corners given top-right first: a rectangle may name either pair.
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([trim[0] + 90, trim[1] + 70, trim[0] + 50, trim[1] + 50]),
                      Border=Array([0, 0, 0]), F=4)
    page.obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))


def _mixed_trims(pdf):
    page = pdf.pages[1].obj
    for key in ("/TrimBox", "/BleedBox"):
        box = [float(v) for v in page[key]]
        page[key] = Array([box[0], box[1], box[2] - 10 * MM, box[3]])


def _bleed(mm, sides=("left", "bottom", "right", "top")):
    """The first page's bleed set to `mm` on the sides named, 3 mm on the others."""
    def change(pdf):
        page = pdf.pages[0].obj
        trim = [float(v) for v in page.TrimBox]
        out = {side: (mm if side in sides else 3) * MM for side in ("left", "bottom", "right", "top")}
        page.BleedBox = Array([trim[0] - out["left"], trim[1] - out["bottom"], trim[2] + out["right"],
                               trim[3] + out["top"]])
    return change


def _profile_n(pdf):
    [intent] = [oi for oi in pdf.Root.OutputIntents if oi.S == "/GTS_PDFX"]
    intent.DestOutputProfile.N = 3


PRINT = {
    ".notdef glyph": (_notdef, "glyphs", "printed as .notdef"),
    "four-colour black text": (_rich_black, "colour", "text in four-colour black"),       # a warning
    "annotation in the bleed box": (_annotation, "annotations", "Link annotation inside the bleed box"),
    "mixed trim sizes": (_mixed_trims, "boxes", "pages have different trim sizes"),
    "1 mm bleed": (_bleed(1), "boxes", "bleed too small: 1.0 mm"),
    "2.8 mm bleed on the left": (_bleed(2.8, ("left",)), "boxes", "bleed too small: 2.8 mm left (needs 3 mm)"),
    "2.8 mm bleed at the top": (_bleed(2.8, ("top",)), "boxes", "bleed too small: 2.8 mm top (needs 3 mm)"),
    "profile /N 3": (_profile_n, "output-intent", "the profile is CMYK (4 components) but its stream says /N 3"),
}


def _launch_action(pdf):
    annot = next(a for p in pdf.pages for a in p.obj.get("/Annots", []))
    annot.A = Dictionary(S=Name.Launch, F=String("calc.exe"))


def _catalog_aa(pdf):
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String("1")))


def _no_tounicode(pdf):
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            if "/ToUnicode" in font:
                del font["/ToUnicode"]


def _lzw(pdf):
    stream = pikepdf.Stream(pdf, b"")
    stream.write(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", filter=Name.LZWDecode)     # "-----A---B", encoded
    pdf.Root.Extra = pdf.make_indirect(stream)


def _external(pdf):
    pdf.Root.Extra = pdf.make_stream(b"", F=String("elsewhere.bin"))


def _xmp(pdf, change):
    raw = bytes(pdf.Root.Metadata.read_bytes())
    pdf.Root.Metadata.write(change(raw))


def _xpacket_bytes(pdf):
    _xmp(pdf, lambda raw: re.sub(rb"<\?xpacket begin=", b'<?xpacket bytes="1234" begin=', raw, count=1))


def _undeclared_schema(pdf):
    _xmp(pdf, lambda raw: raw.replace(b"<rdf:Description ", b'<rdf:Description xmlns:ex="http://example.com/ns/x/" '
                                                         b'ex:note="x" ', 1))


def _level_a_untagged(pdf):
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfaid:conformance"] = "A"
    del pdf.Root["/MarkInfo"]


def _opi_image(pdf):
    image = pdf.make_stream(b"\0\0\0\0", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                            ColorSpace=Name.DeviceCMYK, BitsPerComponent=8, OPI=Dictionary())
    page = _body_page(pdf)
    if "/XObject" not in page.Resources:
        page.Resources.XObject = Dictionary()
    page.Resources.XObject.ImOPI = image
    page.contents_add(pdf.make_stream(b"q 10 0 0 10 100 100 cm /ImOPI Do Q"))


ARCHIVE = {
    "Launch action": (_launch_action, "pdfa.actions", "a Launch action is not allowed"),
    "catalog additional actions": (_catalog_aa, "pdfa.actions", "the catalog has additional actions"),
    "ToUnicode removed": (_no_tounicode, "pdfa.unicode", "code(s) with no Unicode value"),
    "LZW stream": (_lzw, "pdfa.streams", "a stream uses LZWDecode"),
    "external stream": (_external, "pdfa.streams", "a stream refers to an external file (/F)"),
    "xpacket bytes": (_xpacket_bytes, "pdfa.metadata", "the xpacket header uses the bytes or encoding attribute"),
    "level A untagged": (_level_a_untagged, "pdfa.tags", "conformance level A needs a tagged PDF"),
    "OPI image": (_opi_image, "pdfa.images", "an image has OPI"),
    "undeclared schema": (_undeclared_schema, "pdfa.metadata",
                          "XMP uses schema http://example.com/ns/x/ without an extension schema"),
}


def preflight(path, rules):
    proc = run_cli("preflight", path, "--rules", rules)
    assert "Traceback" not in proc.stderr
    return proc


@pytest.mark.parametrize("rules, name", [("print", n) for n in PRINT] + [("archive", n) for n in ARCHIVE])
def test_each_broken_copy_fails_on_its_rule(built, tmp_path, rules, name):
    breaks, rule, words = (PRINT if rules == "print" else ARCHIVE)[name]
    with pikepdf.open(built / f"{rules}.pdf") as pdf:
        breaks(pdf)
        # Saved as changed: no metadata refreshed, no stream decoded or recompressed.
        pdf.save(tmp_path / "broken.pdf", fix_metadata_version=False, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
    proc = preflight(tmp_path / "broken.pdf", rules)
    kind = "warning" if name == "four-colour black text" else "error"
    assert proc.returncode == (kind == "error")
    assert any(line.startswith(kind) and f"[{rule}]" in line and words in line
               for line in proc.stdout.splitlines()), proc.stdout


@pytest.mark.parametrize("rules", ["print", "archive"])
def test_an_encrypted_copy_fails(built, tmp_path, rules):
    with pikepdf.open(built / f"{rules}.pdf") as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="x", user=""))
    proc = preflight(tmp_path / "locked.pdf", rules)
    assert proc.returncode == 1 and "the file is encrypted" in proc.stdout


@pytest.mark.parametrize("rules", ["print", "archive"])
def test_the_unbroken_files_pass(built, rules):
    proc = preflight(built / f"{rules}.pdf", rules)
    assert proc.returncode == 0, proc.stdout


def test_a_sheet_cut_at_the_bleed_and_a_bleed_of_3_mm_pass_the_box_rules(built, tmp_path):
    # The limits themselves are allowed: MediaBox equal to the BleedBox, a bleed of exactly 3 mm.
    with pikepdf.open(built / "print.pdf") as pdf:
        for page in pdf.pages:
            page.obj.MediaBox = page.obj.BleedBox
        _bleed(3)(pdf)
        pdf.save(tmp_path / "cut.pdf")
    proc = preflight(tmp_path / "cut.pdf", "print")
    assert proc.returncode == 0 and "[boxes]" not in proc.stdout, proc.stdout
