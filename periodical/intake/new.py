"""Start the next issue's folder from the previous one.

issue.yaml is edited as text, not loaded and dumped again, so its comments, key order and
quoting survive: the values of `number`, `total`, `year` and `date` are replaced where they
stand (the positions come from the YAML parser), and the cover's and back cover's `image` and
`lead` (photos and the lead article of the previous issue) are cut out. Everything else — the
publication, sections, colophon, permit, print run, trim, profile, cover lines — carries over
for the editors to change. A colour profile kept inside the previous folder is copied along.
"""
import calendar
import datetime
import re
import shutil
from pathlib import Path

import yaml

from periodical.errors import InputError, Problem, Problems, rel
from periodical.model import load, schema

# 期数 line → (months between issues, days between issues, issues a year)
FREQUENCIES = {
    "每月一期": (1, 0, 12), "月刊": (1, 0, 12),
    "每两月一期": (2, 0, 6), "双月刊": (2, 0, 6),
    "每季一期": (3, 0, 4), "每季度一期": (3, 0, 4), "季刊": (3, 0, 4),
    "半年刊": (6, 0, 2), "年刊": (12, 0, 1),
    "每月两期": (0, 15, 24), "半月刊": (0, 15, 24), "每半月一期": (0, 15, 24),
    "旬刊": (0, 10, 36), "每周一期": (0, 7, 52), "周刊": (0, 7, 52),
}
CUT = (("cover", "image"), ("cover", "lead"), ("back_cover", "image"))


def new_issue(new_dir, prev_dir):
    """Write new_dir from prev_dir; return the new values as {key: (old, new)}."""
    new_dir, prev_dir = Path(new_dir), Path(prev_dir)
    if new_dir.exists():
        raise InputError([Problem(rel(new_dir), None, None, "already exists: name a new folder "
                                  "(nothing was written over)")])
    path = prev_dir / "issue.yaml"
    problems = Problems()
    if not path.is_file():
        raise InputError([Problem(rel(path), None, None, "missing: --from must name an issue folder")])
    source = load.read_text(path, problems)
    problems.raise_if_any()
    data, lines = load.parse_yaml(source, path, problems)
    if data is None and not problems.items:
        problems.add(rel(path), 1, None, "the file is empty")
    problems.raise_if_any()
    node = yaml.compose(source, Loader=yaml.SafeLoader)     # only for where each value stands
    values = _next_values(data, lines, path)
    edits = [(n.start_mark.index, n.end_mark.index, _formatted(source, n, values[k][1]))
             for k, n in _top(node).items() if k in values]
    edits += [_cut_span(source, key, value) for key, value in _nested(node, CUT)]
    text = _apply(source, edits)
    text = _comments(text, values)
    new_dir.mkdir(parents=True)
    (new_dir / "articles").mkdir()
    (new_dir / "images").mkdir()
    _copy_profile(prev_dir, new_dir, data.get("color_profile"))
    (new_dir / "issue.yaml").write_text(text, encoding="utf-8")
    return values


def _top(node):
    return {k.value: v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def _nested(node, paths):
    for outer, inner in paths:
        block = _top(node).get(outer)
        for k, v in (block.value if isinstance(block, yaml.MappingNode) else ()):
            if k.value == inner:
                yield k, v


def _next_values(data, lines, path):
    """{key: (old, new)} for year, number, total and date, by the issue's frequency."""
    problems = Problems()
    report = load._reporter(path, lines, problems, 1)   # the loader's own key → line mapping
    meta = schema.validate(data, schema.ISSUE, lines, report)
    if meta.get("frequency") not in FREQUENCIES:
        report(("frequency",), f"'{meta.get('frequency')}' is not a frequency we can count "
               f"({', '.join(FREQUENCIES)}): use one, or copy the folder and set number, total and date by hand")
    problems.raise_if_any()
    months, days, per_year = FREQUENCIES[meta["frequency"]]
    number, year = meta["number"] + 1, meta["year"]
    if number > per_year:
        number, year = 1, year + 1
    date = _add_months(meta["date"], months) + datetime.timedelta(days=days)
    return {"year": (meta["year"], year), "number": (meta["number"], number),
            "total": (meta["total"], meta["total"] + 1), "date": (meta["date"], date)}


def _add_months(date, months):
    y, m = divmod(date.month - 1 + months, 12)
    year, month = date.year + y, m + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))


def _formatted(source, node, value):
    """The new value written as the old one was (quoted if it was)."""
    old = source[node.start_mark.index:node.end_mark.index]
    quote = old[0] if old[:1] in "'\"" else ""
    return f"{quote}{value}{quote}"


def _cut_span(source, key, value):
    """The lines a key and its value take: from the key's line to the end of the value's last line."""
    start = source.rfind("\n", 0, key.start_mark.index) + 1
    last = len(source[:value.end_mark.index].rstrip())     # the value's last character, blank lines left out
    end = source.find("\n", last)
    return start, (end + 1 if end >= 0 else len(source)), ""


def _apply(source, edits):
    for start, end, new in sorted(edits, reverse=True):
        source = source[:start] + new + source[end:]
    return source


def _comments(text, values):
    """Comments naming the old issue (2023年第1期, 总第148期) name the new one."""
    (year0, year), (number0, number), (total0, total) = values["year"], values["number"], values["total"]

    def fix(m):
        line = m.group(0).replace(f"{year0}年第{number0}期", f"{year}年第{number}期")
        return line.replace(f"总第{total0}期", f"总第{total}期")
    return re.sub(r"(?m)^\s*#.*$", fix, text)


def _copy_profile(prev_dir, new_dir, profile):
    if not profile:
        return
    source = (prev_dir / profile)
    if not Path(profile).is_absolute() and source.resolve().is_relative_to(prev_dir.resolve()) and source.is_file():
        (new_dir / profile).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, new_dir / profile)
