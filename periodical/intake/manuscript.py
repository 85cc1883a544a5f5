"""A Word manuscript → an article of the issue: front matter, Markdown body, photos, import report.

The manuscript's structure is guessed as an editor reads it: the title (Title or Heading 1 style,
else the first short line that is bold, centred or larger than the text), a subtitle under it
(`——…` or the Subtitle style), a byline (`文/…`, `作者：…`, `记者 …`), a bracketed source line at
the end as `credit`, sub-heads (heading styles, short bold-only lines), and each photo's caption
(the paragraph after it when it reads as one) with a trailing `XX 摄` / `XX 供图` as its credit,
kept as written. Every guess is written to the report with the paragraph it came from.

Text is cleaned as the text stage cleans it (text.clean: full-width punctuation between Chinese,
spaces) after removing what Word leaves (invisible characters, U+3000 indents, soft returns);
it is never Unicode-normalised (NFKC would turn ，into ,). The round trip then checks that every
Han character and digit of the manuscript is in the article.
"""
import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from periodical.errors import BuildError, InputError, Problem, Problems, rel
from periodical.intake import word
from periodical.intake.word import Para, Picture, Table
from periodical.model import load, schema
from periodical.text import cjk, text

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
INDENT = re.compile(r"^[\s\u3000]+")
# A soft return followed by an indent starts a new paragraph: the typist meant Enter.
INDENTED_BREAK = re.compile(r"\n(?=\u3000|[ \t]{2,})")
ROUND_TRIP = re.compile(f"[{cjk.HAN}0-9０-９]")

TITLE_MAX = 40          # characters: a longer first line is a paragraph, not a headline
SUBHEAD_MAX = 30
CAPTION_MAX = 60
CAPTION_START = ("图为", "图：", "图:", "上图", "下图", "左图", "右图", "题图")
BYLINE = re.compile(r"^(?:文|文字|文图|图文|文/图|作者|撰稿|执笔|本刊记者|特约记者|记者|通讯员)\s*[/／:：\s]")
CREDIT_LINE = re.compile(r"^[（(]([^（）()]{2,60})[）)]$")
PHOTO_CREDIT = ("摄", "供图")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


@dataclass
class Article:
    front: dict = field(default_factory=dict)
    body: list = field(default_factory=list)          # Markdown blocks
    photos: list = field(default_factory=list)        # (Picture, image dict)
    guesses: list = field(default_factory=list)       # (what, paragraph number, why, text)
    changes: list = field(default_factory=list)       # (paragraph number, what changed)


    def clean(self, p, body=True):
        """p's text as the text stage cleans it; what changed goes to the report."""
        cleaned = text.clean(p.text, body=body)
        if cleaned != p.text:
            self.changes.append((p.n, "punctuation and spaces: " + _diff(p.text, cleaned)))
        return cleaned


@dataclass
class Result:
    report: str
    article: Path | None            # None when the round trip failed and nothing was written
    report_path: Path
    missing: list                   # (where, text) of manuscript passages not in the article


def import_docx(path, issue_dir, section, page=None, slug=None, force=False, accept_loss=False):
    """Import the manuscript at path into issue_dir; raise InputError on bad input."""
    issue_dir = Path(issue_dir)
    _check_section(issue_dir, section, page)
    manuscript = word.read(path)
    slug = slug or _free_slug(issue_dir)
    name = f"{page:02d}-{slug}" if page else slug
    _check_free(issue_dir, slug, force)
    article = _compose(manuscript, rel(path))
    for i, (pic, image) in enumerate(article.photos, 1):
        image["src"] = f"images/{slug}-{i:02d}{pic.ext}"
    article.front.update(section=section, page=page)
    _order(article)
    source = _article_text(article)
    _check_contract(source, issue_dir / "articles" / f"{name}.md")
    missing = [(where, t) for where, t in manuscript.texts if _key(t) not in _key(source)]
    report_path = issue_dir / "articles" / f"{name}.import.txt"
    written = None
    if not missing or accept_loss:
        for pic, image in article.photos:
            _write(issue_dir / image["src"], pic.blob)
        written = issue_dir / "articles" / f"{name}.md"
        _write(written, source.encode("utf-8"))
    report = _report(path, written, manuscript, article, missing, accept_loss)
    _write(report_path, report.encode("utf-8"))
    return Result(report, written, report_path, missing)


