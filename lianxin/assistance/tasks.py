"""Background jobs of assistance: its sweep every LIANXIN_SWEEP_MINUTES minutes."""

from lianxin.core.sweeps import sweep_task

assistance_sweep = sweep_task("assistance-sweep", "lianxin.assistance.sweep.sweep")
