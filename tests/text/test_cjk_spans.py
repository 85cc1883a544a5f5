"""The text stage's Chinese clean-up and the spans it gives the layout (what the HTML says)."""
import re
from html import unescape

import pytest

from periodical.text import cjk_spans, text


def html(source):
    out, problems = text.render_markdown(source)
    assert problems == []
    return out


def plain(fragment):
    return re.sub(r"<[^>]+>", "", fragment).strip()


@pytest.mark.parametrize("source, cleaned", [
    ("办复率100%,上报社情民意", "办复率100%，上报社情民意"),          # a comma before Han
    ("工作站(室),为群众", "工作站（室），为群众"),                     # brackets first, then the comma
    ("名单(草案);审议", "名单（草案）；审议"),
    ('发展."好"', "发展。“好”"),
    ("处于 -15°C至", "处于-15°C至"),
    ("PM2.5,AQI", "PM2.5,AQI"),                                     # Latin text keeps its marks
    ("3.5亿", "3.5亿"),
])
def test_ascii_marks_in_chinese_become_full_width(source, cleaned):
    assert text.clean(source) == cleaned


def test_latin_runs_next_to_han_get_the_gap_spans_on_the_han_side_only():
    out = html("初心如磐，2022年召开PM2.5浓度（2023）下降3.5%。")
    assert '，<span class="latin han-after">2022</span>年' in out
    assert '开<span class="latin han-before han-after">PM2.5</span>浓' in out
    assert "（2023）" in plain(out) and 'latin han-before han-after">2023' not in out


def test_quotations_are_spans_and_adjacent_marks_are_halved():
    out = html("打造“七大都市”，构建“一体两翼”“双促进”的机制和其他内容。")
    assert '<span class="quote">“七大都市<span class="halt">”</span></span>，' in out
    assert '<span class="quote">“一体两翼<span class="halt">”</span></span><span class="quote">“双促进”</span>' in out


def test_the_last_two_characters_of_a_paragraph_are_kept_together():
    assert html("第一段的文字到此结束。").endswith('此<span class="keep">结束。</span></p>\n')
    # Inside a quotation the quote's span stops where the keep starts, so the line may break before “.
    assert '<span class="quote">“政协</span><span class="keep">答卷<span class="halt">”</span>。</span>' in \
        html("满意的“政协答卷”。")
    assert '第<span class="keep"><span class="latin han-before han-after">5</span>期</span>' in html("这是第5期")


def test_a_number_and_its_unit_are_kept_on_one_line():
    # Pango breaks after the slash of km/h and at the space of 80 km/h: the third issue printed 80 km/ | h.
    out = html("道路限速80 km/h，管道压力3.5\u00a0MPa，风速单位m/s，气温-15°C，共12项工作，网址https://a.cn/b。")
    for unit in ("80 km/h", "3.5\u00a0MPa", "m/s"):       # a no-break space, as pasted text has, too
        assert f'<span class="keep"><span class="latin han-before">{unit}</span></span>，' in out, unit
    # Without a place to break inside them, a number or a word needs no keep; a URL may break anywhere.
    assert '气温<span class="latin han-before">-15°C</span>' in out
    assert '<span class="keep"><span class="latin han-before han-after">12</span>' not in out
    assert 'class="keep"><span class="latin han-before">https' not in out


@pytest.mark.parametrize("source", [
    "a < b & “引号”中文2023年,PM2.5和“《书》”。",
    "他说：“好的。”然后“冰城”。",
    "处于-15°C至-4°C的低温，全年“一体两翼”“双促进”，第5期",
])
def test_spans_never_change_the_text(source):
    assert unescape(plain(html(source))) == text.clean(source)


def test_a_headline_keeps_its_last_characters_as_a_paragraph_does():
    assert '<span class="keep">速度”</span>' in cjk_spans.phrases("用源源不断的精彩建言 跑出政协履职“加速度”")
    assert '<span class="keep"><span class="latin han-before">56</span>）</span>' in cjk_spans.phrases("打造新材料（尼龙56）")


@pytest.mark.parametrize("line, marked", [
    # Display lines get the body's Han–Latin gap: issue 148's contents printed 尼龙56 where its body printed 尼龙 56.
    ("5G全覆盖", '<span class="latin han-after">5G</span>全覆盖'),
    ("1月4日，开幕", '<span class="latin han-after">1</span>月<span class="latin han-before han-after">4</span>日，开幕'),
    ("（2023）年 A&B", '（2023）年 A&amp;B'),                    # no Han beside it: no gap; escaped
])
def test_display_lines_get_the_han_latin_gap_spans(line, marked):
    assert cjk_spans.spaced(line) == marked
    assert unescape(plain(cjk_spans.spaced(line))) == line


def test_headlines_and_pull_quotes_get_the_gap_in_every_phrase_and_keep_their_end():
    out = cjk_spans.phrases("智慧港口 5G全覆盖 建成2025年")
    assert '<span class="phrase"><span class="latin han-after">5G</span>全覆盖</span>' in out
    assert '建成<span class="keep"><span class="latin han-before han-after">2025</span>年</span>' in out
    assert unescape(plain(out)) == "智慧港口 5G全覆盖 建成2025年"
    assert cjk_spans.kept_end("专网覆盖5G基站") == \
        '专网覆盖<span class="latin han-before han-after">5G</span><span class="keep">基站</span>'


def test_a_sub_heading_keeps_the_spaces_between_its_phrases_and_breaks_there():
    # 强化顶层设计 创新工作站建设 推动界别工作守正创新走在前列 (issue 148, p. 30): with its spaces
    # removed as a paragraph's are, it broke inside 创新.
    html, _ = text.render_markdown("## 强化顶层设计 创新工作站建设 推动界别工作守正创新走在前列\n\n正文 一段。\n")
    phrases = re.findall(r'<span class="phrase">(.*?)</span>(?: |</h2>)', html)
    assert [plain(p) for p in phrases] == ["强化顶层设计", "创新工作站建设", "推动界别工作守正创新走在前列"]
    assert "<p>正文<span" in html                          # a paragraph's space still goes
