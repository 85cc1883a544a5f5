"""The declared data contract: every key an editor may write, its type, default and meaning.

`validate()` checks one YAML mapping against a list of fields and reports every problem,
each with the line of the offending key. Rules that involve two keys or two files live in load.py.
"""
import datetime
import difflib
from dataclasses import dataclass

from periodical import icc
from periodical.model import trim

TEXT, INT, DATE, BOOL, TEXTS, RECORDS, PAIRS, MAPPING, SIZE = (
    "text", "whole number", "date (YYYY-MM-DD)", "true or false",
    "text or list of texts", "list of mappings", "list of [label, value] pairs", "mapping",
    "size (width×height mm)")
POINT = "[x, y] with x and y from 0 to 1"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    doc: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    fields: tuple = ()          # sub-fields of a RECORDS or MAPPING field
    bounds: tuple = ()          # (least, most) of an INT field


IMAGE = (
    Field("src", TEXT, "path of the photo inside the issue folder", required=True),
    Field("caption", TEXT, "caption printed under the photo"),
    Field("credit", TEXT, "credit line, printed exactly as written (张三 摄, 新华社, 读者 供图)"),
    Field("size", TEXT, "column | wide | page", default="column", choices=("column", "wide", "page")),
    Field("focus", POINT, "the point of the photo a crop is centred on, [x, y] from the top left; "
          "a `page` photo is cropped to cover its page", default=(0.5, 0.5)),
    Field("after", TEXT, "a column photo stands after the first heading or paragraph of the body that "
          "contains this text, not where the photos are spread evenly; it may still move on, never back"),
)
# The covers' photos fill the frame the layout gives them: they take no size, and are cropped in the middle.
COVER_IMAGE = tuple(f for f in IMAGE if f.name not in ("size", "focus", "after"))

SECTION = (
    Field("id", TEXT, "short Latin id that articles name in `section`", required=True),
    Field("title", TEXT, "Chinese section title (running head, contents)", required=True),
    Field("en", TEXT, "English section title (running head, contents)", required=True),
    Field("layout", TEXT, "default layout of the section's articles", default="report",
          choices=("report", "news", "advice", "names", "speech")),
)

ISSUE = (
    Field("publication", TEXT, "刊名, the masthead", required=True),
    Field("year", INT, "year of the issue", required=True),
    Field("number", INT, "期: number of the issue within the year", required=True),
    Field("total", INT, "总第N期: running number since the first issue", required=True),
    Field("date", DATE, "印刷日期, printing date", required=True),
    Field("permit", TEXT, "准印证号, printing permit", required=True),
    Field("print_run", INT, "印数, copies printed", required=True),
    Field("sections", RECORDS, "sections in contents order", required=True, fields=SECTION),
    Field("colophon", PAIRS, "版权页: ordered [label, value] pairs; a value may be a list of lines", required=True),
    Field("publication_en", TEXT, "the masthead in Latin letters (back cover)", default=""),
    Field("frequency", TEXT, "期数 line of the colophon", default="每月一期"),
    Field("notice", TEXT, "distribution notice on the cover", default="内部资料 免费交流"),
    Field("sponsor", TEXT, "主办 line on the contents page", default=""),
    Field("slogan", TEXT, "motto under the masthead in the colophon box", default=""),
    Field("award", TEXT, "award line above the masthead", default=""),
    Field("pages", INT, "planned page count; the build pads to it and reports overruns", default=None),
    Field("trim", SIZE, "trim size as 'W×H mm', from 100×140 to 300×420 mm", default=trim.DEFAULT),
    Field("color_profile", TEXT, "ICC profile of the printing condition (a CMYK printer profile): "
          "a path inside the issue folder or an absolute path", default=str(icc.DEFAULT_CMYK)),
    Field("photo_ppi", INT, "resolution photos are prepared to at their placed size (never upsampled)",
          default=300, bounds=(150, 450)),
    Field("photo_colour", TEXT, "cmyk: photos converted to the printing condition's profile; "
          "rgb: kept sRGB (ICC-tagged) for the press to convert", default="cmyk", choices=("cmyk", "rgb")),
    Field("cover", MAPPING, "cover headline, subhead and photo", default=None, fields=(
        Field("headline", TEXT, "main cover line"),
        Field("subhead", TEXT, "second cover line"),
        Field("image", MAPPING, "cover photo", fields=COVER_IMAGE),
        Field("lead", TEXT, "file name (without .md) of the article the cover refers to; "
              "its title and subtitle are the cover lines the cover does not give"),
    )),
    Field("back_cover", MAPPING, "back-cover photo page", default=None, fields=(
        Field("title", TEXT, "title line"),
        Field("subtitle", TEXT, "second line"),
        Field("image", MAPPING, "back-cover photo", fields=COVER_IMAGE),
    )),
)

