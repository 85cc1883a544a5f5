"""The editors' preview: print.pdf as page images, laid out as spreads beside the page map.

Writes `build/<id>/preview/`: index.html (opens from disk, no server needed), pages/*.png
(raster.py: rasterised from the same print.pdf the print house gets) and preview.json, which the
next build compares against to mark the pages whose picture changed and to list the articles
whose start page moved. The preview server (serve.py) shows the same page, live.
"""
import json
import time
from pathlib import Path

from periodical import fonts
from periodical.compose import compose
from periodical.preview import raster
from periodical.render import render

MANIFEST = "preview.json"
FORMAT = 1                   # of preview.json; a manifest of another format is not compared with
TEMPLATES = compose.LAYOUTS / "preview"
# Pages a draft draws at most: drawing many costs about what writing the whole issue does.
DRAFT_PAGES = 12


def write(folder, pdf_path, report, issue, progress=lambda msg: None, parts=None):
    """Rasterise the changed pages of pdf_path and write the preview site into folder.

    parts: the parts pdf_path was stitched from (render.Rendered.parts): pages of parts drawn
    before are known without reading the PDF."""
    folder, started = Path(folder), time.perf_counter()
    previous = load(folder) or {}
    # The pictures depend on the source fonts, which the page keys leave out (raster.FONT_SUBSET).
    names, made, keys = raster.images(pdf_path, folder / "pages", previous.get("images", {}), fonts.identity(), parts)
    manifest = describe(report, names, previous, issue)
    manifest["images"] = keys
    data, page = json.dumps(manifest, ensure_ascii=False, indent=1).encode(), html(manifest).encode()
    render.atomic_write(folder / MANIFEST, lambda f: f.write(data))
    render.atomic_write(folder / "index.html", lambda f: f.write(page))
    _remove_unused(folder / "pages", names, previous)
    progress(f"preview: {folder / 'index.html'}, {made} of {len(names)} pages rasterised "
             f"({time.perf_counter() - started:.1f} s)")
    return manifest


def draft(folder, rendered):
    """The last preview with the pages the issue's new layout laid out anew drawn in, shown while
    the PDFs are written and checked (`write` then replaces it); None if there is no last preview
    to draw into or more than DRAFT_PAGES to draw. The page map keeps the last build's facts until
    then. Of an issue laid out up to an edit that moves the pages after it (rendered.complete
    False), the last preview's pages after those are kept, marked `pending`: being laid out."""
    folder = Path(folder)
    previous = load(folder)
    count, redrawn = len(rendered.pages), rendered.redrawn
    before = {p["number"]: p for p in (previous or {}).get("pages", ())}
    kept = [n for n in range(1, count + 1) if n not in redrawn]
    if previous is None or len(redrawn) > DRAFT_PAGES or any(n not in before for n in kept):
        return None
    names = raster.drawn(rendered, folder / "pages")
    pages = []
    for n, facts in enumerate(rendered.pages, 1):
        page = before.get(n, {"number": n, "label": None, "articles": [], "fill": None, "warnings": []})
        image = names.get(n, page.get("image"))
        if n in names:               # laid out anew: its articles and photos are known, its fill when checked
            page = {**page, "label": facts["label"], "articles": facts["articles"], "fill": None,
                    "warnings": list(facts["warnings"])}
        pages.append({**page, "image": image, "changed": image != page.get("image")})
    if not rendered.complete:
        pages += [{**page, "changed": False, "pending": True, "warnings": []}
                  for n, page in sorted(before.items()) if n > count]
    return {**previous, "pages": pages, "changed": _ranges(p["number"] for p in pages if p["changed"]), "moved": [],
            "pending": _ranges(p["number"] for p in pages if p.get("pending"))}


def load(folder):
    """The manifest of the last preview written into folder, or None."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def describe(report, images, previous, issue):
    """What the page shows: pages with their articles and warnings, the page map, the changes."""
    flat = {p["page"]: p for p in report.get("flatplan", ())}
    before = {p["number"]: p["image"] for p in previous.get("pages", ())}
    drift = {}
    for a in report["articles"]:
        if a["drift"]:
            drift.setdefault(a["start"], []).append({
                "kind": "drift", "article": a["slug"],
                "message": f"planned for p.{a['planned']}, starts on p.{a['start']}: {a['reason']}"})
    pages = []
    for n, image in enumerate(images, 1):
        facts = flat.get(n, {})
        pages.append({"number": n, "image": image, "changed": bool(before) and before.get(n) != image,
                      "label": facts.get("label"), "articles": facts.get("articles", []), "fill": facts.get("fill"),
                      "warnings": facts.get("warnings", []) + drift.get(n, [])})
    sections = {s.id: s.title for s in issue.sections}
    articles = [_article(a, pages, sections) for a in report["articles"]]
    meta = issue.meta
    return {"format": FORMAT, "issue": report["issue"],
            "title": f"{meta['publication']} {meta['year']}年第{meta['number']}期（总第{meta['total']}期）",
            "built": time.strftime("%Y-%m-%d %H:%M:%S"), "pages": pages, "articles": articles,
            "changed": _ranges(p["number"] for p in pages if p["changed"]), "moved": _moved(articles, previous),
            "problems": report["problems"]}


def _article(row, pages, sections):
    """A page-map row: the check's placement, its last page as laid out, and what to look at."""
    on = [p["number"] for p in pages if row["slug"] in p["articles"]]
    notes = [w for p in pages for w in p["warnings"] if w["article"] == row["slug"]]
    return {**row, "end": on[-1] if on else row["end"], "section_title": sections.get(row["section"], row["section"]),
            "flags": sorted({w["kind"] for w in notes}),
            "notes": [{"kind": w["kind"], "message": w["message"]} for w in notes]}


def _ranges(numbers):
    """[3, 18, 19, 20] → [[3, 3], [18, 20]]: changed pages as an editor reads them."""
    ranges = []
    for n in numbers:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    return ranges


def _moved(articles, previous):
    before = {a["slug"]: a["start"] for a in previous.get("articles", ())}
    return [{"slug": a["slug"], "title": a["title"], "from": before[a["slug"]], "to": a["start"]}
            for a in articles if a["slug"] in before and before[a["slug"]] != a["start"]]


def html(manifest, errors=(), live=False, status=None, version=""):
    """The preview page: spreads and page map; errors of a failed rebuild above the last good pages."""
    template = compose.environment(TEMPLATES).get_template("index.html.j2")
    return template.render(m=manifest, spreads=spreads(manifest["pages"]) if manifest else [],
                           errors=errors, live=live, status=status, version=version)


def spreads(pages):
    """Pages as the magazine opens: page 1 alone, then 2–3, 4–5 …, the last page alone if even."""
    if not pages:
        return []
    rest = pages[1:]
    return [[None, pages[0]]] + [[rest[i], rest[i + 1] if i + 1 < len(rest) else None]
                                 for i in range(0, len(rest), 2)]


def _remove_unused(folder, names, previous):
    """Drop images no longer shown; keep the previous build's for browsers still showing it, and
    those of a build writing into the same folder at the same time (its manifest is on disk)."""
    keep = set(names) | {p["image"] for m in (previous, load(folder.parent) or {}) for p in m.get("pages", ())}
    for f in folder.glob("*.png"):
        if f.name.split(".")[0] not in keep:
            f.unlink(missing_ok=True)
