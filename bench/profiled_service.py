"""Run one service (``python -m <service>``) with a sampling profiler the benchmark switches on
and off by signal, so that the report covers the measured load only (not imports, migrations
or the demo seed), without a hook in the service's code.

    python bench/profiled_service.py <service> <report-prefix>

SIGUSR1 starts pyinstrument (1 ms interval, main thread: the event loop); SIGUSR2 stops it and
writes ``<prefix>.txt`` (call tree) and ``<prefix>.flat.txt`` (functions by self time).
"""

import runpy
import signal
import sys

from pyinstrument import Profiler

service, prefix = sys.argv[1], sys.argv[2]
profiler = Profiler(interval=0.001, async_mode="disabled")


def _start(*_: object) -> None:
    if not profiler.is_running:
        profiler.start()


def _stop(*_: object) -> None:
    if not profiler.is_running:
        return
    profiler.stop()
    with open(f"{prefix}.txt", "w") as f:
        f.write(profiler.output_text(unicode=True, color=False))
    with open(f"{prefix}.flat.txt", "w") as f:
        f.write(profiler.output_text(unicode=True, color=False, flat=True))


signal.signal(signal.SIGUSR1, _start)
signal.signal(signal.SIGUSR2, _stop)
sys.argv = [service]
runpy.run_module(service, run_name="__main__", alter_sys=True)
