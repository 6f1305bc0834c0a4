"""``python -m host dlq``: the dead-letter inspector (kit.dead_letters) on the RabbitMQ of
the multi-process mode, ``CRM_AMQP_URL`` and ``CRM_BUS_NAMESPACE`` as the services read them.
Every tenant's dead letters: an operator's command. (The embedded mode's in-memory bus lives
in its own process: its dead letters are on the gateway's 管理者 page.)"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import typer
from kit.bus import RabbitBus
from kit.dead_letters import SERVICES, DeadLetter, DeadLetterInspector
from kit.settings import CommonSettings

dlq = typer.Typer(add_completion=False, help="dead letters: list, show, re-drive")
SERVICE = typer.Option(None, "--service", help=f"one of {', '.join(SERVICES)} (default: all)")


def _with_inspector(work: Callable[[DeadLetterInspector], Awaitable[Any]]) -> Any:
    common = CommonSettings()
    if common.bus != "amqp":
        raise typer.BadParameter("CRM_BUS is not amqp: the embedded mode's dead letters are on "
                                 "the gateway's 管理者 page (/admin/dead-letters)")  # fmt: skip

    async def run() -> Any:
        bus = RabbitBus(url=common.amqp_url, namespace=common.bus_namespace,
                        retry_delays_ms=common.retry_delays_ms, connect_timeout_s=10)  # fmt: skip
        await bus.start()
        try:
            return await work(DeadLetterInspector(bus))
        finally:
            await bus.close()

    return asyncio.run(run())


def _check(service: str | None) -> None:
    if service is not None and service not in SERVICES:
        raise typer.BadParameter(f"--service must be one of {', '.join(SERVICES)}")


def _summary(d: DeadLetter) -> dict[str, Any]:
    return {"service": d.service, "event_id": d.event_id, "event_type": d.event_type,
            "routing_key": d.routing_key, "tenant_id": str(d.tenant_id) if d.tenant_id else None,
            "occurred_at": d.occurred_at.isoformat() if d.occurred_at else None,
            "dead_lettered_at": d.dead_lettered_at.isoformat() if d.dead_lettered_at else None,
            "attempts": d.attempts, "redrives": d.redrives, "error": d.error}  # fmt: skip


@dlq.command("list")
def list_(
    service: str | None = SERVICE,
    as_json: bool = typer.Option(False, "--json", help="one JSON object a line"),
) -> None:
    """Every dead letter (no payload): service, event id and type, when, attempts, error."""
    _check(service)
    letters = _with_inspector(lambda i: i.list(service=service))
    for d in letters:
        if as_json:
            typer.echo(json.dumps(_summary(d), ensure_ascii=False))
        else:
            when = d.dead_lettered_at.isoformat(timespec="seconds") if d.dead_lettered_at else "-"
            typer.echo(f"{d.service}\t{d.event_id}\t{d.event_type or d.routing_key}\t{when}\t"
                       f"attempts={d.attempts}\t{d.error}")  # fmt: skip
    if not as_json:
        typer.echo(f"{len(letters)} dead letter(s)", err=True)


@dlq.command()
def show(event_id: str, service: str | None = SERVICE) -> None:
    """One dead letter with its whole message (it holds personal data: read, do not paste)."""
    _check(service)
    letter = _with_inspector(lambda i: i.show(event_id, service=service))
    if letter is None:
        typer.echo(f"no dead letter {event_id}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps({**_summary(letter), "body": letter.body}, ensure_ascii=False, indent=2))


@dlq.command()
def redrive(
    event_id: str | None = typer.Argument(None, help="the event id (or --all)"),
    all_: bool = typer.Option(False, "--all", help="every dead letter (of --service)"),
    service: str | None = SERVICE,
) -> None:
    """Send dead letters back to their service's queue, once each, retries renewed."""
    _check(service)
    if (event_id is None) == (not all_):
        raise typer.BadParameter("give an event id or --all, not both")
    sent = _with_inspector(lambda i: i.redrive(event_id=event_id, service=service))
    typer.echo(f"re-driven: {sent}")
    if event_id is not None and sent == 0:
        raise typer.Exit(1)
