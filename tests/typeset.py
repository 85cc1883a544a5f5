"""Fixture pages for the typesetting tests: paragraphs rendered by the real renderer and read back.

`page()` sets a body in the magazine's stylesheet, in one column of a whole number of ems, on a
page whose margins are known, so a test can say where a line must start and end.
"""
import weasyprint

from periodical import fonts
from periodical.check import pdfchars
from periodical.compose.compose import FONTS, LAYOUTS
from periodical.render import render
from periodical.text import text  # noqa: F401  (render patches WeasyPrint)

EM = 9.0                  # pt: the body size of the fixtures
LEADING = 1.62            # line height, in em
MARGIN = 20.0             # pt: the page margin, so the column's left edge
# Distinct Han characters (千字文), to fill lines without accidental break rules.
HAN = ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"
       "剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐")


def page(body, width=20, height=None, css=""):
    """HTML for a page with `body` (HTML) in a column `width` em wide; `height` in lines."""
    faces = "".join(f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
                    f'src: url({(FONTS / f.file).as_uri()}); }}' for f in fonts.DECLARED)
    area = height * pitch() + 2 if height else 800
    return f"""<!DOCTYPE html><html lang="zh-CN"><head>
<link rel="stylesheet" href="{(LAYOUTS / 'magazine.css').as_uri()}">
<style>{faces}
{"".join(f"@page{side} {{ size: {2 * MARGIN + width * EM}pt {2 * MARGIN + area}pt; margin: {MARGIN}pt; "
         "@bottom-right { content: none } @top-right { content: none } "
         "@bottom-left { content: none } @top-left { content: none } }"
         for side in ("", " :left", " :right"))}
.body {{ column-count: 1; font-size: {EM}pt; line-height: {LEADING}; }}
{css}</style></head><body><div class="body">{body}</div></body></html>"""


def pitch():
    """The body's line pitch in pt."""
    return LEADING * EM


def markdown(source):
    """A body as the text stage makes it from Markdown."""
    html, problems = text.render_markdown(source)
    assert problems == []
    return html


def render_pdf(path, html):
    weasyprint.HTML(string=html, base_url=LAYOUTS.as_uri() + "/").write_pdf(path)
    return path


def body_lines(path):
    """The lines of the body face, in reading order."""
    return [line for line in pdfchars.lines(pdfchars.read_pages(path)) if line.face == "Noto-Serif-SC"]


def right_edge(width=20):
    return MARGIN + width * EM
