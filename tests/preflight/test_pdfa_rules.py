"""The PDF/A-3 rules of preflight: our archives pass; each kind of breakage is caught and named."""
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from periodical.preflight import pdfa_rules, preflight

from ..conftest import run_cli, write_issue


# ---------- fast: each rule on a small file written here with pikepdf (no build) ----------

def _found(check, *args):
    findings = preflight.Findings()
    check(*args, findings)
    return [(e["rule"], e["page"], e["message"]) for e in findings.errors]


def _messages(check, *args):
    return [message for _, _, message in _found(check, *args)]


def _profile(space=b"CMYK"):
    """The 132-byte header of an ICC output profile (no tags): all preflight reads of one."""
    header = bytearray(132)
    header[:4], header[8] = (132).to_bytes(4, "big"), 4
    header[12:16], header[16:20], header[36:40] = b"prtr", space, b"acsp"
    return bytes(header)


def _small(pages=1):
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    return pdf


def _identified(part, conformance):
    pdf = _small()
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if part:
            meta["pdfaid:part"] = part
        if conformance:
            meta["pdfaid:conformance"] = conformance
    return pdf


def test_identification_needs_part_2_or_3_and_conformance_a_b_or_u():
    for part, conformance in (("2", "B"), ("3", "U"), ("3", "A"), ("2", "A")):
        assert _messages(pdfa_rules._identification, _identified(part, conformance), {}) == [], (part, conformance)
    for part, conformance in (("1", "B"), ("4", "U"), ("3", "X"), ("3", "b"), (None, None)):
        assert _messages(pdfa_rules._identification, _identified(part, conformance), {}) == [
            f"XMP pdfaid:part {part or '–'} conformance {conformance or '–'}: expected part 2 or 3, "
            "conformance A, B or U (6.6.4)"], (part, conformance)


def test_file_structure_header_end_id_and_encryption():
    good = b"%PDF-1.7\n%\x80\xff\x80\xe2\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    pdf = _small()
    pdf.trailer.ID = Array([String("a"), String("b")])
    assert _messages(pdfa_rules._file_structure, pdf, good) == []
    for data in (good.replace(b"%PDF-1.7\n", b"%PDF-1.7\r\n"), good.replace(b"%PDF-1.7\n", b"%PDF-1.0\r"),
                 good[:-1], good[:-1] + b"\r\n"):
        assert _messages(pdfa_rules._file_structure, pdf, data) == [], data[:12]
    for data in (good.replace(b"1.7", b"1.8"), good.replace(b"\x80\xff\x80\xe2", b"\x80\xff\x7f\xe2"),
                 good.replace(b"\x80\xff\x80\xe2", b"\x80\xff\x80")):
        assert _messages(pdfa_rules._file_structure, pdf, data) == [
            "the header is not %PDF-1.n followed by a comment of four bytes above 127 (6.1.2)"], data[:16]
    assert _messages(pdfa_rules._file_structure, pdf, good + b"x") == ["data follows the last %%EOF marker (6.1.3)"]
    for ident in (Array([String("a")]), Array([String("a"), String("b"), String("c")])):
        pdf.trailer.ID = ident
        assert _messages(pdfa_rules._file_structure, pdf, good) == ["the trailer has no ID of two strings (6.1.3)"]
    del pdf.trailer["/ID"]
    assert _messages(pdfa_rules._file_structure, pdf, good) == ["the trailer has no ID of two strings (6.1.3)"]
    # An encryption dictionary in the trailer is enough, decrypted or not.
    pdf.trailer.ID = Array([String("a"), String("b")])
    pdf.trailer.Encrypt = Dictionary(Filter=Name.Standard)
    assert not pdf.is_encrypted
    assert _messages(pdfa_rules._file_structure, pdf, good) == ["the file is encrypted (6.1.3)"]


def test_actions_javascript_and_additional_actions_are_named():
    pdf = _small(2)
    assert _found(pdfa_rules._actions, pdf) == []
    pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))
    pdf.pages[0].obj.Annots = Array([
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]),
                                     A=Dictionary(S=Name.Launch, F=String("calc.exe")))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]),
                                     A=Dictionary(S=Name.URI, URI=String("https://example.com/"))))])
    pdf.Root.Extra = pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("1")))
    # Actions are met in object order: compared sorted.
    assert sorted(_found(pdfa_rules._actions, pdf)) == [
        ("pdfa.actions", None, "a JavaScript action is not allowed (6.6.1)"),
        ("pdfa.actions", None, "a Launch action is not allowed (6.6.1)")]
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([])))
    pdf.Root.AA = Dictionary()
    pdf.pages[1].obj.AA = Dictionary()
    found = _found(pdfa_rules._actions, pdf)
    assert found[:2] + found[-1:] == [
        ("pdfa.actions", None, "the document has JavaScript (Names /JavaScript) (6.6.1)"),
        ("pdfa.actions", None, "the catalog has additional actions (AA) (6.6.2)"),
        ("pdfa.actions", 2, "the page has additional actions (AA) (6.6.2)")] and len(found) == 5


