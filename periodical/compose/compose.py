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
from periodical.compose import fit, floats, geometry
from periodical.fonts import FONTS
from periodical.model import load
from periodical.text import cjk_spans
from periodical.text.text import printed_text

# The house style: templates and CSS. PERIODICAL_LAYOUTS points at another folder (a second
# magazine's layouts, or a test's copy).
LAYOUTS = Path(os.environ.get("PERIODICAL_LAYOUTS", Path(__file__).resolve().parents[2] / "layouts")).resolve()


@dataclass(frozen=True)
class Figure:
    image: object
    height: float | None   # mm, from copy fitting; None on the covers, where the frame sets it
    item: str              # the inventory id of the photo (see `inventory`)
    portrait: bool = False # the photo stands upright: placed at its own proportions, not cropped to a landscape


@dataclass(frozen=True)
class Item:
    """Something the data holds that must be printed: a paragraph, a photo, a caption …

    Compose writes its id into the HTML as `data-item`; the check stage finds it in the
    laid-out pages (check/inventory.py), so nothing is lost without a problem saying so.
    """
    file: str              # relative to the issue folder: articles/04-x.md, issue.yaml
    key: str               # body[3], images[0].caption, pullquote[1], cover.image.credit …
    what: str              # for the editor: paragraph “…”, photo images/a.jpg …
    image: object = None   # the photo (model Image), for a photo's own item

    @property
    def id(self):
        return f"{self.file}|{self.key}"


@dataclass(frozen=True)
class Block:
    """One article as the template places it."""
    article: object
    file: str             # the article's file, relative to the issue folder
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
    env.filters["phrases"] = cjk_spans.phrases
    env.filters["spaced"] = cjk_spans.spaced          # display lines: the Han–Latin gap the body has
    return env


@dataclass(frozen=True)
class Part:
    """A stretch of pages laid out as a document of its own: a cover, the contents, or a run.

    Every part starts on a fresh page, so the issue is its parts' pages end to end, and an
    edit lays out again only the part it touches (render/parts.py keeps the others drawn).
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


def compose(issue, part, start, fonts_dir=FONTS, scales=None, numbers=None, layouts=LAYOUTS, deferrals=None,
            spacing=1):
    """Return one part of the issue as an HTML document whose first page is page `start`.

    scales: photo scale per article slug, from copy fitting (fit.py).
    numbers: article slug → the page it starts on, printed by the contents part.
    deferrals: article slug → how many text blocks each insert is moved on (floats.py).
    spacing: the contents page's vertical spacing, 1 as designed (fit.CONTENTS_SPACING).
    """
    scales, deferrals = scales or {}, deferrals or {}
    blocks = tuple(_block(a, prev, scales.get(a.slug, 1.0), _file(issue, a), deferrals.get(a.slug, ()))
                   for a, prev in zip(issue.articles, (None,) + issue.articles[:-1]) if a.slug in part.slugs)
    covers = {page: Figure(image, None, f"issue.yaml|{page}.image")
              for page in ("cover", "back_cover") if (image := (issue.meta.get(page) or {}).get("image"))}
    sections = [s for s in issue.sections if any(a.section.id == s.id and a.toc for a in issue.articles)]
    template = environment(layouts).get_template("issue.html.j2")
    return template.render(issue=issue, meta=issue.meta, blocks=blocks, toc_sections=sections, part=part.name,
                           covers=covers,
                           start=start, numbers=numbers or {}, spacing=spacing, doc=metadata.describe(issue),
                           geometry=geometry.of(issue.meta["trim"]),
                           color_profile=Path(issue.meta["color_profile"]).as_uri(),
                           fonts=fonts.DECLARED, fonts_url=Path(fonts_dir).resolve().as_uri(),
                           layouts=Path(layouts).resolve().as_uri())


def _contents_at(issue):
    # The contents page stands before the first article it lists; inside-cover pieces come first.
    return next((n for n, a in enumerate(issue.articles) if a.toc), len(issue.articles))


def _file(issue, article):
    return article.path.relative_to(issue.root).as_posix()


def _block(article, prev, scale, file, shifts=()):
    new_page = prev is None or (prev.page != article.page if article.page is not None else fit.own_pages(prev, article))
    figures = {size: tuple(Figure(i, fit.height(article, i, scale, portrait), item, portrait)
                           for n, i in enumerate(article.images) if i.size == size
                           for item, portrait in [(f"{file}|images[{n}]", _portrait(i))])
               for size in ("column", "wide", "page")}
    quotes = tuple((cjk_spans.kept_end(q), f"{file}|pullquote[{n}]") for n, q in enumerate(article.pullquote))
    body = floats.defer(_place(_tagged(article.html, file), figures["column"], quotes), shifts)
    return Block(article=article, file=file, new_page=new_page,
                 body=floats.close(body, _credit_html(article.credit, file)) if article.credit else body,
                 lead_images=figures["wide"], page_images=figures["page"],
                 missing_images=tuple(i for i in article.images if not i.exists))


def _portrait(image):
    """Whether a photo that is there stands taller than wide, as it is seen (the loader read its size)."""
    return image.exists and image.size != "page" and image.seen[0] < image.seen[1]


def _place(html, images, quotes):
    """Spread column photos and pull quotes evenly between the body's top-level blocks.

    They go between blocks, never inside a paragraph, so a paragraph's text stays whole
    for search and copy. quotes: (text, item id) pairs.
    """
    parts = floats.blocks(html)
    # A photo with `after:` stands after the block that holds its text (load.py checked there is one).
    anchors = {f: _anchor(parts, f.image.after) for f in images if f.image.after}
    anchored = [(_gap(parts, n), ("image", f)) for f, n in anchors.items() if n is not None]
    images = [f for f in images if anchors.get(f) is None]
    # Alternate quotes and photos so neither clusters, then space them out through the text.
    inserts = [kv for pair in itertools.zip_longest([("quote", q) for q in quotes],
                                                    [("image", i) for i in images]) for kv in pair if kv]
    if not anchored and (not inserts or len(parts) < 2):
        return html + "".join(_insert_html(k, v) for k, v in inserts)
    step = len(parts) / (len(inserts) + 1)
    # A list, not a dict keyed by gap: two inserts that round to the same gap both stand there,
    # in their order (a dict kept only the last, and a photo vanished without a word).
    spread = [(_gap(parts, max(1, round(step * (n + 1)))), kv) for n, kv in enumerate(inserts)]
    queue = sorted(spread + anchored, key=lambda gap_kv: gap_kv[0])       # stable: spread first at one gap
    out = []
    for n, part in enumerate(parts):
        while queue and queue[0][0] <= n:
            out.append(_insert_html(*queue.pop(0)[1]))
        out.append(part)
    out.extend(_insert_html(*kv) for _, kv in queue)
    return "".join(out)


def _anchor(parts, after):
    """The gap after the first block whose text holds `after` (as load.plain folds both), or None."""
    wanted = load.plain(after)
    return next((n for n, part in enumerate(parts, 1)
                 if wanted in load.plain(printed_text(part))), None)


def _gap(parts, n):
    """The first gap at or after `n` where an insert may stand (floats.may_stand; len(parts): the end)."""
    while not floats.may_stand(parts, n):
        n += 1
    return n


def _tagged(html, file):
    """The body with each top-level block's inventory id as a `data-item` attribute."""
    return "".join(re.sub(r"^<([a-z][a-z0-9]*)",
                          lambda m: markupsafe.Markup('<%s data-item="%s"') % (m.group(1), f"{file}|body[{n}]"),
                          block, count=1)
                   for n, block in enumerate(floats.blocks(html)))


