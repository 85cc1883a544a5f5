"""One PDF for the issue, stitched from the PDFs of its parts (each drawn alone by WeasyPrint).

`stitch(parts, font_files, into)` puts the parts' pages end to end, each with its own content and
resources, and makes of the parts' catalogs one document, as if WeasyPrint had drawn the
issue at once:

* fonts: each face's per-part subsets become one font for the issue (stitch_fonts.py);
* tags: one structure tree, one Document element holding the parts' elements (stitch_tags.py);
* colour: identical ICC profiles (each part has the output profile) become one stream;
* named destinations: one name tree; a name in several parts points where the first part has it;
* links: a part's links to another part's anchors are drawn as `#name` URIs (render/parts.py):
  they become links to the named destination (or go, like WeasyPrint's, if no part has it);
* the catalog keeps /Lang, /MarkInfo, /ViewerPreferences and /OutputIntents of the first part.

The outline, page labels, metadata and the output intent's subtype are finishing.py's.
Reads the parts and the font files; writes only `into`, if given. The same parts give the same
bytes.
"""
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from periodical.output import stitch_fonts, stitch_tags
from periodical.output.stitch_fonts import plain


@dataclass
class Part:
    """What the stitching keeps of one part once it is copied (its own PDF is let go: _copy_part)."""
    pages: list = field(default_factory=list)        # its pages, as copied into the issue
    page_of: dict = field(default_factory=dict)      # part page objgen → issue page
    version: str = "1.7"                             # of its PDF
    tree: Dictionary = None                          # its structure tree root, copied (None: untagged)
    dests: dict = field(default_factory=dict)        # name → (key, destination on the page)
    catalog: dict = field(default_factory=dict)      # the first part's catalog entries, copied (_catalog)


def stitch(parts: list[Path | bytes], font_files: list[Path], into: Path | None = None) -> bytes | None:
    """One PDF from the part PDFs (WeasyPrint 70, drawn with pdf_tags=True), pages in order.

    parts: each part's PDF, a file or its bytes; into: the file to save the issue to (then
    nothing is returned), else its bytes are returned.
    """
    out = pikepdf.new()
    copied = []
    for data in parts:
        copied.append(_copy_part(out, data, first=not copied))
    stitch_fonts.merge(out, _font_resources(copied), font_files)
    profiles = _one_profile_each(out)
    dests = _merge_dests(out, copied)
    dropped = _named_links(out, dests)
    stitch_tags.merge(out, copied, dropped)
    _catalog(out, copied, profiles)
    target = io.BytesIO() if into is None else into
    version = max((p.version for p in copied), default="1.7")
    out.save(target, deterministic_id=True, compress_streams=True, min_version=version)
    return target.getvalue() if into is None else None


def _copy_part(out, data, first):
    """Copy into the issue all that the stitching takes from one part, then close the part's PDF.

    Reading a part parses all its objects (its structure tree above all, in object streams); a
    closed part's are freed, so the parts are not all held at once beside the issue. qpdf needs
    only the part's file (or bytes), not its objects, to read a copied stream's data when the
    issue is saved (QPDF::copyForeignObject).
    """
    with _open(data) as source:
        part = _copy_pages(out, source)
        part.version = source.pdf_version
        if "/StructTreeRoot" in source.Root:
            part.tree = out.copy_foreign(source.Root.StructTreeRoot)    # reuses the pages copied already
        part.dests = _dests(source, part)
        if first:
            part.catalog = _catalog_entries(out, source)
    return part


def _open(data):
    return pikepdf.open(io.BytesIO(data) if isinstance(data, bytes) else data)


# Pages

def _copy_pages(out, source):
    """Append the part's pages; one foreign copier per part, so later copies reuse these pages."""
    part = Part()
    for page in source.pages:
        out.pages.append(page)
        copy = out.pages[-1].obj
        part.pages.append(copy)
        part.page_of[page.obj.objgen] = copy
    return part


