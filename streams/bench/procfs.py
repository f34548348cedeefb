"""CPU seconds, CPU wait, memory peaks and the load average, read from `/proc`."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

def proc_status_bytes(pid: int, key: str) -> int | None:
    """A `kB` field of `/proc/<pid>/status` (e.g. VmHWM, VmRSS) in bytes; None if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def proc_tree(pid: int) -> list[int]:
    """`pid` and its descendants (a worker and its extraction process), from `/proc`."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                with contextlib.suppress(OSError, ValueError):
                    todo.extend(int(c) for c in (task / "children").read_text().split())
    return out


def tree_sum(pid: int, measure: Callable[[int], float | None]) -> float | None:
    """`measure` summed over the process tree of `pid`; None if the root is unreadable."""
    pids = proc_tree(pid)
    first = measure(pids[0])
    if first is None:
        return None
    return first + sum(v for v in map(measure, pids[1:]) if v is not None)


def proc_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process `pid` (all its threads); None if unreadable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def proc_run_delay_seconds(pid: int) -> float | None:
    """Seconds the threads of `pid` were ready to run but waited for a CPU (`schedstat`).

    Near zero on an idle machine; on a shared one it is the time other processes
    took from this one, which wall-clock throughput silently includes.
    """
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int((task / "schedstat").read_text().split()[1])
    except OSError:
        return None
    return total / 1e9


def _load() -> float | None:
    with contextlib.suppress(OSError, AttributeError):
        return round(os.getloadavg()[0], 2)
    return None
