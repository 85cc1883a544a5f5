"""Deferring inserts in the composed body: past text blocks, in order, never after a heading."""
from periodical.compose import floats

BODY = ("<p>一</p>\n"
        '<figure class="photo size-column">\n  <img src="a.jpg">\n</figure>\n'
        '<blockquote class="pullquote"><p>引语</p></blockquote>\n'
        "<p>二</p>\n<h2>小标题</h2>\n<p>三</p>\n<p>四</p>\n")


def order(body):
    return [b.split(">")[0].split()[0].lstrip("<") + ("" if "<p>" not in b[:3] else b[3])
            for b in floats.top_level(body)]


def test_no_deferral_leaves_the_body_as_it_is():
    assert floats.defer(BODY, ()) == BODY
    assert floats.defer(BODY, (0, 0)) == BODY


def test_an_insert_moves_past_text_blocks_and_never_between_a_heading_and_its_text():
    # The quote behind the photo is pushed along: it may not stand before it.
    assert order(floats.defer(BODY, (1,))) == ["p一", "p二", "figure", "blockquote", "h2", "p三", "p四"]
    moved = order(floats.defer(BODY, (2,)))
    assert moved.index("figure") == moved.index("p三") + 1          # over the heading, not after it


def test_inserts_never_overtake_each_other():
    for shifts in ((3,), (3, 0), (2, 1), (5, 5)):
        moved = order(floats.defer(BODY, shifts))
        assert moved.index("figure") < moved.index("blockquote"), shifts
        assert [b for b in moved if b not in ("figure", "blockquote")] == ["p一", "p二", "h2", "p三", "p四"]


def test_inserts_that_carry_an_id_are_found_too():
    body = BODY.replace('<figure class=', '<figure id="fig-1" class=')
    moved = order(floats.defer(body, (2,)))
    assert moved.index("figure") == moved.index("p三") + 1


def test_a_paragraph_with_a_soft_line_break_moves_whole():
    # markdown-it writes a soft return as a line break inside the <p>: a deferral moves the insert
    # past the whole paragraph, never into it (compose places inserts with the same split).
    body = '<p>一</p>\n<figure class="photo size-column">\n</figure>\n<p>二上<br>\n二下</p>\n<p>三</p>\n'
    moved = floats.defer(body, (1,))
    assert moved == '<p>一</p>\n<p>二上<br>\n二下</p>\n<figure class="photo size-column">\n</figure>\n<p>三</p>\n'
    assert floats.blocks(body) == floats.top_level(body)


def test_the_inserts_compose_places_are_blocks_of_their_own_and_deferring_them_keeps_the_text_in_order():
    # As compose places them (not written by hand, as above): a photo rendered by its template
    # ran on into the next paragraph's line, the two were one block, and deferring the photo
    # carried the paragraph past the text after it. Issue 148's articles with column photos.
    from periodical import build
    from periodical.compose import compose, fit

    from ..conftest import ISSUE148
    issue, _ = build.prepare(ISSUE148)
    articles = [a for a in issue.articles if any(i.size == "column" for i in a.images)]
    assert len(articles) >= 10
    for a in articles:
        figures = [compose.Figure(i, fit.height(a, i), f"images[{n}]", False)
                   for n, i in enumerate(a.images) if i.size == "column"]
        quotes = [(q, f"pullquote[{n}]") for n, q in enumerate(a.pullquote)]
        placed = compose._place(compose._tagged(a.html, "f"), figures, quotes)
        blocks = floats.top_level(placed)
        inserts = [b for b in blocks if floats.INSERT.match(b.lstrip())]
        assert len(inserts) == len(figures) + len(quotes), a.slug
        assert all("data-item=\"f|body[" not in b for b in inserts), a.slug
        text = [b for b in blocks if b not in inserts]
        for shifts in ((1,), (2, 1), (3, 3, 3), (9,) * 9):
            moved = floats.top_level(floats.defer(placed, shifts))
            assert [b for b in moved if not floats.INSERT.match(b.lstrip())] == text, (a.slug, shifts)
