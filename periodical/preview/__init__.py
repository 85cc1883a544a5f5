"""Stage 8, preview: the editors' view of print.pdf.

raster.py rasterises pages (pdfium), cached by what each page draws; preview.py writes the
spreads, the page map and what changed since the last build; serve.py is the live server that
rebuilds on every save.
May touch: build/<id>/preview/.
"""
