"""``python -m gateway.operator``: what the operator of an installation does outside the web
client. ``create-company`` creates a tenant (会社) with its business types, its first store
and its first admin, who receives an invitation mail to set a password; the running gateway
sends it (its mail worker) and announces the store (its outbox relay).

    GATEWAY_DATABASE_URL=postgresql+asyncpg://… python -m gateway.operator create-company \\
        --name "(株)スーム不動産" --slug soom --business-type real_estate \\
        --store-code 00000100101 --store-name 田町支店 \\
        --admin-email owner@soom.example --admin-name "山田 太郎"

``partners create|list|rotate|delete`` manage a company's AMQP partner feeds (decision 104;
the RabbitMQ of CRM_AMQP_URL and its management API):

    python -m gateway.operator partners create --company soom --name 物件ポータルA \
        --event-type customer.merged.v1 --event-type inquiry.received.v1
"""

import asyncio
from datetime import UTC, datetime
from uuid import UUID

import typer
from kit import db, migrations
from kit.errors import DomainError

from gateway.bootstrap import build_runtime
from gateway.settings import GatewaySettings
from gateway.use_cases import partners
from gateway.use_cases.account_admin import NewCompany, add_store, create_company

app = typer.Typer(add_completion=False, help="顧客管理: 運用者のコマンド")
partners_app = typer.Typer(add_completion=False, help="パートナー連携（AMQP）")
app.add_typer(partners_app, name="partners")


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


async def partners_in(settings: GatewaySettings, slug: str, action) -> object:  # type: ignore[no-untyped-def]
    """``action(tenant_id, feeds, uow)`` in a transaction of the company ``slug``."""
    runtime = build_runtime(settings)
    runtime.engine = db.create_engine(settings.database_url, pool_size=1)
    runtime.sessions = db.session_factory(runtime.engine)
    try:
        await migrations.upgrade(runtime.engine, "gateway.migrations")
        async with runtime.uow(tenant_id=None) as uow:
            tenant = await uow.accounts.tenant_by_slug(slug=slug)  # type: ignore[attr-defined]
            tenant_id = tenant.id if tenant is not None else None
        if tenant_id is None:
            raise DomainError(f"会社「{slug}」が見つかりません。", code="not_found")
        tx = runtime.transactions(tenant_id=tenant_id)
        return await tx.run(lambda uow: action(tenant_id, runtime.partner_feeds, uow))
    finally:
        await runtime.engine.dispose()


def _run_partners(slug: str, action) -> object:  # type: ignore[no-untyped-def]
    try:
        return asyncio.run(partners_in(GatewaySettings(), slug, action))
    except (DomainError, partners.ServiceUnavailable) as exc:
        typer.echo(f"できませんでした: {getattr(exc, 'message', exc)}", err=True)
        raise typer.Exit(1) from exc


def _show_access(partner, access) -> None:  # type: ignore[no-untyped-def]
    typer.echo(f"パートナー「{partner.name}」 id {partner.id}")
    typer.echo("接続情報（パスワードはこの一度だけ表示します）:")
    typer.echo(f"  AMQP URL:   {access.amqp_url}\n  ユーザー:   {access.username}\n"
               f"  パスワード: {access.password}\n  キュー:     {access.queue}")  # fmt: skip


@partners_app.command("create")
def partners_create(
    company: str = typer.Option(..., help="会社のスラッグ"),
    name: str = typer.Option(..., help="パートナーの名前"),
    event_type: list[str] = typer.Option(
        ..., help="受け取るイベント（例: customer.merged.v1; 複数指定可）"
    ),
) -> None:
    """パートナーを作成し、接続情報を一度だけ表示します。"""
    spec = partners.NewPartner(name, event_type)
    partner, access = _run_partners(company, lambda tenant_id, feeds, uow: partners.create_partner(
        spec, tenant_id=tenant_id, feeds=feeds, uow=uow))  # type: ignore[misc]  # fmt: skip
    _show_access(partner, access)


@partners_app.command("list")
def partners_list(company: str = typer.Option(..., help="会社のスラッグ")) -> None:
    """会社のパートナーの一覧。"""
    found = _run_partners(company, lambda _t, _f, uow: partners.partners(uow=uow))
    for p in found:  # type: ignore[attr-defined]
        typer.echo(f"{p.id}  {p.name}  {p.queue}  {','.join(p.event_types)}")


@partners_app.command("rotate")
def partners_rotate(
    company: str = typer.Option(..., help="会社のスラッグ"),
    partner_id: UUID = typer.Option(..., help="パートナーのid"),
) -> None:
    """新しいパスワードを発行します（接続中の接続は切断されます）。"""
    partner, access = _run_partners(company, lambda _t, feeds, uow: partners.rotate_partner(
        partner_id=partner_id, admin=True, feeds=feeds, now=datetime.now(UTC), uow=uow))  # type: ignore[misc]  # fmt: skip
    _show_access(partner, access)


@partners_app.command("delete")
def partners_delete(
    company: str = typer.Option(..., help="会社のスラッグ"),
    partner_id: UUID = typer.Option(..., help="パートナーのid"),
) -> None:
    """パートナーを削除します（接続を切断し、RabbitMQのユーザーとキューを削除）。"""
    _run_partners(company, lambda _t, feeds, uow: partners.delete_partner(
        partner_id=partner_id, admin=True, feeds=feeds, uow=uow))  # fmt: skip
    typer.echo(f"パートナー {partner_id} を削除しました。")


if __name__ == "__main__":
    app()
