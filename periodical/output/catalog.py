"""The archive shelf: archive/<id>.pdf for every issue, with a manifest and an index page.

`shelve` puts one issue's archive PDF on the shelf (atomically, so a failed build leaves the
last good copy); `write_index` makes a cover thumbnail per PDF (pypdfium2), index.html listing
the issues in order with their covers, and SHA256SUMS for every file on the shelf, so that
`sha256sum -c SHA256SUMS` checks the whole shelf. `make archive` calls both.
"""
import hashlib
import html
import shutil
from pathlib import Path

import pikepdf
import pypdfium2

from periodical.render import render

THUMB_WIDTH = 240      # px


def shelve(pdf, shelf, issue_id):
    """Copy an issue's archive PDF to shelf/<issue_id>.pdf; return the new path."""
    target = Path(shelf) / f"{issue_id}.pdf"
    with open(pdf, "rb") as src:
        render.atomic_write(target, lambda f: shutil.copyfileobj(src, f))
    return target


def write_index(shelf):
    """Write thumbnails, index.html and SHA256SUMS for the PDFs on the shelf; return their count."""
    shelf = Path(shelf)
    for thumb in shelf.glob("*.png"):
        if not thumb.with_suffix(".pdf").exists():
            thumb.unlink()                 # the cover of an issue no longer on the shelf
    entries = [_entry(pdf) for pdf in sorted(shelf.glob("*.pdf"))]
    index = _html(entries)
    render.atomic_write(shelf / "index.html", lambda f: f.write(index.encode("utf-8")))
    files = sorted(p for p in shelf.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "SHA256SUMS")
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)
    render.atomic_write(shelf / "SHA256SUMS", lambda f: f.write(sums.encode()))
    return len(entries)


def _entry(pdf):
    with pikepdf.open(pdf) as doc:
        info = doc.trailer.get("/Info", {})
        meta = doc.open_metadata()
        entry = {"file": pdf.name, "title": str(info.get("/Title", pdf.stem)), "pages": len(doc.pages),
                 "date": str(meta.get("dc:date", [""])[0] if meta.get("dc:date") else ""),
                 "sources": len(doc.attachments), "bytes": pdf.stat().st_size,
                 "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest()}
    thumb = pdf.with_suffix(".png")
    page = pypdfium2.PdfDocument(str(pdf))[0]
    image = page.render(scale=THUMB_WIDTH / page.get_width()).to_pil()
    render.atomic_write(thumb, lambda f: image.save(f, format="PNG"))
    entry["cover"] = thumb.name
    return entry


def _html(entries):
    rows = "\n".join(
        f'<li><a href="{html.escape(e["file"])}"><img src="{html.escape(e["cover"])}" alt="封面" '
        f'width="{THUMB_WIDTH}"></a><h2><a href="{html.escape(e["file"])}">{html.escape(e["title"])}</a></h2>'
        f'<p>{html.escape(e["date"])} · {e["pages"]} 页 · {e["bytes"] // 1024} KiB · {e["sources"]} 个源文件</p>'
        f'<p class="sum">SHA-256 {e["sha256"]}</p></li>' for e in entries)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>期刊存档</title>
<style>
body {{ font-family: "Noto Sans SC", sans-serif; margin: 2em; }}
ul {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 2em; }}
li {{ width: {THUMB_WIDTH}px; }}
img {{ border: 1px solid #ccc; display: block; }}
h2 {{ font-size: 1em; margin: 0.5em 0 0.2em; }}
p {{ margin: 0.2em 0; font-size: 0.85em; color: #555; }}
.sum {{ font-size: 0.7em; word-break: break-all; }}
</style>
</head>
<body>
<h1>期刊存档</h1>
<p>每期一份 PDF/A-3u 存档，内含该期全部源文件（python make_issue.py extract 文件 目录 可取出）。校验：sha256sum -c SHA256SUMS</p>
<ul>
{rows}
</ul>
</body>
</html>
"""
