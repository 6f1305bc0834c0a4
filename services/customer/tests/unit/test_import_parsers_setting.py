"""CUSTOMER_IMPORT_PARSERS by default: the usable cores − 1 (none on one core), where a container's
CPU limit (cgroup v2 cpu.max) caps the cores the process may run on."""

import os
from pathlib import Path

import pytest
from customer.settings import CustomerSettings, usable_cores

AFFINITY = len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [
        ("max 100000\n", AFFINITY),  # no limit
        ("50000 100000\n", 1),  # half a core: one
        ("150000 100000\n", min(AFFINITY, 2)),  # 1.5 cores: two, never more than the affinity
        (f"{(AFFINITY + 8) * 100000} 100000\n", AFFINITY),
    ],
)
def test_a_cpu_limit_caps_the_cores(tmp_path: Path, cpu_max: str, expected: int) -> None:
    (tmp_path / "cpu.max").write_text(cpu_max)
    assert usable_cores(tmp_path / "cpu.max") == expected


def test_no_cgroup_file_is_the_affinity(tmp_path: Path) -> None:
    assert usable_cores(tmp_path / "absent") == AFFINITY


def test_the_default_leaves_a_core_to_the_service_and_0_parses_inline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CUSTOMER_IMPORT_PARSERS", raising=False)
    default = CustomerSettings(database_url="postgresql+asyncpg://x/y").import_parsers
    assert default == usable_cores() - 1
    assert (
        CustomerSettings(database_url="postgresql+asyncpg://x/y", import_parsers=0).import_parsers
        == 0
    )
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        CustomerSettings(database_url="postgresql+asyncpg://x/y", import_parsers=-1)
