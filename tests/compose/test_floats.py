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
