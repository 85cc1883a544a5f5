"""Text pasted from the web or WeChat: invisible and control characters are removed from every
text field, each kind reported once per file as a warning with its line; the build goes on."""
import re

import pytest

from periodical import build as pipeline
from periodical.errors import InputError
from periodical.model import invisible, load
from periodical.text import text

from ..bounded import run_bounded
from ..conftest import MINIMAL_YAML, run_cli, write_issue
from ..pdftext import body_text

REMOVED = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x07\x1b"

# What a paste from a WeChat article and a terminal leaves: zero-width spaces, a BOM inside
# the text, soft hyphens, a BEL and an ANSI colour code, in the front matter and in the body.
WECHAT = (
    "---\n"
    "title: 委员\u200b履职\x07故事\n"                    # line 2
    "section: news\n"
    "byline: 记者\u00ad张三\n"                           # line 4
    "pullquote: 为民\u2060履职\n"                        # line 5
    "---\n"
    "\n"
    "据\u200b微信公众号消息，\x1b[31m委员们\x1b[0m走访了\ufeff困难群众。\n"     # line 8
    "\n"
    "春节\u00ad前夕\u200b\u200b送去慰问品\x07，群众\u200c很满意。\n"          # line 10
)


@pytest.fixture
def wechat(tmp_path):
    folder = write_issue(tmp_path / "wechat", MINIMAL_YAML.replace("[主编, 张三]", "[主编, 张\u200d三]"),
                         {"01-wechat.md": WECHAT})
    return tmp_path, folder


def test_a_paste_from_wechat_builds_with_one_warning_per_kind_and_file(wechat):
    cwd, _ = wechat
    proc = run_bounded("build", "wechat", "--out", cwd / "out", cwd=cwd)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    warnings = [line for line in proc.stdout.splitlines() if "removed" in line]
    article = "warning: wechat/articles/01-wechat.md"
    expected = [
        f"{article}:2: U+200B ZERO WIDTH SPACE (invisible) removed 4 times, the first on this line",
        f"{article}:2: U+0007 BELL (a control character) removed 2 times, the first on this line",
        f"{article}:4: U+00AD SOFT HYPHEN (invisible) removed 2 times, the first on this line",
        f"{article}:5: U+2060 WORD JOINER (invisible) removed once",
        f"{article}:8: U+001B ESCAPE (an ANSI terminal code, removed with its parameters) removed 2 times, "
        "the first on this line",
        f"{article}:8: U+FEFF ZERO WIDTH NO-BREAK SPACE (invisible) removed once",
        f"{article}:10: U+200C ZERO WIDTH NON-JOINER (invisible) removed once",
        f"warning: wechat/issue.yaml:{MINIMAL_YAML[:MINIMAL_YAML.index('[主编')].count(chr(10)) + 1}: "
        "U+200D ZERO WIDTH JOINER (invisible) removed once",
    ]
    assert sorted(warnings) == sorted(expected)
    assert "2024-03" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_printed_text_holds_the_words_without_the_invisible_characters(wechat):
    cwd, _ = wechat
    assert run_cli("build", "wechat", "--out", cwd / "out", cwd=cwd).returncode == 0
    text = body_text(cwd / "out" / "print.pdf", exact=True)
    squeezed = re.sub(r"\s", "", text)
    for words in ("委员履职故事", "记者张三", "为民履职", "据微信公众号消息，委员们走访了困难群众。",
                  "春节前夕送去慰问品，群众很满意。", "张三"):
        assert words in squeezed, words
    assert not set(REMOVED) & set(text)
    assert "[31m" not in text and "[0m" not in text


def test_check_prints_the_same_warnings(wechat):
    cwd, _ = wechat
    proc = run_cli("check", "wechat", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert "warning: wechat/articles/01-wechat.md:8: U+001B ESCAPE" in proc.stdout


def test_escapes_and_character_references_are_removed_and_reported_too(minimal_issue):
    # YAML "\u200b" and "\a" and Markdown &#8203; make the characters after the file is read.
    (minimal_issue / "articles" / "01-first.md").write_text(
        '---\ntitle: "甲\\u200b乙\\a"\nsection: news\n---\n\n正文&#8203;第二&#xAD;句。\n', encoding="utf-8")
    issue, _ = pipeline.prepare(minimal_issue)
    assert issue.articles[0].title == "甲乙"
    assert re.sub("<[^>]+>", "", issue.articles[0].html).strip() == "正文第二句。"
    found = [str(w) for w in issue.warnings]
    assert any("01-first.md:2: title: U+200B ZERO WIDTH SPACE (invisible) removed once" in w for w in found), found
    assert any("01-first.md:2: title: U+0007 BELL" in w for w in found), found
    assert any("01-first.md:6: U+200B ZERO WIDTH SPACE (invisible) removed once (written as a character "
               "reference)" in w for w in found), found
    assert any("01-first.md:6: U+00AD SOFT HYPHEN" in w for w in found), found


def test_a_visible_character_the_fonts_lack_is_still_an_input_error(minimal_issue):
    (minimal_issue / "articles" / "01-first.md").write_text(
        "---\ntitle: 甲\nsection: news\n---\n\n正文\u200b𠀀。\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        pipeline.prepare(minimal_issue)
    assert [p.message.split(" (")[0] for p in e.value.problems] == ["character '𠀀'"]


@pytest.mark.parametrize("pasted, kept", [
    ("a\tb\nc", "a\tb\nc"),                       # tab and newline are text
    ("中文\u3000全角空格", "中文\u3000全角空格"),      # a visible space stays
    ("x\x1b[1;31my\x1bz", "xyz"),                  # a bare ESC goes alone
    ("\x00\x08\x0b\x0c\x7f\x85\x9f", ""),           # C0 and C1
])
def test_strip_keeps_text_and_removes_only_what_is_invisible(pasted, kept):
    assert invisible.strip(pasted)[0] == kept


def test_the_same_body_prepared_again_in_one_process_warns_again(wechat):
    # The preview server prepares the issue after every save; a body it rendered before comes
    # from memory (text._render_alone), with its warnings.
    _, folder = wechat
    first = text.prepare(load.load_issue(folder))
    again = text.prepare(load.load_issue(folder))
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert sum("01-wechat.md:10" in str(w) for w in again.warnings) == 1
    assert again.articles[0].html == first.articles[0].html
