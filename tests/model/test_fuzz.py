"""Fuzzing the loader and the text stage: random bytes, random YAML and Markdown structures and
damaged photos are either accepted or refused as input errors (exit 2), never anything else,
each within 1.5 GB more address space than the test process had."""
import contextlib
import io
import resource
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from periodical import build as pipeline
from periodical.errors import InputError

from ..conftest import MINIMAL_YAML, write_issue

EXTRA_MEMORY = 1536 * 2 ** 20
EXAMPLES = 150

KEYS = ["title", "section", "subtitle", "kicker", "byline", "dateline", "credit", "page", "toc", "toc_title",
        "layout", "pullquote", "images", "src", "caption", "size", "<<", "? x"]
PASTED = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x07\x1b\x00\x85\r\t"
text = st.text(alphabet=st.sampled_from(list("委员会议提案春节，。“”《》 -:#&*!|>'\"[]{}%@`ab1\n") + list(PASTED)),
               max_size=30)
chinese = st.text(alphabet="委员会议提案春节哈尔滨政协", min_size=1, max_size=8)
scalar = st.one_of(text, st.integers(-5, 100), st.floats(allow_nan=True), st.booleans(), st.none())
value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS), text), inner, max_size=4)),
    max_leaves=12)
# Pieces of YAML syntax that safe_dump never writes: anchors, aliases, merge keys, tags, flow, blocks.
YAML_BITS = ["&a ", "*a", "<<: *a", "!!binary ", "!!set ", "!!python/object:os.system ", "? ", "- ", "[", "]",
             "{", "}", ": ", "'", '"', "|\n  ", ">-\n  ", "# ", "%YAML 1.1\n", "\n---\n", "\n...\n", "\\u200b",
             "\t", "@", "`", "2024-01-01", "0x1F", "~", "\n  "]
MARKDOWN_BITS = ["# ", "## ", "### ", "> ", ">>> ", "- ", "1. ", "999999999. ", "* ", "```\n", "    ", "\n", "\n\n",
                 "![图](images/a.jpg)", "![x](../../etc/passwd)", "[链接](http://example.com)", "<div>", "<!--",
                 "&#8203;", "&#x7;", "&#0;", "&amp;", "**", "_", "|a|b|\n|-|-|\n", "---", "***", "\\", "委员会提案",
                 "Latin words", "2024年", "（", "）", "“", "\u3000", "\u200b", "\x1b[31m", "\x07", "\ufeff"]


def _photo_bytes():
    out = {}
    picture = Image.effect_mandelbrot((64, 48), (-2, -1.5, 1, 1.5), 30).convert("RGB")
    for fmt in ("JPEG", "PNG", "TIFF"):
        buffer = io.BytesIO()
        picture.save(buffer, fmt)
        out[fmt] = buffer.getvalue()
    return out


PHOTOS = _photo_bytes()


@st.composite
def damaged_photo(draw):
    """A small photo cut short, with bytes overwritten, or random bytes."""
    data = bytearray(draw(st.sampled_from(sorted(PHOTOS.values()))))
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data) if draw(st.integers(0, 9)) else draw(st.binary(max_size=200))


@st.composite
def front_matter(draw):
    """Mostly valid keys with random values and extras, sometimes spliced with raw YAML syntax."""
    keys = {"title": draw(st.one_of(chinese, text, value)), "section": draw(st.sampled_from(["news", "views", "nope"]))}
    if draw(st.booleans()):
        keys.update(draw(st.dictionaries(st.sampled_from(KEYS), st.one_of(chinese, value), max_size=3)))
    if draw(st.booleans()):
        keys["images"] = draw(st.one_of(st.just([{"src": "images/a.jpg", "caption": draw(text)}]), st.lists(value)))
    dumped = yaml.safe_dump(keys, allow_unicode=True, default_flow_style=draw(st.sampled_from([None, True, False])))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(dumped)))
        dumped = dumped[:at] + draw(st.sampled_from(YAML_BITS)) + dumped[at:]
    return dumped


markdown = st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), text), min_size=0, max_size=25).map("".join)


@st.composite
def issue_files(draw):
    """(issue.yaml, article file, photo) as bytes: structured, spliced or wholly random."""
    body = draw(markdown) + draw(st.sampled_from(["", "\n\n正文。\n", "\n\n正文。\n"]))
    article = f"---\n{draw(front_matter())}---\n\n{body}\n".encode("utf-8", "surrogatepass")
    issue_yaml = MINIMAL_YAML.encode()
    kind = draw(st.sampled_from(["structured", "structured", "structured", "random article", "random issue.yaml",
                                 "spliced issue.yaml"]))
    if kind == "random article":
        article = draw(st.binary(max_size=300))
    elif kind == "random issue.yaml":
        issue_yaml = draw(st.binary(max_size=300))
    elif kind == "spliced issue.yaml":
        at = draw(st.integers(0, len(MINIMAL_YAML)))
        issue_yaml = (MINIMAL_YAML[:at] + draw(st.sampled_from(YAML_BITS)) + draw(text) + MINIMAL_YAML[at:]).encode()
    return issue_yaml, article, draw(st.one_of(st.none(), damaged_photo(), st.sampled_from(sorted(PHOTOS.values()))))


@contextlib.contextmanager
def address_space_limit(extra):
    """Allow this process `extra` bytes of address space beyond what it has now (MemoryError after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = next(int(line.split()[1]) * 1024 for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("VmSize:"))
    limit = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_the_loader_and_text_stage_accept_or_refuse_every_input():
    outcomes = Counter()
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(files=issue_files())
    def accept_or_refuse(files):
        issue_yaml, article, photo = files
        shutil.rmtree(folder / "i", ignore_errors=True)
        write_issue(folder / "i", None, {"01-a.md": article, "02-b.md": "---\ntitle: 乙\nsection: news\n---\n\n正文\n"})
        (folder / "i" / "issue.yaml").write_bytes(issue_yaml)
        if photo is not None:
            (folder / "i" / "images").mkdir()
            (folder / "i" / "images" / "a.jpg").write_bytes(photo)
        try:
            pipeline.prepare(folder / "i")
        except InputError as e:
            assert e.problems and all(p.file and p.message for p in e.problems)
            outcomes["refused"] += 1
        else:
            outcomes["accepted"] += 1

    try:
        with address_space_limit(EXTRA_MEMORY):
            accept_or_refuse()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert outcomes["accepted"] >= 10 and outcomes["refused"] >= 10, outcomes
