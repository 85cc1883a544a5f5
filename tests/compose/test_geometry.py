"""The page geometry of a trim: the reference format keeps its numbers, others scale, columns follow the width."""
import pytest

from periodical.compose import geometry
from periodical.model import trim


def test_the_reference_format_keeps_the_house_style_numbers():
    css = geometry.of(trim.DEFAULT).css
    # The numbers magazine.css held before the trim was read: issue 148 must lay out the same.
    assert (css["trim-width"], css["trim-height"]) == ("210mm", "285mm")
    assert [css[f"page-{s}"] for s in ("top", "outer", "bottom", "inner")] == ["22mm", "17mm", "20mm", "20mm"]
    assert (css["body-columns"], css["body-gap"]) == ("2", "calc(100% - 52em)")
    assert (css["news-columns"], css["news-gap"]) == ("3", "calc((100% - 51em) / 2)")
    assert css["scale-x"] == css["scale-y"] == "1"


@pytest.mark.parametrize("size,body,news", [
    ("185×260", 2, 3), ("210×297", 2, 3), ("140×203", 1, 2), ("100×140", 1, 1), ("300×420", 3, 4),
])
def test_columns_follow_the_width_and_hold_whole_characters(size, body, news):
    g = geometry.of(trim.parse(size))
    top, outer, bottom, inner = g.margins["page"]
    width = g.trim.width - outer - inner
    assert (g.columns["body"].count, g.columns["news"].count) == (body, news)
    for c in g.columns.values():
        # Whole characters, and at least the narrowest gap between the columns (no wider than a character more).
        gaps = width - c.count * c.chars * geometry.BODY_EM
        assert (c.count - 1) * geometry.MIN_GAP <= gaps < (c.count - 1) * geometry.MIN_GAP + c.count * geometry.BODY_EM


def test_margins_scale_with_the_trim():
    small, large = geometry.of(trim.parse("140×203")), geometry.of(trim.parse("300×420"))
    for kind, ref in geometry.MARGINS.items():
        assert all(s < r < l for s, r, l in zip(small.margins[kind], ref, large.margins[kind]))