# -- the issue folder ------------------------------------------------------------------------------

def _check_section(issue_dir, section, page):
    problems = Problems()
    path = issue_dir / "issue.yaml"
    if not path.is_file():
        raise InputError([Problem(rel(path), None, None, "missing: import into an issue folder "
                                  "(start one with: python make_issue.py new NEW_DIR --from PREV_DIR)")])
    source = load.read_text(path, problems)
    data, _ = load.parse_yaml(source or "", path, problems)
    problems.raise_if_any()
    ids = [s.get("id") for s in (data or {}).get("sections") or () if isinstance(s, dict)]
    if section not in ids:
        problems.add(rel(path), None, "sections", f"'{section}' is not a declared section ({', '.join(map(str, ids))})")
    if page is not None and page < 1:
        problems.add("--page", None, None, f"{page}: a planned page is 1 or more")
    problems.raise_if_any()


def _free_slug(issue_dir):
    """article-N with the first N no article or photo of the folder uses."""
    taken = {p.name for p in (issue_dir / "articles").glob("*.md")} | {p.name for p in (issue_dir / "images").glob("*")}
    n = 1
    while any(re.search(rf"(^|-)article-{n}([.-]|$)", t) for t in taken):
        n += 1
    return f"article-{n}"


def _check_free(issue_dir, slug, force):
    if not SLUG.match(slug):
        raise InputError([Problem("--slug", None, None, f"'{slug}': use lower-case Latin letters, digits and -")])
    clash = [p for p in (issue_dir / "articles").glob("*.md") if re.fullmatch(rf"(\d+[a-z]?-)?{re.escape(slug)}", p.stem)]
    clash += sorted((issue_dir / "images").glob(f"{slug}-[0-9][0-9].*"))
    if clash and not force:
        raise InputError([Problem(rel(clash[0]), None, None, "already exists: pass --force to replace the article "
                                  "and its photos, or --slug to import under another name")])


# -- guessing the structure ------------------------------------------------------------------------

def _compose(manuscript, where):
    a = Article()
    blocks = _tidy(manuscript.blocks, a)
    paras = [b for b in blocks if isinstance(b, Para)]
    if not paras:
        raise InputError([Problem(where, None, None, "no text in the manuscript")])
    title = _title(paras, manuscript.body_size, a, where)
    rest = blocks[blocks.index(title) + 1:]
    before = [p for p in blocks[:blocks.index(title)] if isinstance(p, Para)]
    if before:
        a.front["kicker"] = " ".join(a.clean(p, body=False) for p in before)
        a.guesses.append(("kicker", before[0].n, "the lines above the title", a.front["kicker"]))
    rest = _subtitle_and_byline(rest, a)
    rest = _credit(rest, a)
    # A photo or table above the title goes at the start of the body, not away.
    others_before = [b for b in blocks[:blocks.index(title)] if not isinstance(b, Para)]
    _body(others_before + rest, a)
    return a


def _tidy(blocks, a):
    """Split paragraphs at indented soft returns, join the other soft returns, drop invisibles and indents."""
    out = []
    for b in blocks:
        if not isinstance(b, Para):
            out.append(b)
            continue
        parts = INDENTED_BREAK.split(b.text)
        if len(parts) > 1:
            a.changes.append((b.n, f"{len(parts) - 1} soft return(s) followed by an indent read as new paragraphs"))
        for part in parts:
            cleaned = _unword(part, b.n, a)
            if cleaned:
                out.append(Para(**{**b.__dict__, "text": cleaned}))
    return out


