"""Stage 2, text: Chinese text clean-up and Markdown → HTML fragments.

Fixes what copy-paste and PDF extraction leave in Chinese text: ASCII punctuation between
Chinese characters becomes full-width, straight quotes become paired “”, and spaces typed
between Chinese characters, or between Chinese and digits/Latin letters, are removed (the
layout makes the right gap). Bodies are rendered with markdown-it in CommonMark mode (with pipe
tables) and raw HTML disabled, so HTML in an article is printed as text, never interpreted. Invisible characters
are removed by the loader as files are read; those a Markdown entity (&#8203;) brings back are
removed here, each a warning like the loader's.
"""
import dataclasses
import functools
import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from periodical.errors import Problems, rel
from periodical.model import images, invisible
from periodical.text import cjk, cjk_spans

HAN = cjk.HAN
CJK_PUNCT = cjk.PUNCT
CJK = f"[{HAN}{CJK_PUNCT}]"
ALNUM = r"[A-Za-z0-9%]"
SPACES = r"[ \u00a0\u3000]+"

FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}

# CommonMark and GFM's pipe tables, which editors bring (statistics): without the rule a table
# printed as its pipes and dashes, and nothing said so.
_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def clean(text, body=True):
    """Normalise punctuation and spacing of Chinese text.

    body=False is for titles and lines where a space between two Chinese phrases is a
    deliberate separator (严肃会风会纪 确保风清气正) and must stay.
    """
    text = _quotes(text)
    text = re.sub(r"\(([^()]*)\)", _paren, text)
    text = re.sub(f"(?<={CJK})([,:;!?])|([,:;!?])(?={CJK})", lambda m: FULL[m.group(1) or m.group(2)], text)
    text = re.sub(f"(?<=[{HAN}”’）》」』])\\.(?=$|\\s|[{HAN}“”‘’「」『』（）《》])", "。", text)
    text = re.sub(f"(?<={CJK}){SPACES}(?=[-+]?{ALNUM})|(?<={ALNUM}){SPACES}(?={CJK})", "", text)
    text = re.sub(f"{SPACES}(?=[{CJK_PUNCT}])|(?<=[{CJK_PUNCT}]){SPACES}", _keep_ideographic_separator(body), text)
    if body:
        text = re.sub(f"(?<=[{HAN}]){SPACES}(?=[{HAN}])", "", text)
    return text


def _keep_ideographic_separator(body):
    # In titles a full-width space may separate phrases; in a body it never does.
    return (lambda m: "") if body else (lambda m: "" if "\u3000" not in m.group(0) else m.group(0))


def _paren(m):
    inner = m.group(1)
    before = m.string[m.start() - 1:m.start()]
    after = m.string[m.end():m.end() + 1]
    if re.search(f"[{HAN}]", inner + before + after):
        return f"（{inner}）"
    return m.group(0)


def _quotes(text):
    """Pair straight double quotes in Chinese text as “…”."""
    if '"' not in text or not re.search(f"[{HAN}]", text):
        return text
    parts = text.split('"')
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        out.append("“" if i % 2 == 0 else "”")
        out.append(part)
    return "".join(out)


# Bounds on what one article may ask of the layout; beyond them the editor is told, not the
# renderer left to grind (a 1 MB paragraph takes WeasyPrint minutes and tens of pages).
MAX_PARAGRAPH = 20_000       # characters in one paragraph
MAX_BODY = 300_000           # characters in one article body
MAX_LIST_DEPTH = 4           # nested list levels
# Of a body beyond MAX_BODY only this much is parsed, to list its other problems too: markdown-it
# takes up to ~17 µs a character on dense markup, so this bounds the parse at ~20 s.
MAX_PARSED = 1_200_000


def render_markdown(body, root=None, warnings=None):
    """Render an article body to (HTML fragment, problems); every text run is cleaned.

    problems are (line in the body, message) pairs: photos outside the issue, paragraphs or
    lists beyond what the layout accepts; warnings, if a list, gets such pairs for invisible
    characters removed. In list items a space between Chinese words is kept:
    there it separates a name from a post (洪明 市政协委员联络工作委员会主任), as in titles.
    """
    # A body without photos reads no file: its HTML is the body's alone, and the preview server,
    # which prepares the issue after every save, renders only the body that changed.
    if "![" not in body and len(body) <= MAX_BODY:
        html, problems, warned = _render_alone(body)
    else:
        warned = []
        html, problems = _render(body, root, warned)
    if warnings is not None:
        warnings.extend(warned)
    return html, list(problems)


@functools.lru_cache(maxsize=512)
def _render_alone(body):
    warned = []
    html, problems = _render(body, None, warned)
    return html, tuple(problems), tuple(warned)


