"""``python -m orders.reports``: the operator's commands of the reporting model (ORD-6).
``rebuild`` replaces a tenant's (or every tenant's) reports by what the orders tables hold,
one transaction per tenant, beside the running consumer (decision 91): for a tenant that took
orders before the reports were deployed, or after a fix of the figures.

    ORDERS_DATABASE_URL=postgresql+asyncpg://… python -m orders.reports rebuild [--tenant <id>]
"""

import asyncio
from uuid import UUID

import typer
from kit import db, migrations

from orders.adapters.report_rebuild import Rebuilt, rebuild, tenants
from orders.settings import OrdersSettings

app = typer.Typer(add_completion=False, help="顧客管理: 集計（レポート）の運用コマンド")


async def rebuild_in(settings: OrdersSettings, *, tenant_id: UUID | None) -> list[Rebuilt]:
    """The command's work against the service's database (migrated first, as at start)."""
    engine = db.create_engine(settings.database_url, pool_size=1)
    try:
        await migrations.upgrade(engine, "orders.migrations")
        ids = [tenant_id] if tenant_id is not None else await tenants(engine)
        return [await rebuild(engine, t) for t in ids]
    finally:
        await engine.dispose()


@app.callback()
def main() -> None:
    """集計の運用コマンド（ORDERS_DATABASE_URL のデータベースに対して）。"""


@app.command("rebuild")
def rebuild_command(
    tenant: UUID | None = typer.Option(None, help="会社（テナント）のID。省略するとすべての会社"),
) -> None:
    """受注・明細・キャンセル・返品・アンケートから集計を作り直します（稼働中でも可）。"""
    for done in asyncio.run(rebuild_in(OrdersSettings(), tenant_id=tenant)):
        typer.echo(f"{done.tenant_id}: 受注{done.orders:,}件・記録{done.events:,}件を反映して"
                   f"作り直しました（{done.rebuilt_at:%Y-%m-%d %H:%M:%S} UTC）。")  # fmt: skip


if __name__ == "__main__":
    app()