def _unword(raw, n, a):
    joined = re.sub(r"[ \t]*\n[ \t]*", lambda m: _join(raw, m), raw)
    if joined != raw:
        a.changes.append((n, f"{raw.count(chr(10))} soft return(s) joined"))
    visible = joined.translate({ord(c): None for c in INVISIBLE})
    if visible != joined:
        a.changes.append((n, f"{len(joined) - len(visible)} invisible character(s) removed "
                             f"({', '.join(sorted({f'U+{ord(c):04X}' for c in joined if c in INVISIBLE}))})"))
    unindented = INDENT.sub("", visible).rstrip()
    if unindented != visible.rstrip():
        a.changes.append((n, "indent removed"))
    return unindented


def _join(raw, m):
    # Between Chinese characters a line break is nothing; between Latin words it was a space.
    before, after = raw[:m.start()][-1:], raw[m.end():][:1]
    return " " if before and after and not (cjk.is_cjk(before) or cjk.is_cjk(after)) else ""


def _diff(old, new):
    edits = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            edits.append(f"'{old[i1:i2]}' → '{new[j1:j2]}'" if new[j1:j2] else f"'{old[i1:i2]}' removed")
    counted = {e: edits.count(e) for e in edits}
    return "; ".join(f"{e} ×{k}" if k > 1 else e for e, k in counted.items())


def _title(paras, body_size, a, where):
    head = paras[:6]
    styled = next((p for p in paras if p.heading == 0), None) or next((p for p in head if p.heading == 1), None)
    if styled:
        a.front["title"] = a.clean(styled, body=False)
        a.guesses.append(("title", styled.n, f"style {styled.style}", styled.text))
        return styled
    for p in head:
        looks = [why for why, yes in (("bold", p.bold), ("centred", p.centred),
                                      ("larger than the text", bool(p.size and body_size and p.size > body_size)))
                 if yes]
        if looks and len(p.text) <= TITLE_MAX:
            a.front["title"] = a.clean(p, body=False)
            a.guesses.append(("title", p.n, "first short paragraph that is " + " and ".join(looks), p.text))
            return p
    first = paras[0]
    if len(first.text) > TITLE_MAX:
        raise InputError([Problem(where, None, "title", "no title found: give the title the Title (标题) "
                                  "style, or put it alone on the first line in bold")])
    a.front["title"] = a.clean(first, body=False)
    a.guesses.append(("title", first.n, "the first paragraph (no style, bold or centring marks a title)", first.text))
    return first


def _subtitle_and_byline(rest, a):
    paras = [b for b in rest[:5] if isinstance(b, Para)]
    taken = []
    first = paras[0] if paras else None
    if first and (first.subtitle or first.text.startswith(("——", "—", "--"))) and len(first.text) <= CAPTION_MAX:
        a.front["subtitle"] = a.clean(first, body=False).lstrip("—-– \u3000")
        a.guesses.append(("subtitle", first.n, "style Subtitle" if first.subtitle else "starts with ——", first.text))
        taken.append(first)
    byline = next((p for p in paras[len(taken):len(taken) + 3] if BYLINE.match(p.text) and len(p.text) <= TITLE_MAX), None)
    if byline:
        a.front["byline"] = a.clean(byline, body=False)
        a.guesses.append(("byline", byline.n, "starts like a byline", byline.text))
        taken.append(byline)
    return [b for b in rest if not any(b is t for t in taken)]


def _credit(rest, a):
    last = next((b for b in reversed(rest) if isinstance(b, Para)), None)
    m = last and CREDIT_LINE.match(last.text)
    if not m:
        return rest
    a.front["credit"] = text.clean(m.group(1).strip(), body=False)
    a.guesses.append(("credit", last.n, "last line, in brackets", last.text))
    return [b for b in rest if b is not last]


