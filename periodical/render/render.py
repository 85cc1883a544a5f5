"""Stage 4, render: HTML → laid-out pages → PDF, through WeasyPrint.

Each part of the issue (compose.parts) is laid out as its own document and drawn to a PDF of
its own (parts.py); `assemble` lists the drawn parts end to end with what their pages show.
`KEPT` keeps the parts laid out in this process, so copy fitting's last measure of a run is
the layout that is drawn. Every resource goes through `IssueFetcher`, which
only opens files inside the issue folder, layouts/ and fonts/ and the issue's colour profile
(and data: URLs; photos.swap opens the photos prepared for print with one of its own). The page
sequence is completed here: filler pages are added before the back cover so the issue has its
planned page count (saddle stitching needs a multiple of four). Files are written to a temporary
name and renamed into place.
"""
import contextlib
import functools
import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from periodical.compose.compose import FONTS, LAYOUTS
from periodical.render import cjk_justify  # noqa: F401  (patches Chinese justification into WeasyPrint)
from periodical.render import column_balance  # noqa: F401  (patches column balancing into a bisection)
from periodical.render import facts

MIME = {".css": "text/css", ".otf": "font/otf", ".ttf": "font/ttf", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".png": "image/png", ".svg": "image/svg+xml", ".html": "text/html"}


class IssueFetcher(URLFetcher):
    """Opens file: URLs under the allowed folders and data: URLs; refuses and records the rest."""

    def __init__(self, roots):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]
        self.refused = []
        self.read = []           # the files it opened, to tell when a kept layout is stale

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(r) for r in self.roots) and path.is_file():
                self.read.append(str(path))
                return URLFetcherResponse(url, path.read_bytes(),
                                          {"Content-Type": MIME.get(path.suffix.lower(), "application/octet-stream")})
        self.refused.append(url)
        raise ValueError(f"refused: {url} is outside the folders this document may read")


@dataclass
class Rendered:
    parts: list                      # parts.Drawn in page order, the filler pages before the back cover
    content_pages: int               # pages laid out from the issue's content
    filler_pages: int                # blank pages added before the back cover
    starts: dict                     # element id → page number where it stands (articles, covers)
    free: dict                       # page number → empty height (mm) under the last line or figure
    warnings: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    photos: list = field(default_factory=list)      # what was done to each photo (photos.py), for report.json
    redrawn: list = field(default_factory=list)     # pages of parts drawn anew by this build
    complete: bool = True            # False: the issue's first parts only, the others being laid out

    @property
    def pages(self):
        """What each page shows (render/facts.py), in page order."""
        return [page for part in self.parts for page in part.pages]


@dataclass
class Laid:
    """One part of the issue, laid out as a document of its own."""
    document: object
    warnings: list
    refused: list
    files: dict                      # every file the layout read → (size, mtime): what makes it stale

    @property
    def pages(self):
        return self.document.pages


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class Layouts:
    """Parts laid out in this process, kept by their HTML and the files they read.

    A preview server builds many times: a part whose HTML and files (layout CSS, fonts, photos)
    are unchanged is not laid out again. `keep_used` drops what the last build did not use.
    """

    def __init__(self):
        self.kept, self.used = {}, set()

    def get(self, html, issue_root, fonts_dir, resources):
        key = self._key(html, issue_root, fonts_dir, resources)
        laid = self.kept.get(key)
        if laid is None or any(_stat(path) != stamp for path, stamp in laid.files.items()):
            laid = self.kept[key] = layout(html, issue_root, fonts_dir, resources)
        self.used.add(key)
        return laid

    def keep_used(self):
        self.kept = {k: v for k, v in self.kept.items() if k in self.used}
        self.used = set()

    def clear(self):
        self.kept, self.used = {}, set()

    def drop(self, html, issue_root, fonts_dir, resources):
        """Forget a layout no build will ask for again (a float deferral that was refused)."""
        key = self._key(html, issue_root, fonts_dir, resources)
        self.kept.pop(key, None)
        self.used.discard(key)

    @staticmethod
    def _key(html, issue_root, fonts_dir, resources):
        # The same HTML reads other files from another issue folder or font subset.
        return hashlib.sha256("\0".join([html, str(issue_root), str(fonts_dir), *map(str, resources)]).encode()).hexdigest()


KEPT = Layouts()


