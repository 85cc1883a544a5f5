"""Stage 5, write: the drawn parts → one PDF → every output of the table, and the archive shelf.

stitch.py puts the parts' PDFs together into the issue's (stitch_fonts.py: one font per face;
stitch_tags.py: one structure tree); outputs.py is the table of outputs (print: PDF/X-4 with marks; archive: PDF/A-3u with its
sources); finishing.py makes each row's file with pikepdf, using marks.py (crop marks,
registration, slug), navigation.py (outline, page labels) and sources.py (the issue's files
embedded, and extracted again). catalog.py shelves archive PDFs and writes the shelf's index.
May touch: build/ and the shelf (archive/).
"""
