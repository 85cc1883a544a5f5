"""The print house's rules one at a time, on small PDFs written here with pikepdf (fast: no build).

Each expected finding is worked out from how the file is written: boxes in points (1 mm =
72 / 25.4 pt), a bleed of 3 mm needed and 0.05 mm of slack allowed, images of 150 ppi at the
least and 300 wanted, text in rich black when K is at least 90 % with C, M and Y all under it.
"""
from decimal import Decimal
from types import SimpleNamespace as NS

import pikepdf
from pikepdf import Array, Dictionary, Name

from periodical.preflight import print_rules
from periodical.preflight.preflight import Findings

MM = 72 / 25.4


def exact(value):
    """A PDF number that reads back as this very float."""
    return Decimal(repr(value))


def pdf_with(*pages):
    """A PDF whose pages have the given boxes: dicts of MediaBox, TrimBox, BleedBox, Annots."""
    pdf = pikepdf.new()
    for boxes in pages:
        pdf.add_blank_page(page_size=(500, 700))
        page = pdf.pages[-1].obj
        for key in ("/MediaBox", "/TrimBox", "/BleedBox"):
            if key in page:
                del page[key]
        for key, value in boxes.items():
            page[key] = Array([exact(v) for v in value]) if key != "/Annots" else Array(value)
    return pdf


def errors(check, *args):
    findings = Findings()
    check(*args, findings)
    return [(e["rule"], e["page"], e["message"]) for e in findings.errors], \
        [(w["rule"], w["page"], w["message"]) for w in findings.warnings]


def trimmed(trim, bleed_mm=(3, 3, 3, 3), media=None):
    """A page trimmed to `trim` (pt) with a bleed of (left, bottom, right, top) mm around it."""
    left, bottom, right, top = (b * MM for b in bleed_mm)
    bleed = [trim[0] - left, trim[1] - bottom, trim[2] + right, trim[3] + top]
    return {"/TrimBox": trim, "/BleedBox": bleed, "/MediaBox": media or [bleed[0] - 5, bleed[1] - 5, bleed[2] + 5,
                                                                          bleed[3] + 5]}


TRIM = [20.0, 30.0, 20.0 + 210 * MM, 30.0 + 285 * MM]       # 210 × 285 mm, at different x and y offsets


# ---------- boxes ----------

def test_each_short_side_of_the_bleed_is_named_with_its_width():
    pdf = pdf_with(trimmed(TRIM, (1, 2, 2.5, 3)), trimmed(TRIM, (3, 3, 3, 0.5)), trimmed(TRIM))
    assert errors(print_rules._boxes, pdf) == ([
        ("boxes", 1, "bleed too small: 1.0 mm left, 2.0 mm bottom, 2.5 mm right (needs 3 mm)"),
        ("boxes", 2, "bleed too small: 0.5 mm top (needs 3 mm)")], [])


def test_a_bleed_short_by_up_to_0_05_mm_passes():
    # 2.95 mm: exactly at the slack (the bleed box at 0 so the margin is the trim's offset itself).
    at = 2.95 * MM
    assert at / MM == print_rules.MIN_BLEED_MM - 0.05
    page = {"/TrimBox": [at, at, 200, 300], "/BleedBox": [0, 0, 200 + 3 * MM, 300 + 3 * MM],
            "/MediaBox": [0, 0, 200 + 3 * MM, 300 + 3 * MM]}
    assert errors(print_rules._boxes, pdf_with(page)) == ([], [])
    for mm, found in ((2.96, []), (2.94, [("boxes", 1, "bleed too small: 2.9 mm left (needs 3 mm)")]),
                      (3.04, []), (2.0, [("boxes", 1, "bleed too small: 2.0 mm left (needs 3 mm)")])):
        assert errors(print_rules._boxes, pdf_with(trimmed(TRIM, (mm, 3, 3, 3))))[0] == found, mm