def _drawn_with(page, seen):
    """(holder, resources) for everything with /Resources the page draws with, each found once.

    Holders: the page; its form XObjects, tiling patterns, soft masks and Type3 fonts, at any
    depth; its annotations' appearance streams. resources is None when another holder shares a
    resources dictionary already given (WeasyPrint shares one per part).
    """
    stack = [page] + [ap for annot in page.get("/Annots", ()) for ap in _appearances(annot)]
    while stack:
        holder = stack.pop()
        if not _first_time(holder, seen):
            continue
        res = holder.get("/Resources")
        if not isinstance(res, Dictionary) or not _first_time(res, seen):
            yield holder, None
            continue
        yield holder, res
        for key in ("/XObject", "/Pattern", "/Font"):
            for value in _values(res.get(key)):
                if isinstance(value, (Dictionary, pikepdf.Stream)) and "/Resources" in value:
                    stack.append(value)
        for state in _values(res.get("/ExtGState")):
            mask = state.get("/SMask") if isinstance(state, Dictionary) else None
            if isinstance(mask, Dictionary) and "/G" in mask:
                stack.append(mask.G)


def _appearances(annot):
    ap = annot.get("/AP") if isinstance(annot, Dictionary) else None
    for key in ("/N", "/R", "/D") if isinstance(ap, Dictionary) else ():
        value = ap.get(key)
        if isinstance(value, pikepdf.Stream):
            yield value
        elif isinstance(value, Dictionary):        # appearance states
            yield from (v for v in _values(value) if isinstance(v, pikepdf.Stream))


def _first_time(obj, seen):
    key = obj.objgen if obj.is_indirect else id(obj)
    if key in seen:
        return False
    seen.add(key)
    return True


def _values(obj):
    return list(obj.values()) if isinstance(obj, Dictionary) else []


def _font_resources(parts):
    """Every /Font resource dictionary the pages draw with, in page order, each once (for stitch_fonts)."""
    holders, seen = [], set()
    for part in parts:
        for page in part.pages:
            for _, res in _drawn_with(page, seen):
                fonts = res.get("/Font") if res is not None else None
                if isinstance(fonts, Dictionary) and _first_time(fonts, seen):
                    holders.append(fonts)
    return holders


# Colour

def _one_profile_each(out):
    """Every part brings its copy of the output profile: point all ICCBased spaces at one stream.

    Returns the profiles kept, by _profile_key.
    """
    canonical, seen = {}, set()
    for page in out.pages:
        for holder, res in _drawn_with(page.obj, seen):
            group = holder.get("/Group")
            if isinstance(group, Dictionary) and "/CS" in group:
                group.CS = _profile_space(group.CS, canonical)
            if res is None:
                continue
            spaces = res.get("/ColorSpace")
            for key, space in (list(spaces.items()) if isinstance(spaces, Dictionary) else ()):
                spaces[key] = _profile_space(space, canonical)
            for value in _values(res.get("/XObject")) + _values(res.get("/Shading")):
                if isinstance(value, (Dictionary, pikepdf.Stream)) and "/ColorSpace" in value:
                    value.ColorSpace = _profile_space(value.ColorSpace, canonical)
    return canonical


def _profile_key(profile):
    # Parts drawn by one WeasyPrint compress one profile to the same bytes: no need to inflate.
    return hashlib.sha256(profile.read_raw_bytes()).digest(), str(profile.get("/Filter")), int(profile.get("/N", 0))


def _profile_space(space, canonical):
    """The colour space with any ICC profile in it replaced by the first identical one."""
    if not isinstance(space, Array) or not len(space):
        return space
    if space[0] == Name.ICCBased and isinstance(space[1], pikepdf.Stream):
        profile = space[1]
        first = canonical.setdefault(_profile_key(profile), profile)
        if first.objgen != profile.objgen:
            space[1] = first
        return space
    for i, item in enumerate(space):                 # Indexed base, Separation/DeviceN alternate
        if isinstance(item, Array):
            space[i] = _profile_space(item, canonical)
    return space


# Named destinations and links

