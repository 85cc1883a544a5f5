"""The issue's own files inside its archive PDF, and back out again.

Every file of the issue folder (issue.yaml, articles, CORRECTIONS.md, manuscript, images …)
is embedded as a PDF/A-3 associated file of the document: a file specification with F and
UF (its path inside the issue folder), a MIME subtype, AFRelationship /Source, listed in the
catalog's AF array and EmbeddedFiles name tree. `extract` writes them back as a folder that
builds the same archive again, byte for byte; so nothing in an embedded file's entry depends
on where or when the folder was read (its date is the issue's date).
"""
import hashlib
from pathlib import Path, PurePosixPath

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from periodical.errors import BuildError

MIME = {".yaml": "application/yaml", ".yml": "application/yaml", ".md": "text/markdown",
        ".txt": "text/plain", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
        ".tif": "image/tiff", ".tiff": "image/tiff", ".svg": "image/svg+xml", ".icc": "application/vnd.iccprofile",
        ".css": "text/css", ".pdf": "application/pdf"}


def files(issue):
    """(path inside the issue folder, bytes) of every source file, in path order, read one at a
    time (the photos of an issue are most of its size: the PDF holds them once, not twice)."""
    named = ((PurePosixPath(p.relative_to(issue.root)).as_posix(), p) for p in issue.sources)
    return ((name, p.read_bytes()) for name, p in sorted(named))


def embed(pdf, issue, date):
    """Attach every source file to `pdf` as an associated file with AFRelationship /Source."""
    names, specs = Array(), Array()
    for name, data in files(issue):
        stream = pdf.make_stream(data)
        stream.Type = Name.EmbeddedFile
        stream.Subtype = Name("/" + MIME.get(Path(name).suffix.lower(), "application/octet-stream"))
        stream.Params = Dictionary(Size=len(data), CheckSum=String(hashlib.md5(data).digest()), ModDate=String(date))
        spec = pdf.make_indirect(Dictionary(
            Type=Name.Filespec, F=String(name), UF=String(name), AFRelationship=Name.Source,
            Desc=String(f"source of this issue: {name}"), EF=Dictionary(F=stream, UF=stream)))
        names.extend([String(name), spec])
        specs.append(spec)
    if "/Names" not in pdf.Root:
        pdf.Root.Names = Dictionary()
    pdf.Root.Names.EmbeddedFiles = pdf.make_indirect(Dictionary(Names=names))
    pdf.Root.AF = pdf.make_indirect(specs)


def extract(pdf_path, target):
    """Write the source files embedded in the archive at pdf_path into the folder `target`."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BuildError(f"{target} is not empty; extract into a new folder")
    written = []
    with pikepdf.open(pdf_path) as pdf:
        for spec in pdf.Root.get("/AF", ()):
            if spec.get("/AFRelationship") != Name.Source:
                continue
            name = str(spec.get("/UF", spec.get("/F")))
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts or not path.parts:
                raise BuildError(f"{pdf_path}: refusing to write embedded file {name!r} outside {target}")
            out = target.joinpath(*path.parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(spec.EF.F.read_bytes())
            written.append(name)
    if not written:
        raise BuildError(f"{pdf_path} has no embedded source files (is it an archive PDF?)")
    return written
