"""Preflight: check any PDF from its bytes, as a prepress operator or an archivist would.

`run(path)` reads the file with pikepdf (structure, boxes, colour, images, text: pdfscan.py;
fonts: pdffonts.py) and returns a report: the facts found and every finding, each an error or
a warning with its rule and page. The rule set is chosen by what the file claims to be: PDF/A
files are held to the archive rules (pdfa_rules.py), every other file to the print house's
rules (print_rules.py). `format_report` prints the report for a person.
"""
import io
from pathlib import Path

import pikepdf

from periodical import icc
from periodical.errors import InputError, Problem
from periodical.preflight import pdfa_rules, pdffonts, pdfscan, print_rules
from periodical.preflight.print_rules import MM, box


class Findings:
    def __init__(self):
        self.errors, self.warnings = [], []

    def error(self, rule, message, page=None):
        self.errors.append({"rule": rule, "page": page, "message": message})

    def warning(self, rule, message, page=None):
        self.warnings.append({"rule": rule, "page": page, "message": message})


def run(path, rules=None, trim=None):
    """Preflight the PDF at path with the named rule set (default: by what it claims).

    trim: (width, height) in mm that every page must be cut to, when the caller knows it
    (the build: issue.yaml's trim).
    """
    data = Path(path).read_bytes()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return _report(path, "print", {"encrypted": True}, _encrypted())
    except pikepdf.PdfError as e:
        raise InputError([Problem(str(path), None, None, f"not a readable PDF: {e}")]) from None
    with pdf:
        scans = pdfscan.scan(pdf)
        fonts = pdffonts.survey(scans)
        facts = _facts(pdf, data, scans, fonts)
        rules = rules or ("archive" if facts["claims"].startswith("PDF/A") else "print")
        findings = Findings()
        RULES[rules](pdf, data, scans, fonts, facts, findings)
        if trim:
            print_rules.declared_trim(pdf, trim, findings)
        return _report(path, rules, facts, findings)


def _facts(pdf, data, scans, fonts):
    meta = pdf.open_metadata()
    claims = ""
    if meta.get("pdfxid:GTS_PDFXVersion"):
        claims = str(meta.get("pdfxid:GTS_PDFXVersion"))
    elif meta.get("pdfaid:part"):
        claims = f"PDF/A-{meta.get('pdfaid:part')}{str(meta.get('pdfaid:conformance', '')).lower()}"
    first = pdf.pages[0].obj if len(pdf.pages) else {}
    trim = box(first.get("/TrimBox")) or box(first.get("/MediaBox"))
    spaces = sorted({s for p in scans for s in p.spaces})
    text = [t for p in scans for t in p.text]
    k100 = sum(1 for t in text if t.fill == ("DeviceCMYK", (0.0, 0.0, 0.0, 1.0)))
    return {
        "claims": claims, "pdf_version": pdf.pdf_version, "pages": len(pdf.pages), "bytes": len(data),
        "trim_mm": [round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1)] if trim else None,
        "output_intents": [_intent(oi) for oi in pdf.Root.get("/OutputIntents", ())],
        "fonts": [{"name": f.name, "embedded": f.embedded, "pages": len(f.pages)} for f in fonts.values()],
        "colour_spaces": spaces,
        "text_runs_k100": f"{k100}/{len(text)}",
        "images": [{"page": i.page, "pixels": list(i.pixels), "ppi": round(i.ppi), "space": i.space}
                   for p in scans for i in p.images],
        "language": str(pdf.Root.get("/Lang", "")),
        "tagged": bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)),
        "embedded_files": len(pdf.attachments),
    }


def _intent(oi):
    profile = oi.get("/DestOutputProfile")
    desc = None
    if profile is not None:
        try:
            p = icc.read(bytes(profile.read_bytes()))
            desc = f"{p.description} ({p.device_class}, {p.color_space}, ICC v{p.version})"
        except ValueError:
            desc = "unreadable"
    return {"subtype": str(oi.get("/S", ""))[1:], "condition": str(oi.get("/OutputConditionIdentifier", "")),
            "profile": desc}


def _encrypted():
    findings = Findings()
    findings.error("encryption", "the file is encrypted: it can be neither printed unattended nor archived")
    return findings


def _report(path, rules, facts, findings):
    return {"file": str(path), "rules": rules, "facts": facts,
            "errors": findings.errors, "warnings": findings.warnings}


def format_report(report):
    """The report as lines for a person: what the file is, then each finding."""
    f = report["facts"]
    lines = [f"{report['file']}: {f.get('claims') or 'no PDF/X or PDF/A identification'}, "
             f"{f.get('pages', '?')} pages, trim {'×'.join(map(str, f.get('trim_mm') or ['?']))} mm "
             f"(checked as {report['rules']})"]
    for oi in f.get("output_intents", ()):
        lines.append(f"  output intent {oi['subtype']}: {oi['condition']} — {oi['profile']}")
    if "fonts" in f:
        lines.append(f"  fonts: {len(f['fonts'])}, {sum(1 for x in f['fonts'] if x['embedded'])} embedded; "
                     f"colour spaces: {', '.join(f['colour_spaces']) or 'none'}; images: {len(f['images'])}; "
                     f"text runs in K 100: {f['text_runs_k100']}")
    for level in ("errors", "warnings"):
        lines.extend(f"{level[:-1]:7} {format_finding(x)}" for x in report[level])
    verdict = "passes" if not report["errors"] else "fails"
    lines.append(f"{len(report['errors'])} errors, {len(report['warnings'])} warnings: {verdict} the {report['rules']} rules")
    return "\n".join(lines)


def format_finding(finding):
    where = f" p.{finding['page']}" if finding["page"] else ""
    return f"[{finding['rule']}]{where}: {finding['message']}"


RULES = {"print": print_rules.check, "archive": pdfa_rules.check}
