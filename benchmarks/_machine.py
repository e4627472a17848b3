"""What every benchmark prints and stores about the machine, and how it stores its figures.

The benchmarks quote ratios measured in one run; the CPU's name and the load average say on
what they were measured (the CI-like machine has 2 vCPUs shared with other work).
"""

import json
import os
import pathlib
import platform

__all__ = ["cpu_name", "load", "write_json"]


def cpu_name():
    """The CPU's model name (``/proc/cpuinfo``), else what :mod:`platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def load():
    """``'load 1.23 0.98 0.75'``: the 1, 5 and 15 minute load averages."""
    try:
        return "load %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "load unknown"


def write_json(path, out):
    """Write the figures ``out`` to ``path`` (directories made as needed) and say so."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1))
    print(f"\nwritten {path}")