def inventory(issue):
    """Every Item of the issue's data that must be printed, in issue order."""
    items = []
    for page in ("cover", "back_cover"):
        image = (issue.meta.get(page) or {}).get("image")
        if image:
            items += _photo_items("issue.yaml", f"{page}.image", image)
    for a in issue.articles:
        file = _file(issue, a)
        items.append(Item(file, "title", f"title “{a.title}”"))
        for n, block in enumerate(floats.blocks(a.html)):
            tag = re.match(r"\s*<([a-z0-9]+)", block)
            name = _BLOCK_NAMES.get(tag.group(1) if tag else "", "block")
            items.append(Item(file, f"body[{n}]", f"{name} {_quoted(markupsafe.Markup(block).striptags())}"))
        for n, image in enumerate(a.images):
            items += _photo_items(file, f"images[{n}]", image)
        items += [Item(file, f"pullquote[{n}]", f"pull quote {_quoted(q)}") for n, q in enumerate(a.pullquote)]
        if a.credit:
            items.append(Item(file, "credit", f"credit “{a.credit}”"))
    return items


_BLOCK_NAMES = {"p": "paragraph", **{f"h{n}": "heading" for n in range(1, 7)}, "ul": "list", "ol": "list",
                "blockquote": "box", "pre": "code block", "table": "table"}


def _quoted(text, most=24):
    """The start of a text, to name it in a message."""
    text = " ".join(text.split())
    return f"“{text[:most]}…”" if len(text) > most else f"“{text}”"


def _photo_items(file, key, image):
    items = [Item(file, key, f"photo {image.src}", image)]
    if image.caption:
        items.append(Item(file, f"{key}.caption", f"caption “{image.caption}”"))
    if image.credit:
        items.append(Item(file, f"{key}.credit", f"credit “{image.credit}”"))
    return items


def _credit_html(credit, file):
    # The article's closing credit, (记者 张三 摄影): set after its last text block, where the CSS
    # keeps it with that block's last lines (a photo after it would otherwise part the two).
    return environment().get_template("_credit.html.j2").render(credit=credit, file=file) + "\n"


def _insert_html(kind, value):
    # On lines of its own: floats.blocks splits the body at line ends, and an insert that ran on
    # into the next paragraph's line was one block with it: deferring the photo carried the
    # paragraph past the text after it, and the article printed out of order.
    return environment().get_template("_insert.html.j2").render(kind=kind, value=value) + "\n"
