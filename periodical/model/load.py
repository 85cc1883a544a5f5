"""Stage 1, load: read an issue folder into a validated, immutable model.

Reads issue.yaml and articles/*.md, checks them against schema.py and the rules that span
keys and files (sections declared, pages in order, images present), and raises one
InputError listing every problem found. Nothing here knows about HTML or PDF.

The work is bounded before it starts: files are read up to a size, YAML anchors and aliases
(the "billion laughs" bomb: a few hundred bytes that expand to gigabytes) are refused while
the document is composed, before anything walks it, and so is nesting deeper than any key of
the schema needs. Invisible characters pasted from the web are removed as a file is read and
reported as warnings (invisible.py).
"""
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from periodical import icc
from periodical.errors import Problems, SetupError, rel
from periodical.model import images, invisible, schema

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
# Far above any real file (issue 148: 2 KB of issue.yaml, 32 KB for its longest article): the
# file limit stops what is no article at all (a device, a runaway file) before it is read into
# memory; the text stage bounds the body. Pure-Python YAML reads about 200 KB a second.
MAX_FILE = 32_000_000         # bytes in one issue.yaml or article file
MAX_YAML = 200_000            # characters of issue.yaml or of one front matter
MAX_DEPTH = 20                # nesting of YAML collections; the schema needs 4


@dataclass(frozen=True)
class Image:
    src: str
    caption: str | None
    credit: str | None
    exists: bool          # False: the build draws an FPO box in its place
    size: str = "column"  # the covers' photos have none: they fill their frame
    focus: tuple = (0.5, 0.5)   # the crop's centre, (x, y) from 0 to 1
    seen: tuple | None = None   # (width, height) in pixels as it is seen (EXIF orientation applied), if it exists
    after: str | None = None    # a column photo: the text of the block it follows


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    en: str
    layout: str


@dataclass(frozen=True)
class Article:
    path: Path
    slug: str             # file name without .md; also the HTML id of the article
    title: str
    section: Section
    layout: str
    body: str             # Markdown, as written
    body_line: int        # line of the file where the body starts
    page_line: int | None = None    # line of its `page:` key, for messages that ask to change it
    subtitle: str | None = None
    kicker: str | None = None
    byline: str | None = None
    dateline: str | None = None
    credit: str | None = None
    page: int | None = None
    toc_title: str | None = None
    toc_subtitle: str | None = None
    toc: bool = True
    pullquote: tuple = ()
    images: tuple = ()
    html: str = ""        # the body as HTML, filled in by the text stage


@dataclass(frozen=True)
class Issue:
    id: str
    root: Path
    meta: dict                      # validated issue.yaml, defaults filled in
    sections: tuple
    articles: tuple
    sources: tuple = field(default=())   # every input file, for archives and cache keys
    warnings: tuple = ()                 # Problems the loader repaired (invisible characters removed)

    def section(self, sid):
        return next(s for s in self.sections if s.id == sid)