def test_the_media_box_must_hold_the_bleed_box_to_within_a_hundredth_of_a_point():
    page = trimmed(TRIM)
    bleed = page["/BleedBox"]
    for n in range(4):
        # Each side in turn 0.005 pt inside the bleed box (allowed), then 0.02 pt (not).
        inward = 1 if n < 2 else -1
        for shift, found in ((0.005, []), (0.02, [("boxes", 1, "the MediaBox does not hold the BleedBox")])):
            media = list(bleed)
            media[n] += inward * shift
            assert errors(print_rules._boxes, pdf_with(dict(page, **{"/MediaBox": media})))[0] == found, (n, shift)
    assert errors(print_rules._boxes, pdf_with({k: v for k, v in page.items() if k != "/MediaBox"}))[0] == [
        ("boxes", 1, "the MediaBox does not hold the BleedBox")]
    # A media box equal to the bleed box: the sheet cut at the bleed.
    assert errors(print_rules._boxes, pdf_with(dict(page, **{"/MediaBox": bleed})))[0] == []


def test_contains_allows_exactly_its_tolerance():
    inner = [0.0, 0.0, 100.01, 100.01]
    assert 100.01 - 0.01 == 100.0 and 0.0 + 0.01 == 0.01
    assert print_rules.contains([0.01, 0.01, 100.0, 100.0], inner)
    for n, value in enumerate((0.0101, 0.0101, 99.9999, 99.9999)):
        outer = [0.01, 0.01, 100.0, 100.0]
        outer[n] = value
        assert not print_rules.contains(outer, inner), n


def test_no_trim_box_or_no_bleed_box_and_mixed_trim_sizes():
    no_trim = {"/MediaBox": [0, 0, 500, 700]}
    no_bleed = {"/MediaBox": [0, 0, 500, 700], "/TrimBox": [10, 20, 10 + 100.06 * MM, 20 + 200 * MM]}
    other = trimmed([10, 20, 10 + 100.04 * MM, 20 + 200.04 * MM])
    same = trimmed([30, 40, 30 + 100.04 * MM, 40 + 200.04 * MM])
    assert errors(print_rules._boxes, pdf_with(no_trim, no_bleed, other, same))[0] == [
        ("boxes", 1, "no TrimBox: the press cannot know where to cut"),
        ("boxes", 2, "no BleedBox"),
        # Sizes to a tenth of a millimetre: 100.06 → 100.1, 100.04 → 100.0.
        ("boxes", None, "pages have different trim sizes: 100.0×200.0 mm, 100.1×200.0 mm")]
    assert errors(print_rules._boxes, pdf_with(other, same))[0] == []


def test_every_page_must_be_cut_to_the_declared_trim_to_a_tenth_of_a_millimetre():
    media_only = {"/MediaBox": [0, 0, 210 * MM, 285 * MM]}
    pdf = pdf_with(trimmed([5, 7, 5 + 210.1 * MM, 7 + 285 * MM]), media_only, trimmed([5, 7, 5 + 210 * MM, 7 + 285.2 * MM]),
                   trimmed([5, 7, 5 + 211.04 * MM, 7 + 285 * MM]), trimmed([5, 7, 5 + 210.96 * MM, 7 + 285 * MM]),
                   trimmed([5, 7, 5 + 209.9 * MM, 7 + 285.0 * MM]))
    assert errors(print_rules.declared_trim, pdf, (210, 285))[0] == [
        ("boxes", None, "210.0×285.2 mm on page 3, but the trim is 210×285 mm"),
        ("boxes", None, "211.0×285.0 mm on pages 4–5, but the trim is 210×285 mm")]
    # A declared trim in tenths: a tenth off either way passes, two tenths do not.
    for height, off in ((285.3, False), (285.1, False), (285.4, True), (285.0, True)):
        pdf = pdf_with(trimmed([5, 7, 5 + 210 * MM, 7 + height * MM]))
        assert bool(errors(print_rules.declared_trim, pdf, (210, 285.2))[0]) is off, height
    for declared, height, off in ((286.4, 286.5, False), (285.4, 285.6, True), (285.4, 285.3, False)):
        pdf = pdf_with(trimmed([5, 7, 5 + 210 * MM, 7 + height * MM]))
        assert bool(errors(print_rules.declared_trim, pdf, (210, declared))[0]) is off, (declared, height)
    pdf = pdf_with({"/MediaBox": [0, 0, 100, 100], "/TrimBox": [1, 2, 3]})
    del pdf.pages[0].obj["/MediaBox"]
    assert errors(print_rules.declared_trim, pdf, (210, 285))[0] == [
        ("boxes", None, "no size on page 1, but the trim is 210×285 mm")]


