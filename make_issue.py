#!/usr/bin/env python3
"""Build a magazine issue from its data: `python make_issue.py build issue/2023-01`."""
import sys

from periodical.cli import main

if __name__ == "__main__":
    sys.exit(main())
