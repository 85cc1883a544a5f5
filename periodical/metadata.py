"""What every output says about itself: title, creator, publisher, date, language, keywords, IDs.

One `Description` of the issue feeds the HTML head (compose), the Info dictionary and the XMP
packet of each PDF, so they always agree, as PDF/A and PDF/X require. Nothing here reads a
clock: dates are the issue's `date` at midnight Beijing time, and identifiers are derived from
the issue's identity (DocumentID) and from the drawn content (InstanceID), so two builds of the
same sources give the same bytes.
"""
import datetime
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from xml.sax.saxutils import escape

TIMEZONE = datetime.timezone(datetime.timedelta(hours=8))     # Beijing time
TOOL = f"periodical (WeasyPrint {version('weasyprint')})"
PRODUCER = f"WeasyPrint {version('weasyprint')}; pikepdf {version('pikepdf')}"
NAMESPACE = uuid.UUID("6f1c3a52-5d1e-4a43-9a57-1d3f6c0e8b21")   # this tool's namespace for uuid5 IDs

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "pdfxid": "http://www.npes.org/pdfx/ns/id/"}


@dataclass(frozen=True)
class Description:
    title: str
    creator: str
    publisher: str
    keywords: tuple
    date: datetime.date
    language: str = "zh-CN"

    @property
    def moment(self):
        return datetime.datetime.combine(self.date, datetime.time(), TIMEZONE)

    @property
    def document_id(self):
        """The same for every build and version of this issue."""
        return f"uuid:{uuid.uuid5(NAMESPACE, self.title)}"


def describe(issue):
    m = issue.meta
    used = {a.section.id for a in issue.articles}
    return Description(
        title=f"{m['publication']} {m['year']}年第{m['number']}期（总第{m['total']}期）",
        creator=f"《{m['publication']}》编辑部", publisher=f"《{m['publication']}》编辑部",
        keywords=tuple(s.title for s in issue.sections if s.id in used), date=m["date"])


def apply(pdf, desc, identification, content_digest):
    """Write the Info dictionary and the XMP packet of `pdf`.

    identification: extra XMP properties that say what the file conforms to, e.g.
    {"pdfaid:part": "3", "pdfaid:conformance": "U"}; content_digest: the SHA-256 (hex) of the bytes
    the InstanceID is derived from.
    """
    import pikepdf             # here, not above: compose describes the issue without loading PDF tools
    instance = f"uuid:{uuid.uuid5(NAMESPACE, content_digest)}"
    date = desc.moment
    info = {"/Title": desc.title, "/Author": desc.creator, "/Keywords": ", ".join(desc.keywords),
            "/Creator": TOOL, "/Producer": PRODUCER,
            "/CreationDate": pdf_date(date), "/ModDate": pdf_date(date)}
    pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary({k: pikepdf.String(v) for k, v in info.items()}))
    if identification.get("pdf:Trapped"):
        pdf.trailer.Info.Trapped = pikepdf.Name("/" + identification["pdf:Trapped"])
    pdf.Root.Lang = pikepdf.String(desc.language)
    xmp = xmp_packet(desc, date.isoformat(), instance, identification)
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def xmp_packet(desc, date, instance, identification):
    """The XMP packet as bytes: one rdf:Description, properties in a fixed order."""
    li = lambda values: "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)   # noqa: E731
    props = [
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(desc.title)}</rdf:li></rdf:Alt></dc:title>',
        f"<dc:creator><rdf:Seq>{li([desc.creator])}</rdf:Seq></dc:creator>",
        f"<dc:publisher><rdf:Bag>{li([desc.publisher])}</rdf:Bag></dc:publisher>",
        f"<dc:date><rdf:Seq>{li([desc.date.isoformat()])}</rdf:Seq></dc:date>",
        f"<dc:language><rdf:Bag>{li([desc.language])}</rdf:Bag></dc:language>",
        f"<dc:subject><rdf:Bag>{li(desc.keywords)}</rdf:Bag></dc:subject>",
        f"<pdf:Keywords>{escape(', '.join(desc.keywords))}</pdf:Keywords>",
        f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>",
        f"<xmp:CreatorTool>{escape(TOOL)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
        f"<xmpMM:DocumentID>{desc.document_id}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>{instance}</xmpMM:InstanceID>",
    ] + [f"<{k}>{escape(v)}</{k}>" for k, v in identification.items()]
    used = {"rdf", "dc", "pdf", "xmp", "xmpMM"} | {k.split(":")[0] for k in identification}
    xmlns = " ".join(f'xmlns:{p}="{NS[p]}"' for p in sorted(used))
    body = "\n  ".join(props)
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            f'<x:xmpmeta xmlns:x="{NS["x"]}">\n<rdf:RDF {xmlns}>\n'
            f'<rdf:Description rdf:about="">\n  {body}\n</rdf:Description>\n'
            f'</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>').encode("utf-8")


def pdf_date(moment):
    offset = moment.strftime("%z")
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"