# ---------- annotations ----------

def annotation(rect, subtype=Name.Link):
    return Dictionary(Type=Name.Annot, Subtype=subtype, Rect=Array([exact(v) for v in rect]))


def test_an_annotation_inside_the_bleed_box_is_an_error_one_touching_it_from_outside_is_not():
    bleed = [10.0, 20.0, 300.0, 400.0]
    touching = [[0, 100, 10, 110], [100, 400, 110, 410], [300, 100, 310, 110], [100, 10, 110, 20]]
    inside = [[0, 100, 10.5, 110], [100, 399.5, 110, 410], [299.5, 100, 310, 110], [100, 10, 110, 20.5],
              [110, 110, 100, 100]]                  # corners given the other way round
    for rects, n in ((touching, 0), (inside, len(inside))):
        page = {"/MediaBox": [0, 0, 310, 410], "/BleedBox": bleed, "/Annots": [annotation(r) for r in rects]}
        assert errors(print_rules._annotations_in_bleed, pdf_with(page))[0] == \
            [("annotations", 1, "Link annotation inside the bleed box")] * n
    # Printer's marks may stand there; with no bleed box, the trim box is the limit.
    page = {"/MediaBox": [0, 0, 310, 410], "/TrimBox": bleed,
            "/Annots": [annotation([100, 100, 110, 110], Name.PrinterMark), annotation([100, 100, 110, 110], Name.Text)]}
    assert errors(print_rules._annotations_in_bleed, pdf_with(page))[0] == [
        ("annotations", 1, "Text annotation inside the bleed box")]
    assert errors(print_rules._annotations_in_bleed, pdf_with({"/MediaBox": [0, 0, 310, 410],
                                                              "/Annots": [annotation([1, 1, 5, 5])]}))[0] == []


# ---------- colour and images ----------

def run(page, space, *components):
    return NS(page=page, fill=(space, tuple(components)))


def test_rich_black_is_k_90_or_more_with_c_m_and_y_all_under_it():
    rich = [("DeviceCMYK", (0.1, 0.1, 0.1, 0.9)), ("DeviceCMYK", (0.6, 0.5, 0.4, 1.0))]
    plain = [("DeviceCMYK", (0.1, 0.1, 0.1, 0.89)), ("DeviceCMYK", (0.0, 0.5, 0.5, 1.0)),
             ("DeviceCMYK", (0.5, 0.0, 0.5, 1.0)), ("DeviceCMYK", (0.5, 0.5, 0.0, 1.0)),
             ("DeviceCMYK", (0.0, 0.0, 0.0, 1.0)), ("DeviceRGB", (0.1, 0.1, 0.1, 1.0)),
             ("DeviceCMYK", (0.1, 0.1, 0.9)), ("DeviceCMYK", (0.1, 0.1, 0.1, 0.9, 0.1))]
    assert [print_rules._rich_black(f) for f in rich + plain] == [True] * len(rich) + [False] * len(plain)


def test_colour_names_the_pages_of_rgb_and_of_rich_black_text():
    scans = [NS(number=1, spaces={"DeviceCMYK": 3}, text=[run(1, "DeviceCMYK", 0, 0, 0, 1)]),
             NS(number=2, spaces={"DeviceRGB": 1}, text=[run(2, "DeviceRGB", 0, 0, 0)]),
             NS(number=3, spaces={"DeviceRGB": 0}, text=[run(3, "DeviceCMYK", 0.5, 0.5, 0.5, 1)]),
             NS(number=4, spaces={"DeviceRGB": 2}, text=[run(4, "DeviceCMYK", 0.5, 0.5, 0.5, 1)])]
    assert errors(print_rules._colour, scans) == (
        [("colour", None, "text in DeviceRGB on pages 2"),
         ("colour", None, "DeviceRGB used on pages 2, 4: RGB must be converted or tagged with an ICC profile")],
        [("colour", None, "text in four-colour black (C, M and Y under K) on pages 3–4: use K 100 only")])
    assert errors(print_rules._colour, scans[:1]) == ([], [])