LAYOUTS = ("report", "news", "advice", "names", "speech")

ARTICLE = (
    Field("title", TEXT, "headline", required=True),
    Field("section", TEXT, "id of a section declared in issue.yaml", required=True),
    Field("subtitle", TEXT, "line under the title"),
    Field("kicker", TEXT, "small line above the title"),
    Field("byline", TEXT, "author or speaker"),
    Field("dateline", TEXT, "date line under the byline"),
    Field("credit", TEXT, "source line printed at the end, e.g. 全媒体工作室 李威"),
    Field("page", INT, "planned start page (from the printed contents)"),
    Field("toc_title", TEXT, "contents line, when it differs from the title"),
    Field("toc_subtitle", TEXT, "second contents line"),
    Field("toc", BOOL, "false leaves the article out of the contents", default=True),
    Field("layout", TEXT, "page layout; default: the section's", choices=LAYOUTS),
    Field("pullquote", TEXTS, "quotes printed large beside the text", default=()),
    Field("images", RECORDS, "photos", default=(), fields=IMAGE),
)


def validate(data, fields, lines, report, path=()):
    """Return `data` with defaults filled in; report each problem as report(key_path, message)."""
    if not isinstance(data, dict):
        report(path, f"must be a {MAPPING}, not {_kind_of(data)}")
        return {}
    known = {f.name: f for f in fields}
    for key in data:
        if key not in known:
            near = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f" (known keys: {', '.join(known)})"
            report(path + (key,), f"unknown key{hint}")
    out = {}
    for f in fields:
        if data.get(f.name) is None:
            if f.required:
                report(path + (f.name,), f"required key is missing ({f.doc})")
            out[f.name] = f.default
            continue
        out[f.name] = _value(data[f.name], f, lines, report, path + (f.name,))
    return out


def _value(value, f, lines, report, path):
    if f.kind == TEXT and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if f.kind == TEXT:
        if not isinstance(value, str) or not value.strip():
            return _bad(value, f, report, path)
        if f.choices and value not in f.choices:
            report(path, f"'{value}' is not one of: {', '.join(f.choices)}")
            return f.default
        return value.strip()
    if f.kind == INT:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return _bad(value, f, report, path)
        if f.bounds and not f.bounds[0] <= value <= f.bounds[1]:
            report(path, f"{value} is outside {f.bounds[0]}–{f.bounds[1]} ({f.doc})")
            return f.default
        return value
    if f.kind == BOOL:
        return value if isinstance(value, bool) else _bad(value, f, report, path)
    if f.kind == DATE:
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return _bad(value, f, report, path)
    if f.kind == TEXTS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            return _bad(value, f, report, path)
        return tuple(i.strip() for i in items)
    if f.kind == RECORDS:
        if not isinstance(value, list):
            return _bad(value, f, report, path)
        return tuple(validate(item, f.fields, lines, report, path + (i,)) for i, item in enumerate(value))
    if f.kind == MAPPING:
        return validate(value, f.fields, lines, report, path)
    if f.kind == PAIRS:
        return _pairs(value, f, report, path)
    if f.kind == SIZE:
        try:
            return trim.parse(value)
        except ValueError as e:
            report(path, str(e))
            return f.default
    if f.kind == POINT:
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in value))
        return tuple(float(v) for v in value) if ok else _bad(value, f, report, path)
    raise AssertionError(f.kind)


def _pairs(value, f, report, path):
    if not isinstance(value, list):
        return _bad(value, f, report, path)
    out = []
    for i, pair in enumerate(value):
        ok = (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
              and (isinstance(pair[1], (str, int)) or
                   (isinstance(pair[1], list) and all(isinstance(v, (str, int)) for v in pair[1]))))
        if not ok:
            report(path + (i,), "each entry must be [label, value], the value a text or a list of texts")
            continue
        label, v = pair
        out.append((label, tuple(str(x) for x in v) if isinstance(v, list) else (str(v),)))
    return tuple(out)


def _bad(value, f, report, path):
    if isinstance(value, str) and not value.strip():     # often what is left once invisible characters go
        report(path, f"is empty: write the {f.kind} or remove the key")
        return f.default
    report(path, f"must be {f.kind}, not {_kind_of(value)} {value!r}"[:200])
    return f.default


def _kind_of(value):
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping", type(None): "empty"}.get(type(value), type(value).__name__)