def _stat(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@functools.lru_cache(maxsize=None)
def _font_config():
    """One font configuration for every part this process lays out.

    Each configuration loads the @font-face fonts it is given (four CJK subsets, ~17 MB): one per
    part held 8.7 GB for a 768-page issue of 512 parts. WeasyPrint loads a face once per
    configuration (keyed by its rule, whose URL names the subset), so a changed font, a new
    subset folder, is still loaded anew.
    """
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def layout(html, issue_root, fonts_dir=FONTS, resources=()):
    """Lay out one part. resources: further files the HTML may load (the colour profile)."""
    fetcher = IssueFetcher([issue_root, LAYOUTS, FONTS, fonts_dir, *resources])
    base_url = Path(issue_root).resolve().as_uri() + "/"
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        body, sheets, files, profiles = _stylesheets(html, base_url, fetcher)
        doc = weasyprint.HTML(string=body, base_url=base_url, url_fetcher=fetcher).render(
            font_config=_font_config(), stylesheets=sheets, color_profiles=profiles)
    finally:
        logger.removeHandler(handler)
    return Laid(doc, handler.messages, fetcher.refused, {**files, **{p: _stat(p) for p in fetcher.read}})


_SHEET = re.compile(r"""<link rel=["']?stylesheet["']? href=["']([^"']+)["']>|<style>(.*?)</style>""", re.S)
_ANY_SHEET = re.compile(r"<link[^>]*stylesheet|<style", re.I)


def _stylesheets(html, base_url, fetcher):
    """The document without its stylesheets, and them in its order, for WeasyPrint to apply:
    (html, [CSS], {file read: stamp}, the colour profiles they declare).

    A linked stylesheet (the layout's magazine.css) is parsed once per process and version of the
    file, not once per layout: 30 ms of a one-page part's 140. Passed to WeasyPrint, the sheets
    are of the "user" origin, not the document's: the same cascade, all of them being of one
    origin above the user agent's, in the same order (the bytes drawn are the same). So it is
    all of them or none: a document whose sheets are not all found here, or links a file it may
    not read, is left to WeasyPrint as it is (which refuses and reports what it may not read).
    """
    found = _SHEET.findall(html)
    paths = [Path(unquote(urlparse(urljoin(base_url, link)).path)).resolve() for link, _ in found if link]
    if len(found) != len(_ANY_SHEET.findall(html)) or \
            not all(p.is_file() and any(p.is_relative_to(r) for r in fetcher.roots) for p in paths):
        return html, [], {}, None
    sheets, files, profiles, paths = [], {}, {}, iter(paths)
    for link, rules in found:
        if link:
            path = next(paths)
            files[str(path)] = stamp = _stat(path)
            sheets.append(_linked(path.as_uri(), stamp, tuple(fetcher.roots)))
        else:
            sheets.append(weasyprint.CSS(string=rules, base_url=base_url, url_fetcher=fetcher,
                                         font_config=_font_config(), color_profiles=profiles))
    return _SHEET.sub("", html), sheets, files, profiles


@functools.lru_cache(maxsize=16)
def _linked(url, stamp, roots):
    """A linked stylesheet, parsed; stamp (the file's size and time) names its version."""
    return weasyprint.CSS(url=url, url_fetcher=IssueFetcher(roots), font_config=_font_config())


def assemble(drawn, filler=None, complete=True):
    """The drawn parts end to end, and the blank pages of `filler` (a Drawn) before the back cover;
    complete False: the issue's first parts (paginate.lay_out's `moving`)."""
    parts = list(drawn)
    if filler:
        parts[-1:-1] = [filler]
    redrawn, number = [], 1
    for part in parts:
        if part.new:
            redrawn += range(number, number + len(part.pages))
        number += len(part.pages)
    pages = [page for part in parts for page in part.pages]
    content = len(pages) - (len(filler.pages) if filler else 0)
    return Rendered(parts, content, len(pages) - content, starts(pages),
                    {n: page["free"] for n, page in enumerate(pages, 1)},
                    _unique(w for part in drawn for w in part.facts["warnings"]),
                    _unique(u for part in drawn for u in part.facts["refused"]),
                    [row for part in parts for row in part.facts["photos"]], redrawn=redrawn, complete=complete)


def filler_html(count, geometry=""):
    """`count` blank pages; geometry: the issue's page geometry rule (compose.geometry), for their size."""
    return ("<html lang='zh-CN'><head><link rel='stylesheet' href='" + LAYOUTS.as_uri() + "/magazine.css'>"
            "<style>" + geometry + "</style></head><body>"
            + "<section class='filler'></section>" * count + "</body></html>")


def _unique(items):
    return list(dict.fromkeys(items))


def starts(pages):
    """Element id → the first page (from 1) it stands on; pages: facts.pages dicts."""
    found = {}
    for number, page in enumerate(pages, 1):
        for name in page["anchors"]:
            found.setdefault(name, number)
    return found


def free_space(pages):
    """Empty height at the foot of each laid-out page's content area, for copy fitting."""
    return {number: facts.free_space(page) for number, page in enumerate(pages, 1)}


def depth(page):
    """Height of a page's content area in mm: how much a page holds, for copy fitting's predictions."""
    return round(page._page_box.height * 25.4 / 96, 1)


def write_pdf(document, target, **options):
    """Write the PDF next to `target` and rename it into place only once it is complete."""
    atomic_write(target, lambda f: document.write_pdf(f, **options))


def atomic_write(target, write):
    """Call write(file) on a temporary file beside `target`, then rename it into place.

    An interrupted or failed write leaves `target` as it was and removes the temporary file;
    two builds writing at once each use their own temporary name.
    """
    with temporary_beside(target) as tmp:
        with open(tmp, "wb") as f:
            write(f)
        publish(tmp, target)


@contextlib.contextmanager
def temporary_beside(target):
    """The path of a new temporary file beside `target` (on its disk, so a rename puts it in
    place), removed when the block ends unless `publish` moved it there."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)


def publish(tmp, target):
    """Rename a temporary file written beside `target` onto it."""
    os.chmod(tmp, 0o644)       # mkstemp makes it private; outputs are for others to read
    os.replace(tmp, target)
