"""What a laid-out page shows, as kept beside a drawn part: its inventory items and anchors.

Laid out here by WeasyPrint: an item counts where its box starts inside the sheet, a photo
where its image box stands (a file WeasyPrint cannot draw leaves only its alt text), running
heads and folios not at all; each item and anchor is listed on the first page it stands on.
"""
import weasyprint
from PIL import Image

from periodical.render import facts

OFF = "position: absolute; width: 10mm; height: 10mm"


def test_items_inside_the_sheet_on_their_first_page(tmp_path):
    Image.new("RGB", (40, 40)).save(tmp_path / "p.png")
    html = f"""<style>@page {{ size: 100mm 100mm; margin: 10mm;
                  @top-center {{ content: element(head) }} }}
               .head {{ position: running(head) }}</style>
    <div class="head" data-item="head">刊头</div>
    <p id="a" data-item="on">正文</p>
    <img data-item="photo" src="p.png" style="width: 10mm">
    <img data-item="broken" src="missing.png" alt="图">
    <div data-item="below" style="{OFF}; top: 91mm">下</div>
    <div data-item="right" style="{OFF}; left: 91mm">右</div>
    <div data-item="above" style="{OFF}; top: -21mm">上</div>
    <div data-item="left" style="{OFF}; left: -21mm">左</div>
    <div data-item="corner" style="{OFF}; top: -19mm; left: -19mm">角</div>
    <p id="b" data-item="on" style="break-before: page">又一页</p>
    <p data-item="next">第二页</p>"""
    document = weasyprint.HTML(string=html, base_url=tmp_path.as_uri() + "/").render()
    first, second = facts.pages(document.pages, ["a", "b"])
    assert first["items"] == ["on", "photo", "corner"]
    assert second["items"] == ["next"]                  # "on" again: listed where it first stood
    assert (first["anchors"], second["anchors"]) == (["a"], ["b"])
    assert (first["articles"], second["articles"]) == (["a"], ["b"])
