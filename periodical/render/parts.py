"""Each part of the issue drawn to a PDF of its own, and kept on disk with its facts.

A part (cover, contents, a run of articles, the filler pages, the back cover) is laid out,
its photos are prepared for print and drawn in place (photos.py), and it is drawn to a PDF by
WeasyPrint, tagged; facts.py reads what the checks and the preview need from its boxes
while they exist. PDF and facts are cached under the hash of the part's HTML, the files its
layout read (by content) and the code, so a build reuses every part an edit did not touch
without laying it out: a new process lays out and draws only what changed, and the issue's
PDF is stitched from the parts (output/stitch.py). A part drawn alone does not know the
anchors of the other parts: its links to them are drawn as `#name` URIs, which the stitcher
turns back into links to the named destinations.
"""
import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from periodical.render import facts, photos, render

# How WeasyPrint draws every part, for every output (output/outputs.py makes the files).
DRAW = {"pdf_tags": True}
FORMAT = 1                  # of the facts file: a change makes every cached part stale
# A part no build has used for this long is removed: every edit leaves a part behind, and a
# monthly issue's parts are used at least once a month while it is being made.
KEEP_DAYS = 45


@dataclass
class Drawn:
    """A part as drawn: its PDF, and what its pages show (facts.pages), warnings, refusals, photos."""
    pdf: Path
    facts: dict
    key: str
    new: bool = False        # drawn by this build, not reused from an earlier one

    @property
    def pages(self):
        return self.facts["pages"]


class Parts:
    """The drawn parts on disk: folder/<key>.pdf and <key>.json.

    salt: what else a drawing depends on (the pipeline's code); photo_cache: where prepared
    photos live. A part is reused when its HTML, issue folder, fonts and resources hash to the
    same key and every file its layout read still has the content it had.
    """

    def __init__(self, folder, photo_cache, salt=b""):
        self.folder, self.photo_cache, self.salt = Path(folder), Path(photo_cache), salt
        self.drawn = set()       # keys this object drew: a build's parts drawn anew, however often asked

    def get(self, html, issue, fonts_dir, resources, slugs, kept=render.KEPT):
        key = self._key(html, issue, fonts_dir, resources)
        drawn = self._cached(key)
        if drawn is None:
            laid = kept.get(html, issue.root, fonts_dir, resources)
            drawn = self._draw(key, laid, issue, slugs)
            # Drawn and on disk: the layout is not needed again, and memory follows one part.
            kept.drop(html, issue.root, fonts_dir, resources)
        return drawn

    def derived(self, drawn, name, compute):
        """What a check found on a drawn part (compute(): JSON data), computed once per part and
        kept beside it as <key>.<name>.json: the part's key names its PDF's bytes and the code."""
        path = self.folder / f"{drawn.key}.{name}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        data = json.dumps(compute(), ensure_ascii=False).encode()
        render.atomic_write(path, lambda f: f.write(data))
        return json.loads(data)         # as a later build reads it: tuples become lists either way

    def own(self, drawn):
        """Count a part another process drew for this build (copy fitting's workers) as drawn anew."""
        if drawn is not None:
            self.drawn.add(drawn.key)

    def prune(self, days=KEEP_DAYS):
        """Remove the parts no build has used for `days` (by their facts file's time)."""
        limit = time.time() - days * 86400
        for meta in self.folder.glob("*.json"):
            if "." in meta.stem:
                continue             # a check's result (derived), removed with its part
            try:
                if meta.stat().st_mtime < limit:
                    meta.unlink()
                    meta.with_suffix(".pdf").unlink(missing_ok=True)
                    for derived in self.folder.glob(f"{meta.stem}.*.json"):
                        derived.unlink(missing_ok=True)
            except OSError:
                pass                 # another build removed or used it meanwhile

    def _key(self, html, issue, fonts_dir, resources):
        settings = photos.Settings.of(issue)
        text = "\0".join([html, str(issue.root), str(fonts_dir), *map(str, resources), repr(settings), str(FORMAT)])
        return hashlib.sha256(text.encode() + self.salt).hexdigest()[:32]

    def _cached(self, key):
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            stored = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not pdf.is_file() or not isinstance(stored, dict) or \
                any(_digest(path) != digest for path, digest in stored.get("files", {}).items()):
            return None
        os.utime(meta)           # used: prune keeps it
        return Drawn(pdf, stored["facts"], key, new=key in self.drawn)

    def _draw(self, key, laid, issue, slugs):
        prepared, rows = photos.prepare(issue, laid.pages, self.photo_cache)
        photos.swap(laid.pages, prepared, self.photo_cache)
        _unresolved_links_as_names(laid.pages)
        pdf = self.folder / f"{key}.pdf"
        render.write_pdf(laid.document, pdf, **DRAW)
        found = {"pages": facts.pages(laid.pages, slugs), "warnings": laid.warnings,
                 "refused": laid.refused, "photos": rows}
        files = {p: _digest(p) for p in laid.files}
        data = json.dumps({"facts": found, "files": files}, ensure_ascii=False).encode()
        render.atomic_write(self.folder / f"{key}.json", lambda f: f.write(data))
        self.drawn.add(key)
        # Read back as a cached part is, so a part drawn now and one reused later are the same data.
        return Drawn(pdf, json.loads(data)["facts"], key, new=True)


def _unresolved_links_as_names(pages):
    """Links to anchors of other parts, which WeasyPrint would drop, as `#name` URIs."""
    anchors = {name for page in pages for name in page.anchors}
    for page in pages:
        page.links[:] = [("external", f"#{target}", rect, box) if kind == "internal" and target not in anchors
                         else (kind, target, rect, box) for kind, target, rect, box in page.links]


@functools.lru_cache(maxsize=4096)
def _digest_of(path, stamp):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _digest(path):
    """A file's content hash; memoised by size and time, so a build hashes each file once."""
    return _digest_of(path, render._stat(path))
