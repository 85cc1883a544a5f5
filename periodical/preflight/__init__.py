"""Stage 7, preflight: any PDF checked from its bytes, as a prepress operator or an archivist would.

preflight.py picks the rule set (print_rules.py: PDF/X-4 for the press; pdfa_rules.py: PDF/A
for the archive) and reports facts and findings; pdfscan.py walks the content streams,
pdffonts.py reads the embedded fonts.
May touch: build/ (preflight.json).
"""