def _with_intents(*spaces):
    pdf = _small()
    pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
        S=Name.GTS_PDFA1, DestOutputProfile=pdf.make_stream(_profile(s) if s else b"unreadable"))) for s in spaces])
    return pdf


def _used(*spaces):
    from types import SimpleNamespace
    return [SimpleNamespace(number=n, spaces={s: 1}) for n, s in enumerate(spaces, 1)]


def test_device_colour_needs_an_output_intent_of_its_colour_space():
    scans = _used("DeviceRGB", "DeviceCMYK", "DeviceGray", "DeviceCMYK")
    assert _messages(pdfa_rules._device_colour, _with_intents(b"CMYK"), scans) == [
        "DeviceRGB used on pages 1 without a RGB output intent (6.2.4.3)"]
    assert _messages(pdfa_rules._device_colour, _with_intents(b"RGB "), scans) == [
        "DeviceCMYK used on pages 2, 4 without a CMYK output intent (6.2.4.3)"]
    assert _messages(pdfa_rules._device_colour, _with_intents(None), scans) == [
        "DeviceRGB used on pages 1 without a RGB output intent (6.2.4.3)",
        "DeviceCMYK used on pages 2, 4 without a CMYK output intent (6.2.4.3)",
        "DeviceGray used on pages 3 without a PDF/A output intent (6.2.4.3)"]
    assert _messages(pdfa_rules._device_colour, _with_intents(b"CMYK", b"RGB "), _used("DeviceGray")) == [
        "output intents with different profiles (6.2.3)"]
    assert _messages(pdfa_rules._device_colour, _with_intents(b"CMYK", b"CMYK"), _used("DeviceGray")) == []


class _Font:
    def __init__(self, name, widths=(), unmapped=()):
        self.name, self.embedded, self.pages = name, True, {1}
        self._widths, self._unmapped = list(widths), list(unmapped)

    def notdef_codes(self):
        return []

    def width_mismatches(self):
        return self._widths

    def unmapped_codes(self):
        return self._unmapped


def test_font_widths_and_unicode_are_named_with_the_first_case():
    fonts = {1: _Font("A", widths=[(7, 500, 600.5), (9, 1, 2)], unmapped=[0x41, 0x42]), 2: _Font("B")}
    assert _messages(pdfa_rules._font_widths, fonts) == [
        "font A: 2 glyph width(s) differ from the font program, e.g. CID 7: 500 declared, 600.5 in the font (6.2.11.5)"]
    assert _messages(pdfa_rules._unicode, fonts) == [
        "font A: 2 code(s) with no Unicode value (ToUnicode), e.g. 0x0041 (6.2.11.7)"]


def test_unicode_is_checked_at_levels_u_and_a_and_tags_at_level_a():
    fonts = {1: _Font("A", unmapped=[0x41])}
    for claims, tagged, rules in (("PDF/A-3b", False, set()), ("PDF/A-3u", False, {"pdfa.unicode"}),
                                  ("PDF/A-2a", True, {"pdfa.unicode"}), ("PDF/A-2a", False, {"pdfa.unicode", "pdfa.tags"})):
        pdf = _identified(claims[6], claims[-1].upper())
        findings = preflight.Findings()
        pdfa_rules.check(pdf, b"", [], fonts, {"claims": claims, "tagged": tagged}, findings)
        assert {e["rule"] for e in findings.errors} & {"pdfa.unicode", "pdfa.tags"} == rules, claims


def test_an_archive_s_output_intent_may_be_rgb_or_cmyk():
    def intent_errors(space):
        pdf = _identified("3", "B")
        if space:
            pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
                S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"),
                DestOutputProfile=pdf.make_stream(_profile(space), N=3 if space == b"RGB " else 4)))])
        findings = preflight.Findings()
        pdfa_rules.check(pdf, b"", [], {}, {"claims": "PDF/A-3b", "tagged": False}, findings)
        return [e["message"] for e in findings.errors if e["rule"] == "output-intent"]
    assert intent_errors(b"RGB ") == [] and intent_errors(b"CMYK") == []
    assert intent_errors(None) == ["no GTS_PDFA1 output intent"]


