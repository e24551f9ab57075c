"""`python -m etl`: the command line (etl/cli.py)."""

import sys

from etl.cli import main

sys.exit(main())
