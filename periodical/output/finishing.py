"""Make one output PDF from the drawn issue: the steps a row of the outputs table asks for.

The drawn PDF (the stitched parts, WeasyPrint's, tagged, pages at trim size plus 3 mm bleed) is
opened from its file with pikepdf and given, per output: its page geometry (marks margin, or cut
to the trim), its interactive layer (links and tags kept, or removed for the press), its
sources, its output intent, its identification and metadata. Every step is a function of the inputs only, and the
file is saved with a content-derived /ID, so the same sources give the same bytes.
"""
import hashlib
from dataclasses import dataclass
from importlib.resources import files

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from periodical import icc, metadata
from periodical.errors import BuildError
from periodical.output import marks, navigation, sources


@dataclass(frozen=True)
class Variant:
    intent: str              # output intent subtype
    identification: dict     # XMP properties that claim the standard
    version: str             # PDF header version


VARIANTS = {
    "pdf/x-4": Variant("/GTS_PDFX", {"pdfxid:GTS_PDFXVersion": "PDF/X-4", "pdf:Trapped": "False",
                                     "xmpMM:VersionID": "1", "xmpMM:RenditionClass": "default"}, "1.6"),
    "pdf/a-3u": Variant("/GTS_PDFA1", {"pdfaid:part": "3", "pdfaid:conformance": "U"}, "1.7"),
}
SRGB = files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()


def finish(drawn, output, issue, description, starts, into):
    """Make `output` (a row of outputs.OUTPUTS) from the drawn PDF's file, saved to the file `into`."""
    variant = VARIANTS[output.pdf_variant]
    # Read from the file, not from its bytes: qpdf reads what it needs, and no copy of the
    # issue stays in memory beside its objects.
    with pikepdf.open(drawn) as pdf:
        _tag_rgb_images(pdf)
        navigation.add(pdf, issue, starts)
        if output.marks:
            marks.add(pdf, lambda n: slug(issue, description, output, n))
        else:
            _cut_to_trim(pdf)
        if output.interactive:
            _printable_annotations(pdf)
        else:
            _remove_interactive(pdf)
        if output.sources:
            sources.embed(pdf, issue, metadata.pdf_date(description.moment))
        _output_intent(pdf, variant.intent)
        metadata.apply(pdf, description, variant.identification, _instance_digest(drawn, output))
        pdf.save(into, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, force_version=variant.version)


def _instance_digest(drawn, output):
    """SHA-256 of the drawn PDF's bytes and the output's name, read from the file in blocks."""
    with open(drawn, "rb") as f:
        digest = hashlib.file_digest(f, "sha256")
    digest.update(output.name.encode())
    return digest.hexdigest()


def slug(issue, description, output, page):
    """The slug line of one page of the print file: publication, issue, page, date, file.

    Nothing in it changes unless the page does (no page count, no content hash), so a page's
    drawing, and the preview's cached picture of it, stay the same when other pages change.
    """
    m = issue.meta
    return (f"{m['publication']} {m['year']}年第{m['number']}期（总第{m['total']}期）   第 {page:02d} 页   "
            f"{description.date.isoformat()}   {output.file}")


def _tag_rgb_images(pdf):
    """Give untagged RGB images the sRGB profile, so they are colour-managed, not device RGB.

    The policy for photos delivered in RGB: keep the pixels, declare them sRGB, and let the
    press's RIP convert them to the output intent (PDF/X-4 allows ICC-based RGB). Preflight
    still lists each one, so the print house knows.
    """
    srgb = None
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != Name.Image:
            continue
        space = obj.get("/ColorSpace")
        if space == Name.DeviceRGB:
            srgb = srgb or pdf.make_stream(SRGB, N=3)
            obj.ColorSpace = Array([Name.ICCBased, srgb])


def _cut_to_trim(pdf):
    for page in pdf.pages:
        page.obj.MediaBox = page.obj.TrimBox
        for box in ("/TrimBox", "/BleedBox", "/CropBox", "/ArtBox"):
            if box in page.obj:
                del page.obj[box]


def _printable_annotations(pdf):
    # PDF/A: every annotation is printable (F bit 3) and none is hidden.
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", ()):
            annot.F = 4


def _remove_interactive(pdf):
    """Links and the structure tree: screen and accessibility features a press has no use for."""
    for page in pdf.pages:
        for key in ("/Annots", "/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in pdf.Root:
            del pdf.Root[key]


def _output_intent(pdf, subtype):
    intents = pdf.Root.get("/OutputIntents")
    if not intents:
        raise BuildError("the drawn PDF has no output intent: the layout declares no @color-profile")
    profile = intents[0].DestOutputProfile
    name = String(icc.read(profile.read_bytes()).description)
    pdf.Root.OutputIntents = Array([pdf.make_indirect(Dictionary(
        Type=Name.OutputIntent, S=Name(subtype), OutputConditionIdentifier=name,
        OutputCondition=name, Info=name, DestOutputProfile=profile))])
