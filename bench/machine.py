"""What the machine gave a benchmark: its processor, a reference loop timed in pure Python, and the share of time
the hypervisor kept the processors for others (steal) while the benchmark ran.

On a shared virtual machine the same code runs at very different speeds from one session to the next; these
figures let two runs of bench/RESULTS.md be compared (issue 3: about 2.5 times between two 2-core machines).
"""

import os
import time

REFERENCE_N = 10_000_000


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        return "?"


def reference_ms() -> float:
    """The best of 5 sums of 10 million integers in pure Python, in ms: the lower, the faster the machine."""
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        sum(range(REFERENCE_N))
        best = min(best, time.perf_counter() - t)
    return best * 1000


def cpu_ticks() -> tuple[int, int] | None:
    """(steal, total) clock ticks of all processors since boot, from /proc/stat (Linux), or None."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    steal = values[7] if len(values) > 7 else 0
    return steal, sum(values[:8])


class Machine:
    """Reads the machine at the start of a benchmark; ``steal_line()`` at the end says how much was stolen."""

    def __init__(self):
        self.start = cpu_ticks()

    def line(self) -> str:
        return (
            f"machine: {os.cpu_count()} cores, {cpu_model()}; reference loop (sum of 10^7 integers in Python) "
            f"{reference_ms():.0f} ms (the figures below scale with it)"
        )

    def steal_line(self) -> str:
        end = cpu_ticks()
        if self.start is None or end is None or end[1] == self.start[1]:
            return "CPU steal: not measured (no /proc/stat)"
        share = 100 * (end[0] - self.start[0]) / (end[1] - self.start[1])
        return f"CPU steal during the run: {share:.0f} % of the processors' time went to other virtual machines"