def image(ppi, space="DeviceCMYK", pixels=(600, 450)):
    # Placed at the size that gives `ppi` across; its height gives more.
    return NS(pixels=pixels, placed=(pixels[0] / ppi * 72, pixels[1] / (ppi + 50) * 72), ppi=ppi, space=space)


def test_images_below_150_ppi_are_errors_below_300_warnings_and_rgb_is_named():
    scans = [NS(number=1, images=[image(149.9), image(150), image(299.9), image(300)]),
             NS(number=2, images=[image(600, "ICCBased(3)", (1200, 900)), image(600, "Indexed(ICCBased(3))"),
                                  image(600, "ICCBased(4)")])]
    found, warned = errors(print_rules._images, scans)
    width = round(600 / 149.9 * 72 / MM)              # the placed size in mm, across × down
    assert found == [("images", 1, f"image of 600×450 px at {width}×{round(450 / 199.9 * 72 / MM)} mm: "
                                   "150 ppi, below 150 (300 wanted)")]
    assert warned == [
        ("images", 1, "image of 600×450 px at 102×57 mm: 150 ppi, 300 wanted"),
        ("images", 1, "image of 600×450 px at 51×33 mm: 300 ppi, 300 wanted"),
        ("images", 2, "image of 1200×900 px at 51×35 mm is RGB (ICC-tagged): the press converts it to the output intent"),
        ("images", 2, "image of 600×450 px at 25×18 mm is RGB (ICC-tagged): the press converts it to the output intent")]


# ---------- fonts ----------

def test_fonts_not_embedded_and_notdef_glyphs_name_their_pages():
    fonts = {1: NS(name="A", embedded=True, pages={1, 2, 3, 5}, notdef_codes=lambda: [0, 7]),
             2: NS(name="B", embedded=False, pages={4}, notdef_codes=lambda: [])}
    assert errors(print_rules.fonts_embedded, fonts)[0] == [("fonts", None, "font B is not embedded (pages 4)")]
    assert errors(print_rules.glyphs, fonts)[0] == [
        ("glyphs", None, "font A: 2 character(s) printed as .notdef (a blank box) on pages 1–3, 5")]


def test_page_lists_join_runs():
    assert print_rules.pages([7, 1, 3, 2, 2, 9, 10, 12]) == "1–3, 7, 9–10, 12"
    assert print_rules.pages([4]) == "4" and print_rules.pages([]) == ""


# ---------- FPO, found by its printed label ----------

def test_an_fpo_label_is_found_in_the_text_as_printed(tmp_path):
    to_unicode = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <7E> <0020> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        ToUnicode=pdf.make_stream(to_unicode)))
    for shown in (b"FPO images/a.jpg", b"FPO", b"FPO label", b"No placeholder", b"FPO b.png"):
        pdf.add_blank_page()
        pdf.pages[-1].obj.Resources = Dictionary(Font=Dictionary(F1=font))
        pdf.pages[-1].contents_add(pdf.make_stream(b"BT /F1 10 Tf 10 10 Td (" + shown + b") Tj ET"))
    from periodical.preflight import pdffonts, pdfscan
    scans = pdfscan.scan(pdf)
    assert errors(print_rules._fpo, scans, pdffonts.survey(scans))[0] == [
        ("fpo", 1, "FPO placeholder (images/a.jpg): the photo is missing"),
        ("fpo", 2, "FPO placeholder: the photo is missing"),
        ("fpo", 3, "FPO placeholder: the photo is missing"),
        ("fpo", 5, "FPO placeholder (b.png): the photo is missing")]


# ---------- the output intent and the document's identification ----------

def profile(space=b"CMYK", device_class=b"prtr"):
    """The 132-byte header of an ICC profile (no tags): all preflight reads of one."""
    header = bytearray(132)
    header[:4] = (132).to_bytes(4, "big")
    header[8] = 4
    header[12:16], header[16:20], header[36:40] = device_class, space, b"acsp"
    return bytes(header)


