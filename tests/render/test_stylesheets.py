"""A part's stylesheets parsed once and handed to WeasyPrint draw what its own <link> and <style> draw."""
import shutil

import weasyprint

from periodical import build, fonts
from periodical.compose import compose
from periodical.render import render

from ..conftest import ISSUE148


def _issue148():
    issue, used = build.prepare(ISSUE148)
    layouts = "".join(p.read_text(encoding="utf-8") for p in sorted(compose.LAYOUTS.iterdir()) if p.is_file())
    return issue, fonts.subset("".join(used) + layouts, build.CACHE / "fonts")


def _fetcher(issue, font_dir):
    return render.IssueFetcher([issue.root, render.LAYOUTS, render.FONTS, font_dir, *build._resources(issue)])


def _as_written(html, issue, font_dir):
    """The part laid out by WeasyPrint from its own markup, stylesheets and all."""
    return weasyprint.HTML(string=html, base_url=issue.root.resolve().as_uri() + "/",
                           url_fetcher=_fetcher(issue, font_dir)).render(font_config=render._font_config())


def test_parts_drawn_with_the_parsed_stylesheets_are_the_bytes_of_their_own_markup():
    # The speech takes its page style from magazine.css (.article.layout-speech) against the
    # section's page from the head's rules (.sec-…): which wins must not change with the origin.
    issue, font_dir = _issue148()
    parts = {p.name: p for p in compose.parts(issue)}
    for name in ("cover", "contents", "02-new-year-speech", "06-standing-committee-report"):
        part = parts.get(name) or next(p for p in parts.values() if name in p.slugs)
        html = compose.compose(issue, part, 3, fonts_dir=font_dir)
        body, sheets, files, _ = render._stylesheets(html, issue.root.resolve().as_uri() + "/", _fetcher(issue, font_dir))
        assert len(sheets) == 2 and "<style>" not in body and str(compose.LAYOUTS / "magazine.css") in files
        laid = render.layout(html, issue.root, font_dir, build._resources(issue))
        assert laid.document.write_pdf() == _as_written(html, issue, font_dir).write_pdf(), name


def test_a_changed_stylesheet_is_read_again_and_a_document_it_cannot_take_whole_is_left_as_it_is(tmp_path):
    issue, font_dir = _issue148()
    layouts = tmp_path / "layouts"
    shutil.copytree(compose.LAYOUTS, layouts)
    part = next(p for p in compose.parts(issue) if "06-standing-committee-report" in p.slugs)
    html = compose.compose(issue, part, 7, fonts_dir=font_dir, layouts=layouts)
    before = render.layout(html, issue.root, font_dir, (*build._resources(issue), layouts))
    css = layouts / "magazine.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.article p { font-size: 14pt; }\n", encoding="utf-8")
    after = render.layout(html, issue.root, font_dir, (*build._resources(issue), layouts))
    assert len(after.pages) > len(before.pages)
    assert after.files[str(css.resolve())] != before.files[str(css.resolve())]
    # A sheet written otherwise than the layouts write it: all are left to WeasyPrint.
    odd = html.replace("<style>", "<style media='print'>", 1)
    assert render._stylesheets(odd, "file:///", render.IssueFetcher([layouts]))[:2] == (odd, [])
