"""periodical: Chinese magazines made from data.

The pipeline runs in one direction, one subpackage per stage; a module imports only from its
own stage, from an earlier one, or from the shared helpers beside this file:

  model/      load      the issue folder → a validated, immutable model
  text/       text      Chinese clean-up, Markdown → HTML, the issue's character set
  intake/     intake    front door, not run by build(): the next issue's folder; Word manuscripts → articles
  compose/    compose   the model → one HTML document per part; copy fitting
  render/     render    HTML → laid-out pages and the drawn PDF (WeasyPrint)
  output/     write     the drawn PDF → each output of the table (print, archive), the shelf
  check/      check     the written PDF read back: placements, flatplan, typesetting
  preflight/  preflight any PDF checked from its bytes against a rule set
  preview/    preview   page images, spreads and the live server

Shared helpers: errors.py (the kinds of failure), fonts.py (the declared faces),
icc.py (colour profiles), metadata.py (what every output says about itself).
build.py runs the stages in order; cli.py is the command line.
"""
