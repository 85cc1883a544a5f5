"""The issue page by page as it was laid out: the editors' flatplan.

For each page: which articles stand on it, how much of its type area is filled, how far each of
its columns is filled and whether the article goes on past the page (render/columns.py), and
what needs an editor's look (an FPO box where a photo is missing, a photo printed below print
resolution, an article running past its planned pages, a hole: a column ending more than 10% of
the type area above its foot on a page the article continues from, a blank filler page, a page
mostly empty). Read from what each part's laid-out boxes showed when it was drawn
(render/facts.py), the same pages the PDF is drawn from, so a page number here is a page number
in print.pdf.
"""
# A page whose type area is filled less than this is "mostly empty".
LOW_FILL = 0.5


def pages(rendered, articles):
    """One dict per page: page, label, articles (slugs), fill (0–1), warnings [{kind, article, message}].

    rendered: its `pages` (render/facts.py), `free` (mm by page), `content_pages`, `filler_pages`;
    `articles` are the check stage's placement rows (slug, planned, start), in issue order.
    """
    plan = []
    for number, page in enumerate(rendered.pages, 1):
        height = page["height"]          # the type area, inside the margins
        fill = 1 - rendered.free.get(number, height) / height if height else 1.0
        plan.append({"page": number, "label": page["label"], "articles": list(page["articles"]),
                     "fill": round(max(0.0, fill), 2), "warnings": list(page["warnings"]) + _holes(page["columns"]),
                     "columns": [{"column": c["column"], "fill": round(c["fill"], 3), "continues": c["continues"]}
                                 for c in page["columns"]]})
    # Filler pages stand before the back cover, the last content page.
    for n in range(rendered.content_pages, rendered.content_pages + rendered.filler_pages):
        plan[n - 1]["label"] = "blank"
        plan[n - 1]["warnings"].append({"kind": "blank", "article": None,
                                        "message": "blank page added to reach the planned page count"})
    _mark_overruns(plan, articles)
    _mark_underfilled(plan)
    return plan


def _holes(page_columns):
    return [{"kind": "hole", "article": c["article"],
             "message": f"column {c['column']} ends {1 - c['fill']:.0%} of the type area above its foot, "
                        "and the article goes on overleaf"} for c in page_columns if c["hole"]]


def _mark_overruns(plan, articles):
    """Warn on each page an article takes beyond the pages planned for it."""
    for n, a in enumerate(articles):
        # The next article planned on another page (a itself, from n on, is never on another).
        nxt = next((b for b in articles[n:] if b["planned"] and b["planned"] != a["planned"]), None)
        on = [p["page"] for p in plan if a["slug"] in p["articles"]]
        if not a["planned"] or not on or nxt is None:
            continue
        allowed = nxt["planned"] - a["planned"]
        for number in on[allowed:]:          # the pages past the first `allowed` it stands on
            plan[number - 1]["warnings"].append({
                "kind": "overrun", "article": a["slug"],
                "message": f"runs {len(on) - allowed} page(s) past the {allowed} planned for it"})


def _mark_underfilled(plan):
    """Warn where a page of articles is mostly empty: an article ends high on it, or a short text
    stands alone before the full-page photo that follows it."""
    for p, nxt in zip(plan, plan[1:]):
        last = p["articles"][-1] if p["articles"] else None
        filled = covered(p)
        if last and filled < LOW_FILL:
            why = ("the article ends high on it" if last not in nxt["articles"]
                   else "the article's text ends high on it and goes on overleaf (a full-page photo?)")
            p["warnings"].append({"kind": "underfilled", "article": last, "filled": round(filled, 2),
                                  "message": f"p.{p['page']} is only {filled:.0%} filled: {why}"})


def covered(page):
    """How much of the page's type area stands filled: the depth its deepest column reaches, or
    less where the other columns stop short. A tall photo in the first column and three lines in
    the second fill the page to 70% of its depth and its area to half (issue 148's p.12)."""
    columns = [c["fill"] for c in page.get("columns", ())]
    return min(page["fill"], sum(columns) / len(columns)) if columns else page["fill"]
