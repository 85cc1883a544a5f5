"""Stage 4, render: HTML → laid-out pages → the drawn PDF, through WeasyPrint.

render.py lays each part out (resources only from the issue, layouts/, fonts/ and the colour
profile); parts.py draws each part to a PDF of its own and keeps it on disk with what its pages
show (facts.py); paginate.py puts the parts end to end at the pages they really start on;
cjk_justify.py and column_balance.py patch Chinese justification and column balancing into
WeasyPrint 70.
May touch: the drawn parts and prepared photos in the cache, and the file it is told to write.
"""
