#!/usr/bin/env python3
"""Build a magazine issue from its data: `python make_issue.py build issue/2023-01`."""
import sys

try:
    from periodical.cli import main
except ModuleNotFoundError as e:        # the set-up has not run: say what to run, not a traceback
    from periodical.errors import SetupError
    print(f"set-up: {SetupError.from_exception(e)}", file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