def test_external_streams_lzw_and_image_keys():
    pdf = _small()
    assert _messages(pdfa_rules._images_and_streams, pdf) == []
    for key in ("/F", "/FFilter", "/FDecodeParms"):
        pdf.Root[f"/X{key[1:]}"] = pdf.make_stream(b"", **{key[1:]: String("x")})
    pdf.Root.Spec = pdf.make_stream(b"", Type=Name.Filespec, F=String("allowed.bin"))
    pdf.Root.Lzw1 = pdf.make_stream(b"", Filter=Name.LZWDecode)
    pdf.Root.Lzw2 = pdf.make_stream(b"", Filter=Array([Name.FlateDecode, Name.LZWDecode]))
    pdf.Root.Flat = pdf.make_stream(b"", Filter=Array([Name.FlateDecode]))
    image = dict(Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1, ColorSpace=Name.DeviceGray,
                 BitsPerComponent=8)
    pdf.Root.Im1 = pdf.make_stream(b"\0", Interpolate=True, **image)
    pdf.Root.Im2 = pdf.make_stream(b"\0", Interpolate=True, Alternates=Array([]), **image)
    pdf.Root.Im3 = pdf.make_stream(b"\0", Interpolate=False, OPI=Dictionary(), **image)
    pdf.Root.Form = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, OPI=Dictionary(), Interpolate=True)
    assert sorted(_messages(pdfa_rules._images_and_streams, pdf)) == sorted([
        "a stream refers to an external file (/F) (6.1.7)", "a stream refers to an external file (/FFilter) (6.1.7)",
        "a stream refers to an external file (/FDecodeParms) (6.1.7)",
        "a stream uses LZWDecode (6.1.7)", "a stream uses LZWDecode (6.1.7)",
        "an image has Alternates (6.2.8)", "an image has OPI (6.2.8)",
        "2 image(s) with Interpolate true (6.2.8)"])


def test_annotations_must_print_and_not_hide():
    # Flags: 1 Invisible, 2 Hidden, 4 Print, 8 NoZoom, 16 NoRotate, 32 NoView, 64 ReadOnly, 128 Locked,
    # 256 ToggleNoView.
    allowed = [4, 4 | 8, 4 | 16, 4 | 64, 4 | 128, 4 | 512]
    refused = [None, 0, 1, 4 | 1, 4 | 2, 4 | 32, 4 | 256, 8 | 16]
    pdf = _small()
    annots = []
    for flags in allowed + refused:
        annot = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]))
        if flags is not None:
            annot.F = flags
        annots.append(pdf.make_indirect(annot))
    annots.append(pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Popup, Rect=Array([0, 0, 9, 9]))))
    annots.append(pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name("/3D"), F=4, Rect=Array([0, 0, 9, 9]))))
    annots.append(pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, F=4, AA=Dictionary(),
                                               Rect=Array([0, 0, 9, 9]))))
    pdf.pages[0].obj.Annots = Array(annots)
    assert _found(pdfa_rules._annotations, pdf) == [
        ("pdfa.annotations", 1, "a Link annotation is not set to print, or is hidden (6.3.2)")] * len(refused) + [
        ("pdfa.annotations", 1, "3D annotations are not allowed (6.3.1)"),
        ("pdfa.annotations", 1, "a Link annotation has additional actions (6.6.2)")]


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" {extra}>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">标题</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>甲</rdf:li><rdf:li>乙</rdf:li></rdf:Seq></dc:creator>
<xmp:CreateDate>2024-03-20T10:11:12+08:00</xmp:CreateDate>
<xmp:ModifyDate>2024-03-20T10:11:12+05:30</xmp:ModifyDate>
<pdf:Producer>periodical</pdf:Producer>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def _with_xmp(extra="", header=None, **info):
    pdf = _small()
    xmp = XMP.format(extra=extra)
    if header:
        xmp = xmp.replace("<?xpacket begin=", header, 1)
    pdf.Root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML)
    pdf.trailer.Info = pdf.make_indirect(Dictionary({f"/{k}": String(v) for k, v in info.items()}))
    return pdf


def test_metadata_schemas_xpacket_and_info_matching_xmp():
    info = dict(Title="标题", Author="甲, 乙", CreationDate="D:20240320101112+08'00'",
                ModDate="D:20240320101112+05'30'", Producer="periodical")
    assert _messages(pdfa_rules._metadata, _with_xmp(**info)) == []
    assert _messages(pdfa_rules._metadata, _with_xmp(**dict(info, Title="别的", Producer="x"))) == [
        "Info Title '别的' does not match XMP dc:title '标题' (6.6.3)",
        "Info Producer 'x' does not match XMP pdf:Producer 'periodical' (6.6.3)"]
    assert _messages(pdfa_rules._metadata, _with_xmp(Subject="s", ModDate="D:20240320101112+05'00'")) == [
        "Info Subject 's' does not match XMP dc:description None (6.6.3)",
        "Info ModDate \"D:20240320101112+05'00'\" does not match XMP xmp:ModifyDate '2024-03-20T10:11:12+05:30' (6.6.3)"]
    extra = 'xmlns:ex="http://example.com/ns/x/"'
    assert _messages(pdfa_rules._metadata, _with_xmp(extra)) == [
        "XMP uses schema http://example.com/ns/x/ without an extension schema (6.6.2.3)"]
    declared = extra + ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
    assert _messages(pdfa_rules._metadata, _with_xmp(declared)) == []
    for header in ('<?xpacket bytes="1" begin=', '<?xpacket encoding="UTF-8" begin='):
        assert _messages(pdfa_rules._metadata, _with_xmp(header=header)) == [
            "the xpacket header uses the bytes or encoding attribute (6.6.2.1)"]
    pdf = _small()
    assert _messages(pdfa_rules._metadata, pdf) == ["no XMP metadata stream in the catalog (6.6.2.1)"]


