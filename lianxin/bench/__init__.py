"""`make bench`: performance measurements, one module per room of the work.

`python -m lianxin.bench` runs every bench in BENCHES, `python -m lianxin.bench roster` one of
them; `--check` makes a missed target an exit status of 1.

A bench module has a function `run(report: Report) -> None` that measures and hands its numbers
to `report.value`, `report.rate` or `report.ratio`, each optionally with a target; the runner
prints them as they come and the targets again at the end. To add one, write
`lianxin/bench/<name>.py` and list it in BENCHES. Benches run their Django parts in
subprocesses with their own temporary LIANXIN_VAR_DIR, so they never touch a real database.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from dataclasses import dataclass
from importlib import import_module

BENCHES = {
    "roster": "lianxin.bench.roster",
    "open311": "lianxin.bench.open311",
}


@dataclass
class Measurement:
    bench: str
    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = True

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        text = f"  {self.name:<52} {self.value:>12,.2f} {self.unit}"
        if self.target is not None:
            sign = "≥" if self.higher_is_better else "≤"
            verdict = "met" if self.met else "MISSED"
            text += f"   target {sign} {self.target:,.2f} {self.unit}: {verdict}"
        return text


class Report:
    def __init__(self, bench: str, out=None):
        self.bench = bench
        self.out = out or sys.stdout
        self.measurements: list[Measurement] = []

    def note(self, text: str) -> None:
        print(f"  {text}", file=self.out, flush=True)

    def value(
        self,
        name: str,
        value: float,
        unit: str,
        *,
        target: float | None = None,
        higher_is_better: bool = True,
    ) -> Measurement:
        measurement = Measurement(self.bench, name, value, unit, target, higher_is_better)
        self.measurements.append(measurement)
        print(measurement.line(), file=self.out, flush=True)
        return measurement

    def rate(self, name: str, count: int, seconds: float, unit: str = "rows/s", **kw) -> float:
        rate = count / seconds if seconds > 0 else float("inf")
        self.value(name, rate, unit, **kw)
        return rate

    def ratio(self, name: str, numerator: float, denominator: float, **kw) -> float:
        ratio = numerator / denominator if denominator else float("inf")
        self.value(name, ratio, "×", **kw)
        return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lianxin.bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benches to run (default: all of {list(BENCHES)})"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown bench {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Lianxin benchmarks — Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load} (other work on the machine slows the numbers)",
        flush=True,
    )
    measurements: list[Measurement] = []
    failed = []
    for name in args.names or list(BENCHES):
        print(f"\n[{name}]", flush=True)
        report = Report(name)
        started = time.perf_counter()
        try:
            import_module(BENCHES[name]).run(report)
        except Exception:
            traceback.print_exc()
            failed.append(name)
        report.note(f"({time.perf_counter() - started:.0f} s)")
        measurements += report.measurements
    targets = [m for m in measurements if m.target is not None]
    if targets:
        print("\nTargets:")
        for m in targets:
            print(f"[{m.bench}]" + m.line())
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 2
    return 1 if args.check and any(m.met is False for m in targets) else 0