def _body(blocks, a):
    levels = sorted({b.heading for b in blocks if isinstance(b, Para) and b.heading})
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, Picture):
            i += 1 + _photo(b, blocks[i + 1:], a)
            continue
        if isinstance(b, Table):
            a.body.append(_pipe_table(b.rows))
            a.guesses.append(("table", b.n, f"after ¶{b.n}: {len(b.rows) - 1} rows × {len(b.rows[0])} columns, "
                                            "the first row its head", " | ".join(b.rows[0])))
            i += 1
            continue
        if b.heading:
            mark = "##" if b.heading == levels[0] else "###"
            a.body.append(f"{mark} {_escape(a.clean(b, body=False))}")
            a.guesses.append(("sub-head", b.n, f"style {b.style}", b.text))
        elif b.bold and len(b.text) <= SUBHEAD_MAX:
            a.body.append(f"## {_escape(a.clean(b, body=False))}")
            a.guesses.append(("sub-head", b.n, "short and bold", b.text))
        else:
            a.body.append(_escape(a.clean(b)))
        i += 1


NUMBER = re.compile(r"[-+−]?[\d,，.]+\s*(%|‰|万|亿|元|件|人|个|次|项|家|户|吨|亿元|万元|万人次)?")


def _pipe_table(rows):
    """A Word table as a Markdown pipe table: cells cleaned as the body is, | and Markdown escaped,
    a column right-aligned when every cell under its head is a number (as statistics are set)."""
    cells = [[_escape(text.clean(c), line_start=False).replace("|", "\\|") for c in row] for row in rows]
    numeric = [all(NUMBER.fullmatch(row[k].strip()) for row in rows[1:] if row[k].strip()) and
               any(row[k].strip() for row in rows[1:]) for k in range(len(rows[0]))]
    line = lambda row: "| " + " | ".join(row) + " |"
    return "\n".join([line(cells[0]), line(["--:" if n else "---" for n in numeric])] + [line(r) for r in cells[1:]])


def _photo(pic, following, a):
    """Record a photo and take its caption and credit from what follows; return how many blocks it took."""
    image = {"src": None}
    a.photos.append((pic, image))
    number = len(a.photos)
    nxt = following[0] if following and isinstance(following[0], Para) else None
    if nxt is None or nxt.heading or not _reads_as_caption(nxt):
        a.guesses.append((f"photo {number}", pic.n, "no caption: the paragraph after it does not read as one", ""))
        return 0
    caption, credit = split_credit(nxt.text)
    taken = 1
    if credit is None and len(following) > 1 and isinstance(following[1], Para) \
            and _credit_only(following[1].text):
        credit, taken = following[1].text, 2
    if caption:
        image["caption"] = text.clean(caption)
    if credit:
        image["credit"] = credit
    why = "starts like a caption" if nxt.text.startswith(CAPTION_START) else \
        "beside the photo" if nxt.beside_photo else "short paragraph after the photo"
    a.guesses.append((f"caption {number}", nxt.n, why, f"{caption or '—'}" + (f" | credit: {credit}" if credit else "")))
    return taken


def _reads_as_caption(p):
    return (p.text.startswith(CAPTION_START) or p.beside_photo or len(p.text) <= CAPTION_MAX
            or split_credit(p.text)[1] is not None)


def _credit_only(t):
    return t.endswith(PHOTO_CREDIT) and len(t) <= 16 and not re.search("[。，；！？]", t)


def split_credit(caption):
    """(caption, credit) with a trailing `XX 摄` / `XX 供图` (or `（XX 摄）`) taken off, as written."""
    t = caption.rstrip()
    m = re.search(r"[（(]([^（）()]*(?:摄|供图))[）)]$", t)
    if m:
        return t[:m.start()].rstrip() or None, m.group(1).strip()
    if not t.endswith(PHOTO_CREDIT):
        return t, None
    words = t.split(" ")
    if 1 < len(words) <= 3 and all(len(w) <= 4 for w in words):          # 张三 摄, 记者 张三 摄
        return None, t
    cut = max(t.rfind(mark) for mark in "。！？；")
    if cut >= 0 and len(t) - cut <= 20:
        return t[:cut + 1], t[cut + 1:].strip()
    keep = len(words)
    while keep > 1 and len(words[keep - 1]) <= 5 and len(words) - keep < 4:
        keep -= 1
    if keep == len(words) or keep == 0:
        return t, None
    return " ".join(words[:keep]), " ".join(words[keep:])


