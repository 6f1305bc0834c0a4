"""A newcomer's first minutes: the repository's HEAD cloned into an empty folder (no `.data/`),
`make install`, then `make run` and `make multi` exactly as the README says, each logged into
and stopped with SIGTERM; nothing they started may outlive them, PostgreSQL included."""

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest
from host.embedded import RUNNING_FILE, running_postmasters
from host.processes import service_env
from kit.testing import SERVICE_QUEUES, delete_bus_namespace, unique_name

from tests.e2e.flows import ROOT, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker]

UV = ROOT / ".tools" / "bin" / "uv"  # the checkout's uv; the clone reuses uv's package cache
SERVICES = ["gateway", "inquiry", "customer", "booking", "leads", "orders"]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("clone") / "crm"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True, timeout=60)
    assert not (folder / ".data").exists()
    _make(folder, "install", log=folder.parent / "install.log").wait(timeout=300)
    yield folder
    for pid in running_postmasters(folder):  # only when a test failed: nothing left behind
        os.kill(pid, signal.SIGTERM)


def _make(folder: Path, *args: str, log: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    full_env = {**os.environ, **(env or {})}
    full_env.pop("MAKEFLAGS", None)  # when run from `make test`
    full_env.pop("MAKELEVEL", None)
    with open(log, "ab") as out:
        return subprocess.Popen(
            ["make", "--no-print-directory", *args, f"UV={UV}"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            start_new_session=True,  # its own process group, as in a terminal
        )


def _serving(proc: subprocess.Popen, base: str, log: Path, *, within_s: float = 240) -> None:
    deadline = time.monotonic() + within_s
    while True:
        assert proc.poll() is None, f"exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"not serving:\n{log.read_text()[-3000:]}"
        time.sleep(0.5)


def _logs_in(base: str) -> None:
    page = httpx.get(f"{base}/login")
    assert "ログイン" in page.text
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "admin@demo.example", "password": "demo-admin-pass"},
    )
    assert token.status_code == 200, token.text
    headers = {"authorization": f"Bearer {token.json()['access_token']}"}
    assert httpx.get(f"{base}/api/v1/customers", headers=headers).status_code == 200


def _processes_of(folder: Path) -> list[str]:
    """Every process working in the clone or naming it (the services, PostgreSQL)."""
    root = str(folder)
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        cmd = " ".join(proc.info["cmdline"] or [])
        cwd = proc.info["cwd"] or ""
        if cwd == root or cwd.startswith(root + "/") or root in cmd:
            found.append(f"{proc.info['pid']} {cmd}")
    return found


def _all_gone(proc: subprocess.Popen, folder: Path, log: Path) -> None:
    proc.wait(timeout=60)
    deadline = time.monotonic() + 60
    while left := _processes_of(folder):
        assert time.monotonic() < deadline, f"left running: {left}\n{log.read_text()[-3000:]}"
        time.sleep(0.5)
    assert running_postmasters(folder) == []


@pytest.mark.timeout(900)
def test_make_run_in_a_fresh_clone_serves_logs_in_and_stops_whole(clone: Path) -> None:
    port, log = free_port(), clone.parent / "run.log"
    proc = _make(clone, "run", f"PORT={port}", log=log, env={"CRM_OUTBOX_POLL_INTERVAL_S": "0.5"})
    try:
        _serving(proc, f"http://127.0.0.1:{port}", log)
        _logs_in(f"http://127.0.0.1:{port}")
        assert (clone / ".data" / "mail").is_dir() and (clone / ".data" / "postgres").is_dir()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # what a terminal or supervisor sends
    try:
        _all_gone(proc, clone, log)
    finally:
        _kill_group(proc)
    output = log.read_text()
    assert "admin@demo.example / demo-admin-pass" in output
    for noise in ("unclean stop", "duplicate event skipped", "RuntimeDirWarning", "Traceback"):
        assert noise not in output, output[-3000:]
    assert not (clone / ".data" / RUNNING_FILE).exists()  # the stop was recorded as clean


@pytest.mark.timeout(900)
def test_make_multi_in_a_fresh_clone_serves_logs_in_and_stops_whole(
    clone: Path, pg_server_url: str, amqp_url: str
) -> None:
    namespace = unique_name("e2e")
    ports = {name: free_port() for name in SERVICES}
    env = service_env(
        pg_base=pg_server_url,
        amqp_url=amqp_url,
        ports=ports,
        db_prefix=namespace,
        extra={
            "CRM_BUS_NAMESPACE": namespace,
            "CRM_RETRY_DELAYS_MS": "[100, 200]",
            "GATEWAY_SEED_DEMO": "true",
        },
    )
    log = clone.parent / "multi.log"
    proc = _make(clone, "multi", log=log, env=env)
    try:
        try:
            _serving(proc, f"http://127.0.0.1:{ports['gateway']}", log)
            _logs_in(f"http://127.0.0.1:{ports['gateway']}")
        finally:
            # To make alone, which passes it to the launcher only, not to the services.
            os.kill(proc.pid, signal.SIGTERM)
        _all_gone(proc, clone, log)
    finally:
        _kill_group(proc)
        _drop_databases(pg_server_url, namespace)
        asyncio.run(
            delete_bus_namespace(
                amqp_url, namespace, queues=SERVICE_QUEUES, retry_delays_ms=[100, 200]
            )
        )


def _kill_group(proc: subprocess.Popen) -> None:
    """What is still in the launcher's process group when a test failed."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group is empty: the launcher stopped everything
    proc.wait(timeout=30)


def _drop_databases(pg_server_url: str, prefix: str) -> None:
    dsn = pg_server_url.replace("postgresql+asyncpg://", "postgresql://")
    for name in SERVICES:
        sql = f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)'
        subprocess.run(["psql", f"{dsn}/postgres", "-q", "-c", sql], check=True, timeout=60)
