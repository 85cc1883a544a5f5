"""Stage 2, text: Chinese clean-up and Markdown → HTML fragments.

text.py cleans what copy-paste leaves (ASCII punctuation between Chinese, stray spaces),
renders bodies with markdown-it and collects the issue's character set; cjk_spans.py adds the
inline spans Chinese layout needs; cjk.py is the table of character classes (clreq, GB/T 15834)
that the renderer and the checker read too.
May touch: the model (returns new values, never changes it).
"""
