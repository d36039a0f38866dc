"""Background jobs of projects: its sweep every LIANXIN_SWEEP_MINUTES minutes."""

from lianxin.core.sweeps import sweep_task

projects_sweep = sweep_task("projects-sweep", "lianxin.projects.sweep.sweep")
