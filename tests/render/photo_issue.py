"""A new issue with camera photos and no planned pages, as a new user writes one.

Each article reproduces one case of issue 13: a column photo that cannot fit at the foot of a
column, three photos in a two-paragraph article, a paragraph with a 40-character run of code
that has no break opportunity, and a landscape and a portrait full-page (`size: page`) photo,
followed by an article whose folio counts the photo pages.
The photos are made with Pillow: a gradient with a marked centre, so a crop shows on a page image.
"""
import json

import pytest
from PIL import Image, ImageDraw

from ..conftest import MINIMAL_YAML, run_cli, write_issue

SENTENCES = ("委员们围绕推动高质量发展建言献策，提出了许多具有前瞻性和可操作性的意见建议。",
             "会议听取了关于优化营商环境工作情况的通报，与会人员进行了深入讨论。",
             "大家一致认为，要坚持问题导向，聚焦群众急难愁盼，推动各项工作落地见效。",
             "调研组先后走访了三个街道和五家企业，实地察看了项目建设和生产经营情况。")
CODE = "http_requests_total_by_instance_and_job"          # 39 letters and underscores …
CODE_RUN = CODE + "s"                                    # … 40 with no break opportunity


def paragraph(n, sentences=3):
    """A paragraph of `sentences` sentences, varied by n so that paragraphs differ in length."""
    return "".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(sentences + n % 3))


def article(title, images=(), paragraphs=(), section="news"):
    front = [f"title: {title}", f"section: {section}"]
    if images:
        front.append("images:")
        front += [f"  - {{{', '.join(f'{k}: {v}' for k, v in image.items())}}}" for image in images]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def photo(path, size, colour):
    """A photo of `size` pixels: a gradient in `colour` with a cross at its centre."""
    width, height = size
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, max(1, width // 64)):
        shade = tuple(int(c * (0.5 + 0.5 * x / width)) for c in colour)
        draw.rectangle([x, 0, x + width // 64, height], fill=shade)
    draw.line([(width // 2, 0), (width // 2, height)], fill=(255, 255, 255), width=max(2, width // 200))
    draw.line([(0, height // 2), (width, height // 2)], fill=(255, 255, 255), width=max(2, width // 200))
    image.save(path, quality=90)


FOOT_PARAGRAPHS = 13    # puts the photo of 01-column-foot at the foot of its first column (tests check it does)

ARTICLES = {
    "01-column-foot.md": article(
        "一张照片放不进栏底", [{"src": "images/hall.jpg", "caption": "会议现场", "credit": "王明"}],
        [paragraph(n) for n in range(FOOT_PARAGRAPHS)]),
    "02-three-photos.md": article(
        "两段文字配三张照片",
        [{"src": f"images/visit-{n}.jpg", "caption": f"调研现场之{n}"} for n in (1, 2, 3)],
        [paragraph(n, 9) for n in range(2)]),
    "03-code.md": article(
        "告警规则用代码编写",
        paragraphs=[paragraph(1, 2),
                    "告警规则用PromQL编写，例如监控服务的请求总数时，运维人员写下" + CODE_RUN
                    + "这样的指标名称，再设定阈值和持续时间。" + paragraph(2, 2),
                    paragraph(3, 2)]),
    "04-page-photos.md": article(
        "整版照片铺满页面",
        [{"src": "images/landscape.jpg", "caption": "冰雪大世界全景", "credit": "李威", "size": "page",
          "focus": "[0.3, 0.5]"},
         {"src": "images/portrait.jpg", "caption": "松花江畔", "credit": "赵刚", "size": "page"}],
        [paragraph(n) for n in range(3)]),
    "05-after-photos.md": article("照片之后的文章", paragraphs=[paragraph(0, 1)], section="views"),
}


def write_photo_issue(folder):
    """Write the issue into folder (no `pages` keys: nothing is planned) and return it."""
    folder = write_issue(folder, MINIMAL_YAML, ARTICLES)
    images = folder / "images"
    images.mkdir(exist_ok=True)
    photo(images / "hall.jpg", (1600, 1200), (70, 110, 160))
    for n, colour in ((1, (150, 90, 60)), (2, (60, 140, 90)), (3, (120, 80, 150))):
        photo(images / f"visit-{n}.jpg", (1500, 1000), colour)
    photo(images / "landscape.jpg", (3000, 2000), (40, 90, 150))
    photo(images / "portrait.jpg", (2000, 3000), (150, 100, 40))
    return folder


@pytest.fixture(scope="session")
def photo_build(tmp_path_factory):
    """The photo issue built once through the command line: (issue folder, output folder, report)."""
    root = tmp_path_factory.mktemp("photo-issue")
    issue = write_photo_issue(root / "2024-03")
    proc = run_cli("build", issue, "--out", root / "out")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return issue, root / "out", json.loads((root / "out" / "report.json").read_text(encoding="utf-8"))
