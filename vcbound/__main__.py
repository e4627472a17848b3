"""``python -m vcbound``: see :mod:`vcbound.cli`."""

from vcbound.cli import script

if __name__ == "__main__":
    script()
