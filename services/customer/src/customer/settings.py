import math
import os
from pathlib import Path

from kit.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


def usable_cores(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """The cores this process may run on: its CPU affinity, capped by a cgroup v2 CPU quota
    (a container's CPU limit: a 1-CPU pod on a 32-core node must not start 31 parsers)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        quota, period = cpu_max.read_text().split()
        if quota != "max":
            return max(1, min(cores or 1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores or 1


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore")

    port: int = 8002
    # CUS-14: a longer export is refused (with a message) rather than cut off.
    export_max_rows: int = 100_000
    # The import worker (entrypoints/jobs.py): a job whose worker has not finished a chunk
    # for import_lease_s is taken over by another; idle workers look for jobs every
    # import_poll_s; each worker imports up to import_max_jobs jobs at once.
    import_lease_s: float = 60.0
    import_poll_s: float = 2.0
    import_max_jobs: int = 2
    # The worker parses the rows in import_parsers processes (spawned at a job's first chunk,
    # shut down after import_parsers_idle_s without one): N−1 of N cores, the service's
    # process writing on the last; 0 (the default on one core) parses on the event loop.
    import_parsers: int = Field(default_factory=lambda: usable_cores() - 1, ge=0)
    import_parsers_idle_s: float = 60.0
    # The daily rank run (entrypoints/rank_worker.py) looks for tenants not yet ranked on the
    # Japan day every rank_poll_s.
    rank_poll_s: float = 600.0
