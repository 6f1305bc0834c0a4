"""``python -m gateway.operator``: what the operator of an installation does outside the web
client. ``create-company`` creates a tenant (会社) with its business types, its first store
and its first admin, who receives an invitation mail to set a password; the running gateway
sends it (its mail worker) and announces the store (its outbox relay).

    GATEWAY_DATABASE_URL=postgresql+asyncpg://… python -m gateway.operator create-company \\
        --name "(株)スーム不動産" --slug soom --business-type real_estate \\
        --store-code 00000100101 --store-name 田町支店 \\
        --admin-email owner@soom.example --admin-name "山田 太郎"
"""

import asyncio
from datetime import UTC, datetime
from uuid import UUID

import typer
from kit import db, migrations
from kit.errors import DomainError

from gateway.bootstrap import build_runtime
from gateway.settings import GatewaySettings
from gateway.use_cases.account_admin import NewCompany, add_store, create_company

app = typer.Typer(add_completion=False, help="顧客管理: 運用者のコマンド")


async def create_company_in(settings: GatewaySettings, spec: NewCompany) -> UUID:
    """The command's work, against the gateway's database (migrated first, as at start)."""
    runtime = build_runtime(settings)
    runtime.engine = db.create_engine(settings.database_url, pool_size=1)
    runtime.sessions = db.session_factory(runtime.engine)
    try:
        await migrations.upgrade(runtime.engine, "gateway.migrations")
        tx = runtime.transactions(tenant_id=None)
        return await tx.run(lambda uow: create_company(
            spec, public_url=settings.public_url, now=datetime.now(UTC), uow=uow))  # fmt: skip
    finally:
        await runtime.engine.dispose()


async def add_store_in(settings: GatewaySettings, *, slug: str, code: str, name: str) -> UUID:
    runtime = build_runtime(settings)
    runtime.engine = db.create_engine(settings.database_url, pool_size=1)
    runtime.sessions = db.session_factory(runtime.engine)
    try:
        await migrations.upgrade(runtime.engine, "gateway.migrations")
        tx = runtime.transactions(tenant_id=None)
        return await tx.run(lambda uow: add_store(slug=slug, code=code, name=name, uow=uow))
    finally:
        await runtime.engine.dispose()


@app.callback()
def main() -> None:
    """運用者のコマンド（GATEWAY_DATABASE_URL のデータベースに対して）。"""


@app.command("create-company")
def create_company_command(
    name: str = typer.Option(..., help="会社名 (例: (株)スーム不動産)"),
    slug: str = typer.Option(..., help="URLに使う英数字の識別子 (例: soom)"),
    business_type: list[str] = typer.Option(
        ..., help="業種: real_estate / salon / mail_order（複数指定可）"
    ),
    store_code: str = typer.Option(..., help="最初の店舗のコード (例: 00000100101)"),
    store_name: str = typer.Option(..., help="最初の店舗の名前 (例: 田町支店)"),
    admin_email: str = typer.Option(..., help="最初の管理者のメールアドレス（招待メールの宛先）"),
    admin_name: str = typer.Option(..., help="最初の管理者の氏名"),
) -> None:
    """会社・最初の店舗・最初の管理者を作成し、管理者に招待メールを送ります。"""
    spec = NewCompany(name=name, slug=slug, business_types=business_type, store_code=store_code,
                      store_name=store_name, admin_email=admin_email, admin_name=admin_name)  # fmt: skip
    try:
        asyncio.run(create_company_in(GatewaySettings(), spec))
    except DomainError as exc:
        typer.echo(f"作成できませんでした: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"会社「{name}」を作成し、{admin_email} に招待メールを送りました（送信は起動中の"
               "ゲートウェイが行います）。")  # fmt: skip


@app.command("add-store")
def add_store_command(
    slug: str = typer.Option(..., help="会社のスラッグ"),
    code: str = typer.Option(..., help="店舗コード (例: 00000100102)"),
    name: str = typer.Option(..., help="店舗名 (例: 品川支店)"),
) -> None:
    """会社に店舗を追加します（所属はアカウント一覧で設定します）。"""
    try:
        asyncio.run(add_store_in(GatewaySettings(), slug=slug, code=code, name=name))
    except DomainError as exc:
        typer.echo(f"追加できませんでした: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"店舗「{name}」({code}) を追加しました。")


if __name__ == "__main__":
    app()
