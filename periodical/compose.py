"""Stage 3, compose: the prepared issue → one HTML document, through the Jinja2 templates in layouts/.

Decides what the page flow is made of: which article starts on a fresh page (one whose planned
page differs from the one before), where photos and pull quotes stand between paragraphs, and
the running heads of each section. Page numbers are not computed here: the contents page asks
the layout for them with CSS target-counter().
"""
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2


from . import fit, fonts, metadata
from .fonts import FONTS

LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


@dataclass(frozen=True)
class Figure:
    image: object
    height: float          # mm, from copy fitting


@dataclass(frozen=True)
class Block:
    """One article as the template places it."""
    article: object
    new_page: bool
    body: str             # body HTML with photos and pull quotes placed between paragraphs
    lead_images: tuple    # wide photos under the title block
    page_images: tuple    # full-page photos after the text
    missing_images: tuple


@functools.lru_cache(maxsize=None)
def environment(layouts=LAYOUTS):
    # One environment per layouts folder: it keeps compiled templates (and reloads a template
    # whose file changed), where a new one per photo or quote recompiled them every time.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(layouts)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["cn_date"] = lambda d: f"{d.year}年{d.month}月{d.day}日"
    return env


def compose(issue, fonts_dir=FONTS, scales=None, only=None, layouts=LAYOUTS):
    """Return the issue as one HTML string, loading the fonts from fonts_dir.

    scales: photo scale per article slug, from copy fitting (fit.py).
    only: article slugs of one run, to lay it out alone (no covers, no contents) when fitting.
    """
    scales = scales or {}
    blocks = tuple(_block(a, prev, scales.get(a.slug, 1.0))
                   for a, prev in zip(issue.articles, (None,) + issue.articles[:-1]))
    if only is not None:
        blocks = tuple(b for b in blocks if b.article.slug in only)
    sections = [s for s in issue.sections if any(a.section.id == s.id and a.toc for a in issue.articles)]
    template = environment(layouts).get_template("issue.html.j2")
    # The contents page stands before the first article it lists; inside-cover pieces come first.
    contents_at = next((n for n, a in enumerate(issue.articles) if a.toc), len(blocks))
    return template.render(issue=issue, meta=issue.meta, blocks=blocks, toc_sections=sections,
                           contents_at=contents_at, partial=only is not None, doc=metadata.describe(issue),
                           color_profile=Path(issue.meta["color_profile"]).as_uri(),
                           fonts=fonts.DECLARED, fonts_url=Path(fonts_dir).resolve().as_uri(),
                           layouts=Path(layouts).resolve().as_uri())


def _block(article, prev, scale):
    new_page = prev is None or article.page is None or prev.page != article.page
    figures = {size: tuple(Figure(i, fit.height(article, i, scale)) for i in article.images if i.size == size)
               for size in ("column", "wide", "page")}
    return Block(article=article, new_page=new_page,
                 body=_place(article.html, figures["column"], article.pullquote),
                 lead_images=figures["wide"], page_images=figures["page"],
                 missing_images=tuple(i for i in article.images if not i.exists))


def _place(html, images, quotes):
    """Spread column photos and pull quotes evenly between the body's top-level blocks.

    They go between blocks, never inside a paragraph, so a paragraph's text stays whole
    for search and copy.
    """
    parts = _top_level_blocks(html)
    # Alternate quotes and photos so neither clusters, then space them out through the text.
    inserts = [kv for pair in itertools.zip_longest([("quote", q) for q in quotes],
                                                    [("image", i) for i in images]) for kv in pair if kv]
    if not inserts or len(parts) < 2:
        return html + "".join(_insert_html(k, v) for k, v in inserts)
    step = len(parts) / (len(inserts) + 1)
    at = {max(1, round(step * (n + 1))): kv for n, kv in enumerate(inserts)}
    out = []
    for n, part in enumerate(parts):
        if n in at and not parts[n - 1].startswith("<h"):
            out.append(_insert_html(*at.pop(n)))
        elif n in at:
            at[n + 1] = at.pop(n)          # never between a heading and its text
        out.append(part)
    out.extend(_insert_html(*kv) for kv in at.values())
    return "".join(out)


def _top_level_blocks(html):
    """Split rendered Markdown into its top-level blocks (lists and quotes stay whole)."""
    blocks, depth = [], 0
    for line in html.splitlines(keepends=True):
        if depth == 0:
            blocks.append("")
        blocks[-1] += line
        depth += len(re.findall(r"<(?:blockquote|ul|ol)[ >]", line)) - len(re.findall(r"</(?:blockquote|ul|ol)>", line))
    return blocks


def _insert_html(kind, value):
    return environment().get_template("_insert.html.j2").render(kind=kind, value=value)
