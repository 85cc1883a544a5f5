"""The outputs of a build, as one table that the build, the command line and the tests read.

Each row is a file the build writes into build/<id>/: whom it is for, which standard it
claims, and what it carries. How a row becomes a file is `finishing.finish`; what preflight
holds it to is its `preflight` rule set.

Lay out once, draw once, finish per output. Each part is laid out (the slow part) at trim size
with 3 mm of CSS bleed and drawn once by WeasyPrint, tagged, with the output intent of the
layout's @color-profile (render/parts.py, cached on disk); the parts are stitched into one PDF
(stitch.py), and every output is then made from it with pikepdf. The print file keeps the bleed,
grows a marks margin and loses the links and tags; the archive is cut to the trim, keeps links
and tags, and gets its sources. Art that runs into the bleed stays in the archive's
content streams but outside its MediaBox, where no viewer or printer shows it. Drawing once and
finishing twice costs less than drawing twice, and it guarantees that the two files show the
same pages. The draw does not ask for WeasyPrint's pdf/x-4 or pdf/a-3u variant: all they add is
identification metadata that finishing writes for each output anyway, and pdf/x-4 writes a
random xmpMM:DocumentID (uuid4) that would make no two builds alike. Why WeasyPrint's own marks
are not used: see marks.py.

No PDF is held as bytes: the parts are copied from their files one at a time, the stitched issue
is saved to a temporary file beside the outputs, and each output is made from that file and saved
to a temporary file of its own before the next is begun; they replace the last set together.
"""
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Output:
    name: str
    file: str
    purpose: str
    pdf_variant: str        # the standard it claims (finishing.VARIANTS)
    marks: bool             # crop and registration marks and a slug line outside the bleed; else cut to the trim
    interactive: bool       # links and tags (screen readers, reading order) kept; else removed
    sources: bool           # the issue's files embedded as associated files
    preflight: str          # rule set preflight holds it to (preflight.RULES)


OUTPUTS = (
    Output("print", "print.pdf", "the print house: PDF/X-4, CMYK, 3 mm bleed, marks, saddle stitch",
           "pdf/x-4", marks=True, interactive=False, sources=False, preflight="print"),
    Output("archive", "archive.pdf", "the editorial archive: PDF/A-3u, trim size, tagged, sources inside",
           "pdf/a-3u", marks=False, interactive=True, sources=True, preflight="archive"),
)
BY_NAME = {o.name: o for o in OUTPUTS}



def write_all(issue, rendered, out_dir, fonts_dir):
    """Stitch the drawn parts into the issue and write every output into out_dir; return {name: path}.

    fonts_dir: the fonts the parts were laid out with, from which the issue's subsets are made.
    """
    from periodical.output import finishing, stitch
    from periodical import fonts, metadata
    from periodical.render import render  # PDF tools load only when there is something to write
    targets = {o: Path(out_dir) / o.file for o in OUTPUTS}
    description = metadata.describe(issue)
    # Every output is made before any is written: a failure leaves the last good set whole.
    with render.temporary_beside(Path(out_dir) / "drawn.pdf") as drawn, _all_or_none(targets.values()) as temporary:
        stitch.stitch([part.pdf for part in rendered.parts], fonts.declared_files(Path(fonts_dir)), drawn)
        for output, target in targets.items():
            finishing.finish(drawn, output, issue, description, rendered.starts, temporary[target])
    return {o.name: target for o, target in targets.items()}


@contextmanager
def _all_or_none(targets):
    """target → a temporary file beside it; when the block ends well, each is renamed onto its
    target, all of them only then; if it fails, none is and the temporary files go."""
    from periodical.render import render
    with ExitStack() as stack:
        temporary = {target: stack.enter_context(render.temporary_beside(target)) for target in targets}
        yield temporary
        for target, tmp in temporary.items():
            render.publish(tmp, target)