def test_an_info_date_matches_its_xmp_date_field_by_field():
    same = [("D:20240320101112", "2024-03-20T10:11:12"), ("D:2024", "2024-01-01T00:00:00"),
            ("D:202403", "2024-03-01T00:00:00"), ("D:2024032010", "2024-03-20T10:00:00"),
            ("D:20240320101112Z", "2024-03-20T10:11:12Z"), ("D:20240320101112z", "2024-03-20T10:11:12Z"),
            ("D:20240320101112Z", "2024-03-20T10:11:12+00:00"), ("D:20240320101112+08'00'", "2024-03-20T10:11:12+08:00"),
            ("D:20240320101112-05'30", "2024-03-20T10:11:12-05:30"), ("D:20240320101112+08", "2024-03-20T10:11:12+08:00")]
    different = [("D:20240320101112", "2024-03-20T10:11:13"), ("D:20240320101112+08'00'", "2024-03-20T10:11:12Z"),
                 ("D:20240320101112+08'00'", "2024-03-20T10:11:12+08:30"), ("20240320", "2024-03-20T00:00:00"),
                 ("D:20240320", "2024-03-20T00:00:00Z")]
    assert [pdfa_rules._same_date(a, b) for a, b in same] == [True] * len(same)
    assert [pdfa_rules._same_date(a, b) for a, b in different] == [False] * len(different)


def _with_files(part_af=True, **changes):
    """One embedded file, as our archives carry it; `changes`: keys of its file spec to drop (None) or set."""
    pdf = _small()
    embedded = pdf.make_stream(b"<xml/>", Type=Name.EmbeddedFile, Subtype=Name("/application#2Fxml"))
    spec = Dictionary(Type=Name.Filespec, F=String("data.xml"), UF=String("data.xml"),
                      EF=Dictionary(F=embedded), AFRelationship=Name.Source)
    for key, value in changes.items():
        if value is None:
            del spec[f"/{key}"]
        else:
            spec[f"/{key}"] = value
    spec = pdf.make_indirect(spec)
    if part_af:
        pdf.Root.AF = Array([spec])
    return pdf


def test_embedded_files_carry_names_a_mime_type_a_relationship_and_are_listed():
    assert _messages(pdfa_rules._associated_files, _with_files(), "3") == []
    assert _messages(pdfa_rules._associated_files, _with_files(F=None, UF=None), "3") == [
        "embedded file ?: no F (6.8)", "embedded file ?: no UF (6.8)"]
    assert _messages(pdfa_rules._associated_files, _with_files(AFRelationship=Name.Other), "3") == [
        "embedded file data.xml: no valid AFRelationship (6.8)"]
    assert _messages(pdfa_rules._associated_files, _with_files(AFRelationship=None), "3") == [
        "embedded file data.xml: no valid AFRelationship (6.8)"]
    assert _messages(pdfa_rules._associated_files, _with_files(part_af=False), "3") == [
        "embedded file data.xml is not listed in the catalog's AF array (6.8)"]
    pdf = _with_files()
    del pdf.Root.AF[0].EF.F.Subtype
    assert _messages(pdfa_rules._associated_files, pdf, "3") == ["embedded file data.xml: no MIME type (Subtype) (6.8)"]
    # PDF/A-2 embeds only PDF/A files, and asks nothing more of them.
    assert _messages(pdfa_rules._associated_files, _with_files(part_af=False, AFRelationship=None), "2") == [
        "embedded file data.xml: PDF/A-2 embeds only PDF/A files (6.8)"]
    for mime in ("/application#2Fpdf", "/application/pdf"):
        pdf = _with_files()
        pdf.Root.AF[0].EF.F.Subtype = Name(mime)
        assert _messages(pdfa_rules._associated_files, pdf, "2") == [], mime
    pdf = _with_files(EF=Dictionary())
    assert _messages(pdfa_rules._associated_files, pdf, "2") == [
        "embedded file data.xml: PDF/A-2 embeds only PDF/A files (6.8)"]
    assert _messages(pdfa_rules._associated_files, _with_files(EF=None), "2") == []


# ---------- the archives of built issues ----------

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
