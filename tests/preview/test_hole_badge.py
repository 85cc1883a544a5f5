"""The page map marks a hole: a flatplan `hole` warning is a badge on its page."""
import json

from periodical.preview import preview

from ..render.photo_issue import photo_build  # noqa: F401  (a fixture)


def test_a_hole_warning_shows_as_a_badge_on_its_page(photo_build):  # noqa: F811
    manifest = json.loads((photo_build[1] / "preview" / "preview.json").read_text(encoding="utf-8"))
    assert "badge hole" not in preview.html(manifest)            # the built issue has none
    page = manifest["pages"][2]
    page["warnings"].append({"kind": "hole", "article": page["articles"][0],
                             "message": "column 1 ends 19% of the type area above its foot, and the article goes on overleaf"})
    shown = preview.html(manifest)
    assert f'id="page-{page["number"]}"' in shown
    badge = shown.split(f'id="page-{page["number"]}"')[1].split("</figure>")[0]
    assert 'class="badge hole"' in badge and ">hole<" in badge and "19% of the type area" in badge
