"""``python -m libchild check FILE [--json] [--on DATE]``: see libchild.cli."""

import sys

from libchild.cli import main

sys.exit(main())
