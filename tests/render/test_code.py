"""Code in a Chinese paragraph: the monospace face at the body's x-height, broken anywhere, no loose line.

Paragraphs go through the real text stage and WeasyPrint (patched by periodical.render.cjk_justify);
every assertion is on what the PDF holds: each character's face, size and position.
"""
from periodical.check import pdfchars, typography
from periodical.text import cjk

from .. import typeset as t

MONO = "Noto-Sans-Mono-SC"
SHORT = "rate(http_requests_total[5m])"                      # breaks only where break-all allows
LONG = "sum_by_job_rate_http_requests_total_5m_and_instance_label_values_over_time_window"
SOURCE = (f"运维团队用表达式`{SHORT}`计算每秒请求数，管道压力超过时自动告警，平均响应时间缩短到以内。"
          f"例如`{LONG}`这一长串代码，运维团队用`node_cpu`采集设备指标，用`a`表达式计算每秒请求数，"
          "管道压力超过时自动告警，平均响应时间缩短到以内，大家一致认为要坚持问题导向。\n\n"
          "```\nsum by (job) (rate(http_requests_total[5m]))  # a comment long enough to wrap in the column\n```\n\n"
          "调研组先后走访了三个街道和五家企业，实地察看了项目建设和生产经营情况，委员们围绕推动高质量发展建言献策。\n")


def read(tmp_path, source=SOURCE):
    pdf = t.render_pdf(tmp_path / "code.pdf", t.page(t.markdown(source)))
    return pdfchars.lines(pdfchars.read_pages(pdf))


def test_code_is_in_the_monospace_face_at_the_body_s_x_height(tmp_path):
    chars = [c for line in read(tmp_path) for c in line.chars]
    code = "".join(c.ch for c in chars if c.face == MONO)
    assert SHORT in code and "node_cpu" in code and "sum by (job)" in code
    assert "表达式" not in code
    # Noto Sans Mono CJK's x is 544/1000 em high, Noto Serif CJK's 516/1000: 0.95 em, inline and in a block.
    assert {round(c.em / t.EM, 3) for c in chars if c.face == MONO} == {0.95}
    assert {c.em for c in chars if c.face != MONO} == {t.EM}


def test_code_breaks_anywhere_and_no_line_of_its_paragraph_is_loose_or_off_the_edge(tmp_path):
    lines = read(tmp_path)
    # The code after 表达式 starts on the paragraph's first line, which it fills: pushed whole to
    # the next line (its gap's margin counted after the width was used up), it left 8 characters
    # stretched across the line.
    assert lines[0].text.startswith("运维团队用表达式rate(") and lines[1].text.startswith(SHORT[len(lines[0].text) - 8:])
    text = [line for line in lines if not line.text.startswith(("sum by", "(rate", "comment", "wrap"))]
    for line in text[:-1]:
        if not line.text.endswith("。"):
            assert abs(line.right - t.right_edge()) <= 0.6, (line.text, line.right)
    assert typography.violations(lines) == []


def test_inline_code_next_to_han_takes_the_quarter_em_gap(tmp_path):
    pairs = [(line, a, b) for line in read(tmp_path) for a, b in zip(line.chars, line.chars[1:])
             if (a.face == MONO) != (b.face == MONO) and (cjk.is_han(a.ch) or cjk.is_han(b.ch))]
    assert len(pairs) >= 6                     # 式r )计 如s w这 用n u采 用a a表
    for line, a, b in pairs:
        gap = b.x - a.right
        assert 0.2 * t.EM <= gap <= 0.45 * t.EM, (line.text, a.ch + b.ch, gap / t.EM)


def test_a_line_of_code_alone_inside_a_paragraph_is_still_that_paragraph_s(tmp_path):
    lines = read(tmp_path)
    alone = [line for line in lines if line.face == MONO and LONG[5:15] in line.text]
    assert alone, [line.text for line in lines]       # the fixture makes one: LONG fills a line
    assert typography.violations(lines) == []
    # A code block stands apart: the paragraph after it starts indented, as its first line.
    after = next(line for line in lines if line.text.startswith("调研组"))
    assert after.x0 - lines[1].x0 >= 2 * t.EM - 0.5
