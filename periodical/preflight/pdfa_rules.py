"""The PDF/A-2 and PDF/A-3 rules that can be checked from a file's bytes without veraPDF.

veraPDF, the reference validator, cannot be installed here (it needs Java from outside the
package registries we reach). These are the rules of ISO 19005-2/-3 that a careful reading
of the objects settles; the README lists those it leaves out. Clause numbers are ISO 19005-2's.
"""
import re

import pikepdf
from pikepdf import Name

from periodical import icc
from periodical.preflight.print_rules import fonts_embedded, glyphs, output_intents, pages

AF_RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement", "/EncryptedPayload",
                    "/FormData", "/Schema", "/Unspecified"}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide",
                     "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
FORBIDDEN_ANNOTATIONS = {"/3D", "/Sound", "/Screen", "/Movie", "/RichMedia"}
# XMP schemas PDF/A predefines (XMP 2005); any other needs a pdfaExtension description.
PREDEFINED_XMP = {"http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/",
                  "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/",
                  "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
                  "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://ns.adobe.com/pdf/1.3/",
                  "http://ns.adobe.com/photoshop/1.0/", "http://ns.adobe.com/camera-raw-settings/1.0/",
                  "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
                  "http://ns.adobe.com/tiff/1.0/", "http://www.aiim.org/pdfa/ns/id/",
                  "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "adobe:ns:meta/",
                  "http://www.aiim.org/pdfa/ns/extension/", "http://www.aiim.org/pdfa/ns/schema#",
                  "http://www.aiim.org/pdfa/ns/property#", "http://www.aiim.org/pdfa/ns/type#",
                  "http://www.aiim.org/pdfa/ns/field#"}
# Annotation flags (ISO 32000-1, 12.5.3): Print must be set; Invisible, Hidden, ToggleNoView and
# NoView must not (6.3.2).
PRINT_FLAG = 0b100
HIDING_FLAGS = 0b100100011
INFO_TO_XMP = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
               "/Keywords": "pdf:Keywords", "/Creator": "xmp:CreatorTool", "/Producer": "pdf:Producer",
               "/CreationDate": "xmp:CreateDate", "/ModDate": "xmp:ModifyDate"}


def check(pdf, data, scans, fonts, facts, findings):
    """Hold the file to the PDF/A-2/3 rules listed in the module docstring."""
    part = _identification(pdf, facts, findings)
    _file_structure(pdf, data, findings)
    _actions(pdf, findings)
    output_intents(pdf, "/GTS_PDFA1", findings, require_cmyk=False)
    _device_colour(pdf, scans, findings)
    fonts_embedded(fonts, findings)
    glyphs(fonts, findings)
    _font_widths(fonts, findings)
    if facts["claims"][-1:] in ("u", "a"):
        _unicode(fonts, findings)
    _images_and_streams(pdf, findings)
    _annotations(pdf, findings)
    _metadata(pdf, findings)
    _associated_files(pdf, part, findings)
    if facts["claims"].endswith("a") and not facts["tagged"]:
        findings.error("pdfa.tags", "conformance level A needs a tagged PDF (MarkInfo /Marked true)")


def _identification(pdf, facts, findings):
    meta = pdf.open_metadata()
    part, conformance = str(meta.get("pdfaid:part", "")), str(meta.get("pdfaid:conformance", ""))
    if part not in ("2", "3") or conformance not in ("A", "B", "U"):
        findings.error("pdfa.identification", f"XMP pdfaid:part {part or '–'} conformance {conformance or '–'}: "
                       "expected part 2 or 3, conformance A, B or U (6.6.4)")
    return part


def _file_structure(pdf, data, findings):
    if not re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)%[\x80-\xff]{4}", data):
        findings.error("pdfa.file", "the header is not %PDF-1.n followed by a comment of four bytes above 127 (6.1.2)")
    if not re.search(rb"%%EOF(\r\n|\r|\n)?$", data):
        findings.error("pdfa.file", "data follows the last %%EOF marker (6.1.3)")
    ident = pdf.trailer.get("/ID")
    if ident is None or len(ident) != 2:
        findings.error("pdfa.file", "the trailer has no ID of two strings (6.1.3)")
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        findings.error("pdfa.file", "the file is encrypted (6.1.3)")


