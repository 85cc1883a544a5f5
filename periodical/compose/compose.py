"""Stage 3, compose: the prepared issue → HTML documents, one per part, through the Jinja2 templates in layouts/.

Decides what the page flow is made of: its parts (covers, contents, runs of articles, each
starting on a fresh page), which article starts on a fresh page (one whose planned page differs
from the one before), where photos and pull quotes stand between paragraphs, and the running
heads of each section. Page numbers are not computed here: each part is told the page it
starts on, and the contents part the pages its articles start on, by paginate.py.
"""
import functools
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe

from periodical import fonts, metadata
from periodical.compose import fit, floats
from periodical.fonts import FONTS
from periodical.text import cjk_spans

# The house style: templates and CSS. PERIODICAL_LAYOUTS points at another folder (a second
# magazine's layouts, or a test's copy).
LAYOUTS = Path(os.environ.get("PERIODICAL_LAYOUTS", Path(__file__).resolve().parents[2] / "layouts")).resolve()


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
    env.filters["phrases"] = phrases
    return env


@dataclass(frozen=True)
class Part:
    """A stretch of pages laid out as a document of its own: a cover, the contents, or a run.

    Every part starts on a fresh page, so the issue is its parts' pages end to end, and an
    edit lays out again only the part it touches (render.KEPT keeps the others).
    """
    name: str                  # "cover", "contents", "back-cover", or the first article of a run
    slugs: tuple = ()          # the run's articles


def parts(issue):
    """The issue's parts in page order: cover, inside-cover runs, contents, runs, back cover."""
    contents_at = _contents_at(issue)
    inside, rest = (fit.runs(group) for group in (issue.articles[:contents_at], issue.articles[contents_at:]))
    contents = [Part("contents")] if contents_at < len(issue.articles) else []
    return [Part("cover"), *map(run_part, inside), *contents, *map(run_part, rest), Part("back-cover")]


def run_part(run):
    return Part(run.articles[0].slug, tuple(a.slug for a in run.articles))


def compose(issue, part, start, fonts_dir=FONTS, scales=None, numbers=None, layouts=LAYOUTS, deferrals=None):
    """Return one part of the issue as an HTML document whose first page is page `start`.

    scales: photo scale per article slug, from copy fitting (fit.py).
    numbers: article slug → the page it starts on, printed by the contents part.
    deferrals: article slug → how many text blocks each insert is moved on (floats.py).
    """
    scales, deferrals = scales or {}, deferrals or {}
    blocks = tuple(_block(a, prev, scales.get(a.slug, 1.0), deferrals.get(a.slug, ()))
                   for a, prev in zip(issue.articles, (None,) + issue.articles[:-1]) if a.slug in part.slugs)
    sections = [s for s in issue.sections if any(a.section.id == s.id and a.toc for a in issue.articles)]
    template = environment(layouts).get_template("issue.html.j2")
    return template.render(issue=issue, meta=issue.meta, blocks=blocks, toc_sections=sections, part=part.name,
                           start=start, numbers=numbers or {}, doc=metadata.describe(issue),
                           color_profile=Path(issue.meta["color_profile"]).as_uri(),
                           fonts=fonts.DECLARED, fonts_url=Path(fonts_dir).resolve().as_uri(),
                           layouts=Path(layouts).resolve().as_uri())


def _contents_at(issue):
    # The contents page stands before the first article it lists; inside-cover pieces come first.
    return next((n for n, a in enumerate(issue.articles) if a.toc), len(issue.articles))


def phrases(title):
    """A headline as the designer breaks it: at the spaces between its phrases, never inside a
    phrase that fits on a line, and never with one character left alone on the last line."""
    words = [w for w in re.split(r"[ \u3000]+", title.strip()) if w]
    out = []
    for n, word in enumerate(words):
        keep = cjk_spans.keep_start(word)[0] if n == len(words) - 1 else 0
        if keep:                     # the last two characters, and the marks after them, stay together
            word = markupsafe.escape(word[:keep]) + markupsafe.Markup('<span class="keep">%s</span>') % word[keep:]
        out.append(markupsafe.Markup('<span class="phrase">%s</span>') % word)
    return markupsafe.Markup(" ").join(out)


def _block(article, prev, scale, shifts=()):
    new_page = prev is None or article.page is None or prev.page != article.page
    figures = {size: tuple(Figure(i, fit.height(article, i, scale)) for i in article.images if i.size == size)
               for size in ("column", "wide", "page")}
    return Block(article=article, new_page=new_page,
                 body=floats.defer(_place(article.html, figures["column"], article.pullquote), shifts),
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
