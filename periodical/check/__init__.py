"""Stage 6, check: the written pages read back, as a reader or a printer would see them.

check.py: where each article starts, what the contents page prints, which fonts are embedded;
flatplan.py: per page its articles, fill and warnings, from what the laid-out boxes showed; typography.py:
the Chinese typesetting of the body text, character by character (pdfchars.py reads them).
May touch: build/ (report.json).
"""
