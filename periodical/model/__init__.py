"""Stage 1, load: the issue folder → a validated, immutable model.

load.py reads issue.yaml and articles/*.md against the declared schema (schema.py) and the
photo rules (images.py: each photo decoded before it is trusted), removes the invisible
characters pasted text brings (invisible.py: each kind a warning on the Issue), and reports
every problem with file, line and key in one InputError.
May touch: the issue folder, read only. Knows nothing of HTML or PDF.
"""