def intent(data=None, n=4, subtype=Name.GTS_PDFX, condition="FOGRA39"):
    """An output intent's fields; its profile (data, /N) made into a stream by intents_found."""
    fields = {"Type": Name.OutputIntent, "S": subtype}
    if condition:
        fields["OutputConditionIdentifier"] = pikepdf.String(condition)
    if data is not None:
        fields["DestOutputProfile"] = data, n
    return fields


def intents_found(*specs, subtype="/GTS_PDFX", require_cmyk=True):
    pdf = pdf_with(trimmed(TRIM))
    made = []
    for spec in specs:
        spec = dict(spec)
        if "DestOutputProfile" in spec:
            data, n = spec.pop("DestOutputProfile")
            spec["DestOutputProfile"] = pdf.make_stream(data, **({} if n is None else {"N": n}))
        made.append(pdf.make_indirect(Dictionary(**spec)))
    pdf.Root.OutputIntents = Array(made)
    findings = Findings()
    print_rules.output_intents(pdf, subtype, findings, require_cmyk)
    return [e["message"] for e in findings.errors]


def test_the_output_intent_must_carry_a_readable_cmyk_output_profile_that_matches_its_n():
    assert intents_found(intent(data=profile())) == []
    assert intents_found(intent(data=profile(), n=3)) == [
        "the profile is CMYK (4 components) but its stream says /N 3"]
    assert intents_found(intent(data=profile(), n=None)) == [
        "the profile is CMYK (4 components) but its stream says /N 0"]
    assert intents_found(intent(data=profile(b"RGB ", b"mntr"), n=3)) == ["the output intent is RGB, not CMYK"]
    assert intents_found(intent(data=profile(b"RGB ", b"mntr"), n=3), require_cmyk=False) == []
    assert intents_found(intent(data=profile(b"CMYK", b"scnr"))) == [
        "the output intent's profile is a 'scnr' profile, not an output (prtr) or display (mntr) profile"]
    assert intents_found(intent(data=profile(), condition="")) == [
        "the output intent has no OutputConditionIdentifier"]
    assert intents_found(intent()) == ["the output intent has no embedded ICC profile (DestOutputProfile)"]
    assert intents_found(intent(data=b"not a profile")) == [
        "the output intent's profile is unreadable: not an ICC profile (no 'acsp' signature)"]
    assert intents_found(intent(data=profile(), subtype=Name.GTS_PDFA1)) == ["no GTS_PDFX output intent"]
    assert intents_found() == ["no GTS_PDFX output intent"]


def test_check_wants_pdf_x_4_trapped_and_a_multiple_of_4_pages():
    def found(claims, pages, trapped=Name("/False"), space=b"CMYK"):
        pdf = pdf_with(*[trimmed(TRIM)] * pages)
        pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
            S=Name.GTS_PDFX, OutputConditionIdentifier=pikepdf.String("FOGRA39"),
            DestOutputProfile=pdf.make_stream(profile(space), N=4 if space == b"CMYK" else 3)))])
        if trapped is not None:
            pdf.trailer.Info = pdf.make_indirect(Dictionary(Trapped=trapped))
        findings = Findings()
        print_rules.check(pdf, b"", [], {}, {"claims": claims, "pages": pages}, findings)
        return [(e["rule"], e["message"]) for e in findings.errors]

    assert found("PDF/X-4", 4) == [] and found("PDF/X-4", 8, Name("/True")) == []
    assert found("PDF/X-4", 4, Name("/Unknown")) == found("PDF/X-4", 4, None) == [
        ("pdfx", "Trapped is not set to True or False in the document information")]
    assert found("", 4) == [("pdfx", "not identified as PDF/X-4 (XMP pdfxid:GTS_PDFXVersion is missing)")]
    assert found("PDF/X-4", 4, space=b"RGB ") == [("output-intent", "the output intent is RGB, not CMYK")]
    assert found("PDF/X-1a:2001", 4) == [
        ("pdfx", "not identified as PDF/X-4 (XMP pdfxid:GTS_PDFXVersion is PDF/X-1a:2001)")]
    for pages in (1, 2, 3, 5, 6):
        assert found("PDF/X-4", pages) == [("pages", f"{pages} pages: saddle stitching needs a multiple of 4")]