def load_issue(root):
    """Read and validate the issue folder `root`; raise InputError with every problem."""
    root = Path(root)
    problems = Problems()
    meta = _load_issue_yaml(root, problems)
    sections = tuple(Section(**s) for s in meta.get("sections") or () if s.get("id"))
    _check_sections(root, meta, problems)
    articles = tuple(a for a in (_load_article(p, root, sections, problems)
                                 for p in sorted((root / "articles").glob("*.md"))) if a)
    if not (root / "articles").is_dir() or not any((root / "articles").glob("*.md")):
        problems.add(rel(root / "articles"), None, None, "no article files (*.md) in this folder")
    _check_pages(articles, meta, root, problems)
    sources = tuple(sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")))
    for path in sources:                # every file goes into the archive PDF under its name
        _printable_name(path, root, problems)
    problems.raise_if_any()
    return Issue(root.name, root, meta, sections, articles, sources, _in_order(problems.warnings))


def _in_order(found):
    return tuple(sorted(found, key=lambda p: (p.file, p.line or 0, p.key or "", p.message)))


def read_text(path, problems):
    """Read a UTF-8 file of a sane size, reporting a BOM or undecodable bytes instead of failing.

    Line ends become \\n; invisible and control characters are removed, each kind a warning.
    """
    raw = _read_bounded(path, problems)
    if raw is None:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(rel(path), 1, None, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        problems.add(rel(path), line, None, f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8")
        return None
    text, removed = invisible.strip(text.replace("\r\n", "\n").replace("\r", "\n"))
    for r in removed:
        problems.warn(rel(path), r.line, None, r.message())
    return text


def _read_bounded(path, problems):
    """The file's bytes, or None with a problem: not a plain file, or larger than MAX_FILE."""
    if not path.is_file():              # a folder, a device or a pipe named like an article
        problems.add(rel(path), None, None, "not a plain file")
        return None
    with path.open("rb") as f:
        raw = f.read(MAX_FILE + 1)      # never more: a symlink to a huge file is read no further
    if len(raw) > MAX_FILE:
        problems.add(rel(path), None, None, f"the file is larger than {MAX_FILE // 1_000_000} MB; "
                     "an issue file holds text only: split it, and put photos in images/")
        return None
    return raw


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not accepted: anchors, aliases, merge keys, deep nesting."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so schema.py can report a bad date with its line,
    and refuses what editors never need and a YAML bomb is made of, as each node is composed."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(problem="anchors and aliases (&name, *name) are not accepted: write each value out",
                           problem_mark=event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise _Refused(problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=event.start_mark)
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        merge = isinstance(node, yaml.MappingNode) and next(
            (k for k, _ in node.value if k.tag == "tag:yaml.org,2002:merge"), None)
        if merge:
            raise _Refused(problem="merge keys (<<) are not accepted: write the keys out", problem_mark=merge.start_mark)
        return node


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


# What an editor does about the YAML errors one meets typing text: PyYAML's words, then ours.
YAML_HINTS = {
    "mapping values are not allowed": "; a value holding “: ” (or starting with one of - ? : , [ ] { } # & * ! | > ' \" % @ `) "
                                      "must be quoted: caption: \"时间: 上午\"",
    "found character '\\t'": "; indent with spaces, not tabs",
    "found unexpected end of stream": "; a quotation mark is not closed",
    "could not find expected ':'": "; a line of the list or mapping lacks its “key: value” or is indented wrongly",
}


def parse_yaml(text, path, problems, line_offset=0):
    """Parse YAML safely; return (data, lines) where lines maps key paths to line numbers."""
    if len(text) > MAX_YAML:
        problems.add(rel(path), line_offset + 1, None, f"{len(text):,} characters of YAML; at most {MAX_YAML:,} "
                     "are accepted (the keys of an issue or an article need a few hundred)")
        return None, {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        if isinstance(e, _Refused):
            problems.add(rel(path), line, None, what)
        else:
            written = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
            key = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:", written)
            hint = next((h for problem, h in YAML_HINTS.items() if problem in what), "")
            problems.add(rel(path), line, key.group(1) if key else None, f"YAML syntax error: {what}{hint}")
        return None, {}
    finally:
        loader.dispose()
    lines = {}
    _key_lines(node, (), lines, line_offset)
    return _without_invisible(data, (), _reporter(path, lines, problems, line_offset + 1, warn=True)), lines


def _without_invisible(value, key_path, warn):
    """The data with invisible characters written as YAML escapes ("\\u200b", "\\a") removed too."""
    if isinstance(value, str):
        clean, removed = invisible.strip(value)
        for r in removed:
            warn(key_path, r.message(first=False))
        return clean
    if isinstance(value, dict):
        return {k: _without_invisible(v, key_path + (k,), warn) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_invisible(v, key_path + (n,), warn) for n, v in enumerate(value)]
    return value


def _key_lines(node, path, out, offset):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = path + (k.value,)
            out[key] = k.start_mark.line + 1 + offset
            _key_lines(v, key, out, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out[path + (i,)] = v.start_mark.line + 1 + offset
            _key_lines(v, path + (i,), out, offset)


def _reporter(path, lines, problems, default_line, warn=False):
    def report(key_path, message):
        line = next((lines[key_path[:n]] for n in range(len(key_path), 0, -1) if key_path[:n] in lines),
                    default_line)
        key = ".".join(str(k) if isinstance(k, str) else f"[{k}]" for k in key_path).replace(".[", "[")
        (problems.warn if warn else problems.add)(rel(path), line, key or None, message)
    return report


def _load_issue_yaml(root, problems):
    path = root / "issue.yaml"
    if not path.is_file():
        problems.add(rel(path), None, None, "missing: every issue folder needs an issue.yaml")
        return {}
    text = read_text(path, problems)
    if text is None:
        return {}
    data, lines = parse_yaml(text, path, problems)
    if data is None and not problems.items:
        problems.add(rel(path), 1, None, "the file is empty")
    if data is None:
        return {}
    report = _reporter(path, lines, problems, 1)
    meta = schema.validate(data, schema.ISSUE, lines, report)
    for page in ("cover", "back_cover"):
        if (meta.get(page) or {}).get("image"):
            meta[page]["image"] = _image(root, meta[page]["image"], (page, "image", "src"), report)
    if meta.get("color_profile"):
        meta["color_profile"] = _color_profile(root, meta["color_profile"], report)
    _check_lead(root, meta, report)
    return meta


def _check_lead(root, meta, report):
    lead = (meta.get("cover") or {}).get("lead")
    if lead and lead not in {p.stem for p in (root / "articles").glob("*.md")}:
        report(("cover", "lead"), f"'{lead}' is not an article of this issue: name a file of articles/ without .md")


def _color_profile(root, value, report):
    """The output profile as an absolute path, if it is a CMYK printer profile in an allowed folder."""
    try:
        path = (root / value).resolve()
    except (RuntimeError, OSError):          # Python 3.11 raises RuntimeError on a symlink loop
        report(("color_profile",), f"{value} is a symbolic link that points to itself (a loop)")
        return value
    if not any(path.is_relative_to(r.resolve()) for r in (root, icc.SYSTEM_PROFILES)):
        report(("color_profile",), f"{value} must be inside the issue folder or {icc.SYSTEM_PROFILES}")
        return str(path)
    if not path.is_file() and path == icc.DEFAULT_CMYK.resolve():
        raise SetupError(f"the default CMYK printing profile {icc.DEFAULT_CMYK} is missing: run `make setup` "
                         "(it installs Debian's libgs-common)")
    if not path.is_file():
        report(("color_profile",), f"{value} is missing")
        return str(path)
    try:
        profile = icc.read(path.read_bytes())
    except ValueError as e:
        report(("color_profile",), f"{value}: {e}")
        return str(path)
    if profile.color_space != "CMYK" or profile.device_class != "prtr":
        report(("color_profile",), f"{value} is a {profile.color_space} {profile.device_class} profile; "
               "the print output needs a CMYK printer (prtr) profile")
    return str(path)


def _check_sections(root, meta, problems):
    path = root / "issue.yaml"
    seen = set()
    for i, s in enumerate(meta.get("sections") or ()):
        if s.get("id") is None:
            continue                    # not a mapping with an id: the schema has reported it
        if s["id"] in seen:
            problems.add(rel(path), None, f"sections[{i}].id", f"section id '{s['id']}' is declared twice")
        seen.add(s.get("id"))


def _load_article(path, root, sections, problems):
    if not _printable_name(path, root, problems):
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    m = FRONT_MATTER.match(text)
    if not m:
        problems.add(rel(path), 1, None, "no front matter: the file must start with a '---' line, "
                     "the keys title and section, and another '---' line")
        return None
    data, lines = parse_yaml(m.group(1) or "", path, problems, line_offset=1)
    if data is None:
        if m.group(1) and m.group(1).strip():
            return None
        data = {}
    report = _reporter(path, lines, problems, 1)
    fm = schema.validate(data, schema.ARTICLE, lines, report)
    ids = {s.id: s for s in sections}
    section = ids.get(fm.get("section"))
    if fm.get("section") and section is None and sections:
        report(("section",), f"'{fm['section']}' is not a declared section ({', '.join(ids)})")
    body = text[m.end():]
    if not body.strip():
        problems.add(rel(path), text[:m.end()].count("\n") + 1, None, "the article has no body text")
    if section is None or not fm.get("title"):
        return None
    photos = tuple(_image(root, img, ("images", n, "src"), report) for n, img in enumerate(fm["images"]))
    for n, photo in enumerate(photos):
        if photo is not None and photo.after is not None:
            _anchored(photo, body, lambda message, n=n: report(("images", n, "after"), message))
    fm = {k: v for k, v in fm.items() if k not in ("section", "images", "layout")}
    return Article(path=path, slug=path.stem, section=section, images=photos,
                   layout=data.get("layout") or section.layout, body=body,
                   body_line=text[:m.end()].count("\n") + 1, page_line=lines.get(("page",)), **fm)


def plain(text):
    """Text as an anchor is matched: letters, digits and Han only, width folded, so that `after:`
    finds its paragraph whatever punctuation and spaces the editor typed or the text stage set."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def _anchored(photo, body, report):
    """An `after:` that no block of the body contains, or on a photo that does not stand between paragraphs."""
    if photo.size != "column":
        report(f"only a column photo stands between paragraphs; a {photo.size} photo takes its own place")
    elif not plain(photo.after):
        report("give some of the text of the paragraph or heading the photo should follow")
    elif not any(plain(photo.after) in plain(block) for block in re.split(r"\n\s*\n", body)):
        report(f"no heading or paragraph of the body contains “{photo.after}”: "
               "copy a few words of the one the photo should follow")


def _printable_name(path, root, problems):
    """False, with a problem, if a file's name inside the issue is not UTF-8 or holds control
    characters (a zip made on a Chinese Windows names files in GBK): no output could carry it."""
    name = str(path.relative_to(root))
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:          # bytes that are not UTF-8 come in as surrogates
        pass
    else:
        if not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in name):
            return True
    problems.add(_escaped(rel(path)), None, None, "the file name is not valid UTF-8 or holds control characters; "
                 "rename it (articles: by page and a Latin slug, 04-session-opens.md)")
    return False


def _escaped(name):
    """The name with escapes for what cannot be printed on one line (\\udcff, \\n)."""
    name = name.encode("utf-8", "backslashreplace").decode()
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], name)


def _image(root, fields, key, report):
    if not isinstance(fields, dict) or not isinstance(fields.get("src"), str):
        return None                     # not a mapping with a src: the schema has reported it
    found, problem, seen = images.inspect(root, fields["src"])
    if problem:
        report(key, problem)
    return Image(exists=found is not None and not problem, seen=seen, **fields)


def _check_pages(articles, meta, root, problems):
    """Planned pages must rise with the file order and stay inside the issue."""
    last = None
    pages = meta.get("pages")
    seen = {}
    for a in articles:
        twin = seen.setdefault((a.title, a.page), a)
        if twin is not a:
            problems.add(rel(a.path), None, "title", f"same title and page as {twin.path.name}: a duplicate file? "
                         "remove one of them")
        if a.page is None:
            continue
        if pages and a.page > pages:
            problems.add(rel(a.path), None, "page", f"page {a.page} is beyond the issue's {pages} pages")
        if last and a.page < last.page:
            problems.add(rel(a.path), None, "page",
                         f"page {a.page} comes before page {last.page} of {last.path.name}, "
                         "but the file sorts after it; rename the file or fix the page")
        last = a