def _render(body, root, warnings):
    problems = []
    if len(body) > MAX_BODY:
        problems.append((0, f"the body has {len(body):,} characters; an article may have at most {MAX_BODY:,}: split it"))
        body = body[:body.rfind("\n", 0, MAX_PARSED) + 1 or MAX_PARSED]
    tokens = _md.parse(body)
    depth, too_deep, heading = 0, False, False
    for tok in tokens:
        depth += {"bullet_list_open": 1, "ordered_list_open": 1,
                  "bullet_list_close": -1, "ordered_list_close": -1}.get(tok.type, 0)
        heading = {"heading_open": True, "heading_close": False}.get(tok.type, heading)
        line = tok.map[0] if tok.map else 0
        if depth > MAX_LIST_DEPTH and not too_deep:
            too_deep = True                   # once per article: the first place is enough to act on
            problems.append((line, f"lists nested {depth} levels deep; the layout sets at most {MAX_LIST_DEPTH}"))
        if tok.type == "inline" and len(tok.content) > MAX_PARAGRAPH:
            problems.append((line, f"a paragraph of {len(tok.content):,} characters; "
                                   f"the layout accepts at most {MAX_PARAGRAPH:,}: split it"))
        for child in tok.children or ():
            if child.type == "text":
                child.content = clean(_visible(child.content, line, warnings), body=depth == 0 and not heading)
            elif child.type == "image" and root is not None:
                _, problem, _ = images.inspect(root, child.attrGet("src") or "")
                if problem:
                    problems.append((line, f"image {problem}"))
        if tok.type == "inline" and heading and all(c.type == "text" for c in tok.children or ()):
            # A sub-heading's spaces part its phrases, as a headline's do (强化顶层设计 创新工作站建设):
            # kept, and the line breaks there, not inside 创新.
            tok.children = [_html_inline(cjk_spans.phrases("".join(c.content for c in tok.children)))]
        elif tok.type == "inline":
            tok.children = cjk_spans.mark(tok.children)
        if tok.type == "ordered_list_open" and tok.attrGet("start"):
            # WeasyPrint 70 ignores <ol start>: a list from "6." printed 1., 2. …
            tok.attrSet("style", f"counter-reset: list-item {int(tok.attrGet('start')) - 1}")
    _mark_boxes(tokens)
    return _md.renderer.render(tokens, _md.options, {}), problems


def _html_inline(markup):
    token = Token("html_inline", "", 0)
    token.content = str(markup)
    return token


def _visible(content, line, warnings):
    content, removed = invisible.strip(content)
    if warnings is not None:
        warnings.extend((line, f"{r.message(first=False)} (written as a character reference)") for r in removed)
    return content


def _mark_boxes(tokens):
    """A blockquote starting with **关键词** is a keyword box; other blockquotes are side boxes."""
    for i, tok in enumerate(tokens):
        if tok.type == "blockquote_open":
            first = next((t for t in tokens[i + 1:] if t.type == "inline"), None)
            keyword = first is not None and first.content.startswith("**关键词**")
            tok.attrSet("class", "keywords" if keyword else "box")


TITLE_FIELDS = ("title", "subtitle", "kicker", "byline", "dateline", "credit", "toc_title", "toc_subtitle")


def prepare(issue):
    """Return the issue with every article's text cleaned and its body rendered to HTML.

    Raises InputError listing every body that asks for what the layout must refuse.
    """
    articles, problems = [], Problems()
    for a in issue.articles:
        changes = {f: clean(getattr(a, f), body=False) for f in TITLE_FIELDS if getattr(a, f)}
        changes["pullquote"] = tuple(clean(q) for q in a.pullquote)
        changes["images"] = tuple(dataclasses.replace(
            img, caption=img.caption and clean(img.caption)) for img in a.images)
        warned = []
        changes["html"], found = render_markdown(a.body, issue.root, warned)
        for line, message in found:
            problems.add(rel(a.path), a.body_line + line, None, message)
        for line, message in warned:
            problems.warn(rel(a.path), a.body_line + line, None, message)
        articles.append(dataclasses.replace(a, **changes))
    problems.raise_if_any()
    return dataclasses.replace(issue, articles=tuple(articles), warnings=issue.warnings + tuple(problems.warnings))


def printed_text(fragment):
    """The characters an HTML fragment prints: its tags dropped, its entities resolved."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def characters(issue):
    """Every character the issue prints, mapped to the files that use it (for glyph checks)."""
    used = {}
    def add(text, where):
        for ch in text:
            if not ch.isspace():
                used.setdefault(ch, set()).add(where)
    for a in issue.articles:
        name = a.path.name
        add(printed_text(a.html), name)
        for f in TITLE_FIELDS:
            add(getattr(a, f) or "", name)
        for q in a.pullquote:
            add(q, name)
        for img in a.images:
            add((img.caption or "") + (img.credit or ""), name)
    add(_meta_text(issue.meta), "issue.yaml")
    return used


def _meta_text(value):
    if isinstance(value, dict):
        return "".join(_meta_text(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "".join(_meta_text(v) for v in value)
    return str(value) if value is not None else ""
