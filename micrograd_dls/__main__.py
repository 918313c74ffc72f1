"""``python -m micrograd_dls``: the same command line as ``micrograd-dls``."""

import sys

from .cli import main

sys.exit(main())