def _actions(pdf, findings):
    names = pdf.Root.get("/Names", {})
    if "/JavaScript" in names:
        findings.error("pdfa.actions", "the document has JavaScript (Names /JavaScript) (6.6.1)")
    if "/AA" in pdf.Root:
        findings.error("pdfa.actions", "the catalog has additional actions (AA) (6.6.2)")
    for action in _actions_in(pdf):
        if action.get("/S") in FORBIDDEN_ACTIONS:
            findings.error("pdfa.actions", f"a {str(action.S)[1:]} action is not allowed (6.6.1)")
    for n, page in enumerate(pdf.pages, 1):
        if "/AA" in page.obj:
            findings.error("pdfa.actions", "the page has additional actions (AA) (6.6.2)", n)


def _actions_in(pdf):
    """Every action dictionary: the catalog's OpenAction and any /A of an annotation or outline item."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if obj.get("/Type") == Name.Action:
            yield obj
        for key in ("/A", "/OpenAction"):
            value = obj.get(key)
            if isinstance(value, pikepdf.Dictionary) and not value.is_indirect:
                yield value


def _device_colour(pdf, scans, findings):
    """DeviceRGB/CMYK only with an output intent of that colour space; DeviceGray with any (6.2.4.3)."""
    spaces = set()
    for oi in pdf.Root.get("/OutputIntents", ()):
        profile = oi.get("/DestOutputProfile")
        try:
            spaces.add(icc.read(bytes(profile.read_bytes())).color_space)
        except (ValueError, AttributeError):
            pass
    if len(spaces) > 1:
        findings.error("pdfa.colour", "output intents with different profiles (6.2.3)")
    for device, needs in (("DeviceRGB", "RGB"), ("DeviceCMYK", "CMYK"), ("DeviceGray", None)):
        used = [p.number for p in scans if p.spaces.get(device)]
        if used and ((needs and needs not in spaces) or not spaces):
            findings.error("pdfa.colour", f"{device} used on pages {pages(used)} without a "
                           f"{needs or 'PDF/A'} output intent (6.2.4.3)")


def _font_widths(fonts, findings):
    for font in fonts.values():
        wrong = font.width_mismatches()
        if wrong:
            cid, declared, actual = wrong[0]
            findings.error("pdfa.fonts", f"font {font.name}: {len(wrong)} glyph width(s) differ from the font "
                           f"program, e.g. CID {cid}: {declared:g} declared, {actual:g} in the font (6.2.11.5)")


def _unicode(fonts, findings):
    for font in fonts.values():
        unmapped = font.unmapped_codes()
        if unmapped:
            findings.error("pdfa.unicode", f"font {font.name}: {len(unmapped)} code(s) with no Unicode value "
                           f"(ToUnicode), e.g. {unmapped[0]:#06x} (6.2.11.7)")


def _images_and_streams(pdf, findings):
    interpolated = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        for key in ("/F", "/FFilter", "/FDecodeParms"):
            if key in obj.stream_dict and obj.get("/Type") != Name.Filespec:
                findings.error("pdfa.streams", f"a stream refers to an external file ({key}) (6.1.7)")
        filters = obj.get("/Filter")
        if filters is not None and Name.LZWDecode in (filters if isinstance(filters, pikepdf.Array) else [filters]):
            findings.error("pdfa.streams", "a stream uses LZWDecode (6.1.7)")
        if obj.get("/Subtype") == Name.Image:
            interpolated += bool(obj.get("/Interpolate"))
            for key in ("/Alternates", "/OPI"):
                if key in obj:
                    findings.error("pdfa.images", f"an image has {key[1:]} (6.2.8)")
    if interpolated:
        findings.error("pdfa.images", f"{interpolated} image(s) with Interpolate true (6.2.8)")


def _annotations(pdf, findings):
    for n, page in enumerate(pdf.pages, 1):
        for annot in page.obj.get("/Annots", ()):
            kind = str(annot.get("/Subtype"))
            flags = annot.get("/F")               # none: not set to print
            if kind in FORBIDDEN_ANNOTATIONS:
                findings.error("pdfa.annotations", f"{kind[1:]} annotations are not allowed (6.3.1)", n)
            if kind != "/Popup" and (flags is None or int(flags) & PRINT_FLAG != PRINT_FLAG
                                     or int(flags) & HIDING_FLAGS):
                findings.error("pdfa.annotations", f"a {kind[1:]} annotation is not set to print, "
                               "or is hidden (6.3.2)", n)
            if "/AA" in annot:
                findings.error("pdfa.annotations", f"a {kind[1:]} annotation has additional actions (6.6.2)", n)


def _metadata(pdf, findings):
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        findings.error("pdfa.metadata", "no XMP metadata stream in the catalog (6.6.2.1)")
        return
    raw = bytes(stream.read_bytes())
    if re.search(rb"<\?xpacket[^>]*\b(bytes|encoding)=", raw):
        findings.error("pdfa.metadata", "the xpacket header uses the bytes or encoding attribute (6.6.2.1)")
    for uri in sorted(set(re.findall(rb'xmlns:\w+="([^"]*)"', raw))):
        if uri.decode() not in PREDEFINED_XMP and b"pdfaExtension" not in raw:
            findings.error("pdfa.metadata", f"XMP uses schema {uri.decode()} without an extension schema (6.6.2.3)")
    meta = pdf.open_metadata()
    info = pdf.trailer.get("/Info", {})
    for key, prop in INFO_TO_XMP.items():
        if key not in info:
            continue
        value = str(info[key])
        xmp = meta.get(prop)
        if isinstance(xmp, (list, set)):
            xmp = ", ".join(xmp)
        if key.endswith("Date"):
            same = xmp is not None and _same_date(value, str(xmp))
        else:
            same = xmp is not None and str(xmp) == value
        if not same:
            findings.error("pdfa.metadata", f"Info {key[1:]} {value!r} does not match XMP {prop} {xmp!r} (6.6.3)")


def _same_date(pdf_date, xmp_date):
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?", pdf_date)
    if not m:
        return False
    y, mo, d, h, mi, s, sign, th, tm = m.groups()
    tz = "Z" if sign in ("Z", "z") else f"{sign}{th}:{tm or '00'}" if sign else ""
    rebuilt = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}{tz}"
    return rebuilt == xmp_date.replace("+00:00", "Z") or rebuilt.replace("Z", "+00:00") == xmp_date


def _associated_files(pdf, part, findings):
    """Embedded files: PDF/A-3 allows any, as associated files; PDF/A-2 only PDF/A files (6.8)."""
    listed = {spec.objgen for spec in pdf.Root.get("/AF", ()) if spec.is_indirect}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != Name.Filespec or "/EF" not in obj:
            continue
        name = str(obj.get("/UF", obj.get("/F", "?")))
        for key in ("/F", "/UF"):
            if key not in obj:
                findings.error("pdfa.files", f"embedded file {name}: no {key[1:]} (6.8)")
        embedded = obj.EF.get("/F")
        mime = str(embedded.get("/Subtype", "")) if embedded is not None else ""
        if part == "2" and mime != "/application#2Fpdf" and mime != "/application/pdf":
            findings.error("pdfa.files", f"embedded file {name}: PDF/A-2 embeds only PDF/A files (6.8)")
        if part != "3":
            continue
        if not mime:
            findings.error("pdfa.files", f"embedded file {name}: no MIME type (Subtype) (6.8)")
        if str(obj.get("/AFRelationship", "")) not in AF_RELATIONSHIPS:
            findings.error("pdfa.files", f"embedded file {name}: no valid AFRelationship (6.8)")
        if obj.objgen not in listed:
            findings.error("pdfa.files", f"embedded file {name} is not listed in the catalog's AF array (6.8)")
