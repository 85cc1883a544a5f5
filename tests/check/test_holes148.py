"""Issue 148's columns, from report.json's flatplan: no column ends more than 10% of the type area
above its foot on a page its article continues from (it had two at 19%, on p.38 and p.43)."""
import json

from periodical.render import columns


def test_no_page_issue148_continues_from_has_a_hole(issue148):
    report = json.loads((issue148[0] / "report.json").read_text(encoding="utf-8"))
    plan = report["flatplan"]
    assert all(p["columns"] for p in plan)
    assert [c["column"] for c in plan[37]["columns"]] == [1, 2]              # two-column body text
    short = [(p["page"], c["column"], c["fill"]) for p in plan for c in p["columns"]
             if c["continues"] and c["fill"] < 1 - columns.HOLE]
    assert short == []
    assert not [p["page"] for p in plan for w in p["warnings"] if w["kind"] == "hole"]
    # Still every article on its planned page, and no loose line nor any other violation.
    assert report["drift"] == [] and report["typography"]["violations"] == 0