def _dests(source, part):
    """The part's named destinations: name → (key, destination array on the issue's page)."""
    dests = {}
    for key, dest in stitch_tags.leaves(source.Root.get("/Names", {}).get("/Dests"), "/Names"):
        name = str(key)
        if name in dests:
            continue                                # the first anchor of the name wins
        if isinstance(dest, Dictionary):
            dest = dest.get("/D")
        if not isinstance(dest, Array) or not len(dest) or not isinstance(dest[0], Dictionary) \
                or dest[0].objgen not in part.page_of:
            continue                                # not a destination on one of the part's pages
        dests[name] = (String(bytes(key)), Array([part.page_of[dest[0].objgen], *map(plain, list(dest)[1:])]))
    return dests


def _merge_dests(out, parts):
    """One /Dests name tree for the parts' names: name → destination array on the issue's page."""
    dests = {}
    for part in parts:
        for name, entry in part.dests.items():
            dests.setdefault(name, entry)           # the first part's anchor wins
    if dests:
        # A name tree is sorted by the keys' bytes; one node with a Names array holds them all.
        entries = sorted(dests.values(), key=lambda entry: bytes(entry[0]))
        tree = Array([item for key, dest in entries for item in (key, dest)])
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=tree)))
    return {name: key for name, (key, _) in dests.items()}


def _named_links(out, dests):
    """Turn `#name` URI links into /Dest links; remove those whose name no part has.

    Returns page objgen → the annotations removed from it, for the structure tree to drop too.
    """
    dropped = {}
    for page in out.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        kept = Array()
        for annot in annots:
            if _to_named_dest(annot, dests):
                kept.append(annot)
            else:
                dropped.setdefault(page.obj.objgen, []).append(annot)
        if len(kept) != len(annots):
            if len(kept):
                page.obj.Annots = kept
            else:
                del page.obj["/Annots"]
    return dropped


def _to_named_dest(annot, dests):
    """Make a `#name` link a link to the named destination; False if there is none to go to
    (WeasyPrint drops a link to a missing anchor). Any other annotation stays as it is."""
    uri = _hash_uri(annot)
    if uri is None:
        return True
    name = uri[1:] if uri[1:] in dests else unquote(uri[1:])    # the build writes names unquoted
    if name not in dests:
        return False
    del annot["/A"]
    annot.Dest = dests[name]
    if str(annot.get("/Contents", "")) == uri:
        annot.Contents = String(name)          # as WeasyPrint describes an internal link
    return True


def _hash_uri(annot):
    if not isinstance(annot, Dictionary) or annot.get("/Subtype") != Name.Link:
        return None
    action = annot.get("/A")
    if not isinstance(action, Dictionary) or action.get("/S") != Name.URI:
        return None
    uri = str(action.get("/URI", ""))
    return uri if uri.startswith("#") else None


# Catalog

CATALOG = ("/Lang", "/MarkInfo", "/ViewerPreferences")


def _catalog_entries(out, source):
    """A part's language, tagging and viewer flags, and output intents, copied into the issue."""
    entries = {key: _copy(out, source.Root[key]) for key in CATALOG if key in source.Root}
    intents = source.Root.get("/OutputIntents")
    if isinstance(intents, Array):
        entries["/OutputIntents"] = Array([_copy(out, intent) for intent in intents])
    return entries


def _catalog(out, parts, profiles):
    """The first part's language, tagging and viewer flags, and its output intents."""
    if not parts:
        return
    entries = parts[0].catalog
    for key in CATALOG:
        if key in entries:
            out.Root[key] = entries[key]
    if "/OutputIntents" in entries:
        copied = entries["/OutputIntents"]
        for intent in copied:
            profile = intent.get("/DestOutputProfile") if isinstance(intent, Dictionary) else None
            if isinstance(profile, pikepdf.Stream):
                intent.DestOutputProfile = profiles.setdefault(_profile_key(profile), profile)
        out.Root.OutputIntents = copied


def _copy(out, obj):
    """obj of a part's PDF, copied: through the part's foreign copier (which maps its pages)."""
    if isinstance(obj, (Dictionary, Array, pikepdf.Stream)) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(out, v) for v in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({k: _copy(out, v) for k, v in obj.items()})
    return obj
