"""Background jobs of proposals: its sweep every LIANXIN_SWEEP_MINUTES minutes."""

from lianxin.core.sweeps import sweep_task

proposals_sweep = sweep_task("proposals-sweep", "lianxin.proposals.services.sweep")
