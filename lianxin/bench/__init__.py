"""`make bench`: performance measured, not guessed.

`python -m lianxin.bench` runs every benchmark in BENCHES; `python -m lianxin.bench NAME ...`
runs some. Each module has `run() -> list[Result]` and prints as it goes; every result shows
its number next to a baseline measured in the same run, and the ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

# name -> module with run()
BENCHES: dict[str, str] = {
    "open311": "lianxin.bench.open311",
}


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None

    def line(self) -> str:
        text = f"{self.name}: {self.value:,.1f} {self.unit}"
        if self.baseline is not None:
            ratio = self.value / self.baseline if self.baseline else float("inf")
            text += f" | {self.baseline_name}: {self.baseline:,.1f} {self.unit} | ratio {ratio:.2f}"
        if self.target:
            verdict = "" if self.met is None else (" MET" if self.met else " NOT MET")
            text += f" | target {self.target}{verdict}"
        return text