def _order(a):
    """Front matter in the order editors read it (as in issue 148's files)."""
    keys = ("title", "subtitle", "kicker", "section", "page", "byline", "credit")
    front = {k: a.front[k] for k in keys if a.front.get(k)}
    if a.photos:
        front["images"] = [img for _, img in a.photos]
    a.front = front


# -- writing -----------------------------------------------------------------------------------------

MD_LINE_START = re.compile(r"^(#|>|[-+*=]|\d+[.)]\s)")


def _escape(t, line_start=True):
    """Markdown that prints as the manuscript reads: no emphasis, link, list or heading by accident."""
    t = re.sub(r"([\\`*_\[\]<&])", r"\\\1", t)
    return "\\" + t if line_start and MD_LINE_START.match(t) else t


def _article_text(a):
    front = yaml.safe_dump(a.front, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False)
    return f"---\n{front}---\n\n" + "\n\n".join(a.body) + "\n"


def _check_contract(source, path):
    """The front matter we write must pass the loader's schema: a failure here is our bug."""
    problems = Problems()
    m = load.FRONT_MATTER.match(source)
    data, lines = load.parse_yaml(m.group(1), path, problems, line_offset=1)
    schema.validate(data, schema.ARTICLE, lines, lambda key, message: problems.add(path, None, key, message))
    if problems.items:
        raise BuildError("the import wrote front matter the loader refuses: " + "; ".join(map(str, problems.items)))


def _key(t):
    return "".join(ROUND_TRIP.findall(t))


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _report(path, written, m, a, missing, accept_loss):
    lines = [f"import of {Path(path).name} (saved by {m.producer})"
             f" → {rel(written) if written else 'nothing written'}", "", "guesses (¶ = the manuscript's Nth paragraph):"]
    for what, n, why, t in a.guesses:
        lines.append(f"  {what:<11} ¶{n} ({why})" + (f": {_short(t)}" if t else ""))
    for i, (pic, image) in enumerate(a.photos, 1):
        size = f"{pic.size_px[0]}×{pic.size_px[1]} px" + (f", converted from {pic.converted}" if pic.converted else "") \
            + (", floating in Word" if pic.floating else "")
        lines.append(f"  photo {i:<5} after ¶{pic.n}: {pic.name} → {image['src']} ({size})")
    uncaptioned = [i for i, (_, img) in enumerate(a.photos, 1) if "caption" not in img]
    lines.append("photos without captions: " + (", ".join(f"photo {i}" for i in uncaptioned) or "none"))
    lines.append("text changed:" if a.changes else "text changed: nothing")
    lines += [f"  ¶{n}: {what}" for n, what in sorted(dict.fromkeys(a.changes), key=lambda c: c[0])]
    lines.append("not imported:" if m.skipped else "not imported: nothing")
    lines += [f"  {kind}" + (f" (¶{n})" if n and kind != "table" else "") + (f": {_short(t, 120)}" if t else "")
              for n, kind, t in m.skipped]
    chars = sum(len(_key(t)) for _, t in m.texts)
    if not missing:
        lines.append(f"round trip: all {chars:,} Han characters and digits of the manuscript are in the article")
    else:
        lines.append(f"round trip: MISSING from the article ({'imported anyway: --accept-loss' if accept_loss else 'nothing written; --accept-loss imports anyway'}):")
        lines += [f"  {where}: {_short(t, 120)}" for where, t in missing]
    return "\n".join(lines) + "\n"


def _short(t, n=60):
    t = t.replace("\n", " ")
    return t if len(t) <= n else t[:n] + "…"
