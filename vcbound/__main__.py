"""``python -m vcbound``: see :mod:`vcbound.cli`."""

import sys

from vcbound.cli import main

if __name__ == "__main__":
    sys.exit(main())
