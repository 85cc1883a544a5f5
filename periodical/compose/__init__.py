"""Stage 3, compose: the model → the issue's parts, each an HTML document through Jinja2.

compose.py decides the page flow's parts (covers, contents, each run of articles that starts on
a fresh page, back cover) and where photos and pull quotes stand; fit.py is the copy fitting
that sizes photos so each run fills its planned pages.
May touch: the model and layouts/ (read only).
"""
