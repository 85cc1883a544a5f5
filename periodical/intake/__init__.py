"""Front door, intake: what editors hand in → an issue folder the load stage reads.

new.py starts the next issue's folder from the previous one (issue.yaml with the next number,
total and date; empty articles/ and images/). word.py reads a Word manuscript (.docx) into
paragraphs and photos, refusing files that are not .docx and listing what it cannot carry;
manuscript.py turns those into an article (front matter, Markdown body, photos), guessing title,
byline, sub-heads and captions, and writes the import report and the round-trip check.
It sits after the text stage because it cleans text as that stage does (text.clean) and refuses
photos by the loader's limits (model.images); no stage imports it.
May touch: the issue folder named on the command line (writes new files only, or replaces an
article with --force); the manuscript, read only.
"""
