"""The baselines the benchmark compares against, on the same text and fonts.

plain_weasyprint: what a hand-written script would do — every article body as plain
paragraphs in two columns, one HTML file, the same Noto SC fonts, one write_pdf.
typst: the same paragraphs compiled by Typst (PyPI `typst`) with the same fonts.
"""
import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"


def paragraphs(issue_dir):
    """The text of every article: titles and body paragraphs, Markdown marks dropped."""
    out = []
    for path in sorted((Path(issue_dir) / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, _, body = text[4:].partition("\n---\n")
        title = re.search(r"^title:\s*(.+)$", front, re.M)
        if title:
            out.append(("h", title.group(1).strip().strip('"')))
        for block in re.split(r"\n\s*\n", body):
            block = re.sub(r"^[#>\-\s*]+", "", block.strip()).replace("**", "")
            if block:
                out.append(("p", block))
    return out


def plain_html(paras):
    faces = "".join(
        f'@font-face {{ font-family: "{fam}"; font-weight: {w}; src: url({(FONTS / f).as_uri()}); }}'
        for fam, w, f in (("Noto Serif SC", 400, "NotoSerifSC-Regular.otf"), ("Noto Serif SC", 700, "NotoSerifSC-Bold.otf"),
                          ("Noto Sans SC", 700, "NotoSansSC-Bold.otf")))
    css = (faces + '@page { size: 210mm 285mm; margin: 20mm; @bottom-center { content: counter(page); } }'
           'body { font: 9pt/1.62 "Noto Serif SC"; text-align: justify; column-count: 2; column-gap: 7mm; }'
           'h1 { font: 700 16pt "Noto Sans SC"; column-span: all; } p { text-indent: 2em; margin: 0; }')
    body = "".join(f"<h1>{html.escape(t)}</h1>" if k == "h" else f"<p>{html.escape(t)}</p>" for k, t in paras)
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'


def plain_weasyprint(paras, target):
    import weasyprint
    weasyprint.HTML(string=plain_html(paras)).write_pdf(target)


def typst_source(paras):
    esc = lambda t: re.sub(r"([#\[\]*_`$<>@\\/])", r"\\\1", t)
    head = ('#set page(width: 210mm, height: 285mm, margin: 20mm, columns: 2, numbering: "1")\n'
            '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh")\n'
            '#set par(justify: true, first-line-indent: 2em, leading: 0.62em)\n')
    return head + "\n\n".join(f"= {esc(t)}" if k == "h" else esc(t) for k, t in paras) + "\n"


def typst_compile(paras, target):
    import typst
    src = Path(target).with_suffix(".typ")
    src.write_text(typst_source(paras), encoding="utf-8")
    typst.compile(str(src), output=str(target), font_paths=[str(FONTS)])


if __name__ == "__main__":
    import sys
    kind, issue_dir, target = sys.argv[1:4]
    {"plain": plain_weasyprint, "typst": typst_compile}[kind](paragraphs(issue_dir), target)
