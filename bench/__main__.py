"""`python -m bench`: every benchmark, one table."""

import sys

from .run import main

sys.exit(main())
