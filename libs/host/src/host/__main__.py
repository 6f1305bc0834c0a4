"""``python -m host run``: the embedded default. ``python -m host multi``: one process per
service against the PostgreSQL and RabbitMQ in the environment. ``python -m host dlq``: the
dead letters on that RabbitMQ (see docs/runbook.md)."""

import asyncio
import os
import signal
from pathlib import Path

import typer

from host.dlq import dlq

app = typer.Typer(add_completion=False, help="顧客管理 CRM launcher")
app.add_typer(dlq, name="dlq")


@app.command()
def run(
    port: int = typer.Option(8000, help="web client and API port"),
    host: str = typer.Option("127.0.0.1"),
    data_dir: Path = typer.Option(Path(".data/postgres"), help="embedded PostgreSQL data folder"),
) -> None:
    """Everything in one process: embedded PostgreSQL, in-memory bus, demo data."""
    asyncio.run(_run_embedded(host=host, port=port, data_dir=data_dir))


async def _run_embedded(*, host: str, port: int, data_dir: Path) -> None:
    from kit.logging import configure_logging
    from kit.mailsink import MailSink
    from kit.settings import CommonSettings

    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres

    # SIGTERM/SIGINT ask for a clean stop, at any point of the start-up too. (uvicorn alone
    # re-raises the signal once it has stopped serving, which killed the process before the
    # clean-stop marker was written and the embedded PostgreSQL stopped.)
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_requested.set)
    common = CommonSettings(bus="memory")
    configure_logging(level=common.log_level, fmt=common.log_format)
    # Without a mail server of one's own, mails (通知先 notifications) land in a local Maildir.
    sink, mail_note = None, f"SMTP {common.smtp_host}:{common.smtp_port}"
    if common.smtp_host is None:
        mail_dir = data_dir.parent / "mail"
        sink = MailSink(maildir=mail_dir)
        smtp_port = await sink.start()
        common = common.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp_port})
        mail_note = f"{mail_dir} (Maildir; SMTP 127.0.0.1:{smtp_port})"
    try:
        system = EmbeddedSystem(
            url_template=start_embedded_postgres(data_dir), common=common, state_dir=data_dir.parent
        )
        await system.start()
        try:
            await _serve(system, host=host, port=port, mail_note=mail_note, stop=stop_requested)
        finally:
            await system.stop()
    finally:
        stop_embedded_postgres(data_dir)
        if sink is not None:
            await sink.stop()


async def _serve(system, *, host: str, port: int, mail_note: str, stop: asyncio.Event) -> None:  # type: ignore[no-untyped-def]
    import httpx
    import uvicorn

    from host.demo import STORE_CODE, post_demo_inquiries, prepare_demo_booking

    transport = httpx.ASGITransport(app=system.gateway_app)
    async with system.runtimes["gateway"].uow(tenant_id=None) as uow:
        tenant = await uow.accounts.tenant_by_slug(slug="demo")  # type: ignore[attr-defined]
        store = await uow.accounts.store_by_code(tenant_id=tenant.id, code=STORE_CODE)  # type: ignore[attr-defined]
        store_id = str(store.id)
    async with httpx.AsyncClient(transport=transport, base_url="http://embedded") as client:
        await prepare_demo_booking(client, store_id=store_id)
        posted = await post_demo_inquiries(client)
    if stop.is_set():
        return
    print(
        f"\n  顧客管理 is running: http://{host}:{port}/\n"
        f"  demo login: admin@demo.example / demo-admin-pass (管理者)\n"
        f"              staff@demo.example / demo-staff-pass (一般)\n"
        f"  portal webhook: POST /api/v1/portal/demo/inquiries (secret demo-portal-secret)\n"
        f"  demo inquiries posted now: {posted}\n"
        f"  mails sent go to: {mail_note}\n",
        flush=True,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            system.gateway_app, host=host, port=port, log_level="warning", lifespan="off"
        )
    )
    serving = asyncio.create_task(server.serve())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopping.cancel()
    await serving


@app.command()
def multi(
    ready_timeout: float = typer.Option(
        180.0, help="seconds the services have to answer /readyz (six start at once)"
    ),
    replicas: list[str] = typer.Option(
        [], help="SERVICE=N: N processes of that service (competing consumers), e.g. customer=2"
    ),
) -> None:
    """Every service as its own process; URLs come from the environment."""
    from host.processes import (
        PORTS,
        free_port,
        start_services,
        stop_services,
        wait_ready,
        with_replicas,
    )

    ports = {name: int(os.environ.get(f"{name.upper()}_PORT", p)) for name, p in PORTS.items()}
    counts: dict[str, int] = {}
    for item in replicas:
        service, _, count = item.partition("=")
        if service not in PORTS or not count.isdigit() or int(count) < 1:
            raise typer.BadParameter(f"{item!r}: SERVICE=N with one of {sorted(PORTS)} and N ≥ 1")
        counts[service] = int(count)
    ports = with_replicas(ports, counts, free_port)
    # SIGTERM (make forwards it to this process alone) stops the services first, as SIGINT
    # does; further signals while they stop are ignored so that the stop is not cut short.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop_requested)
    procs = start_services({}, ports)
    try:
        wait_ready(ports, procs, timeout_s=ready_timeout)
        print(f"all services ready; web client on http://127.0.0.1:{ports['gateway']}/", flush=True)
        while True:
            signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        stop_services(procs)


def _stop_requested(signum: int, frame: object) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


if __name__ == "__main__":
    app()
