"""The operator's ``python -m gateway.operator partners …`` against the gateway's real
database and the real RabbitMQ (decision 104): create shows the credentials once and they
open a connection; list; an unknown event type or company is refused in Japanese with
nothing written; rotate draws a new password; delete removes the user and the row."""

import asyncio
import re
import uuid

import pika
import pika.exceptions
import pytest
from gateway.operator import app, create_company_in
from gateway.settings import GatewaySettings
from gateway.use_cases.account_admin import NewCompany
from kit import db
from kit.testing import delete_bus_namespace, unique_name
from typer.testing import CliRunner

pytestmark = [pytest.mark.database, pytest.mark.broker]


def _credentials(output: str) -> dict[str, str]:
    found = dict(re.findall(r"^\s+(AMQP URL|ユーザー|パスワード|キュー):\s+(\S+)$", output, re.M))
    assert set(found) == {"AMQP URL", "ユーザー", "パスワード", "キュー"}, output
    return found


def _connect(found: dict[str, str]) -> pika.BlockingConnection:
    host = found["AMQP URL"].split("//", 1)[1]
    params = pika.URLParameters(f"amqp://{found['ユーザー']}:{found['パスワード']}@{host}")
    params.connection_attempts, params.socket_timeout = 1, 5
    return pika.BlockingConnection(params)


async def test_the_operator_creates_lists_rotates_and_deletes_a_partner(
    database_factory, amqp_url, amqp_management
) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("gateway")
    slug, namespace = f"co-{uuid.uuid4().hex[:8]}", unique_name("t")
    await db.ensure_database(url)
    await create_company_in(GatewaySettings(database_url=url), NewCompany(
        name="(株)連携不動産", slug=slug, business_types=["real_estate"],
        store_code="00000100101", store_name="田町支店", admin_email=f"owner@{slug}.example",
        admin_name="山田 太郎"))  # fmt: skip
    env = {"GATEWAY_DATABASE_URL": url, "CRM_AMQP_URL": amqp_url, "CRM_BUS": "amqp",
           "CRM_BUS_NAMESPACE": namespace, "CRM_AMQP_MANAGEMENT_URL": amqp_management}  # fmt: skip
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["partners", *args], env=env)

    try:
        bad = await asyncio.to_thread(run, "create", "--company", slug, "--name", "ポータル",
                                      "--event-type", "nobody.nothing.v1")  # fmt: skip
        assert bad.exit_code == 1 and "存在しないイベント" in bad.output, bad.output
        none = await asyncio.to_thread(run, "create", "--company", "no-such-co", "--name", "x",
                                       "--event-type", "customer.merged.v1")  # fmt: skip
        assert none.exit_code == 1 and "見つかりません" in none.output, none.output
        listed = await asyncio.to_thread(run, "list", "--company", slug)
        assert listed.exit_code == 0 and listed.output.strip() == "", listed.output

        made = await asyncio.to_thread(run, "create", "--company", slug, "--name", "ポータル",
                                       "--event-type", "customer.merged.v1",
                                       "--event-type", "gateway.store_changed.v1")  # fmt: skip
        assert made.exit_code == 0, made.output
        found = _credentials(made.output)
        assert found["キュー"] == found["ユーザー"] and found["キュー"].startswith(namespace)
        partner_id = found["キュー"].rsplit(".", 1)[1]
        (await asyncio.to_thread(_connect, found)).close()
        listed = await asyncio.to_thread(run, "list", "--company", slug)
        assert partner_id in listed.output and "gateway.store_changed.v1" in listed.output
        assert found["パスワード"] not in listed.output  # shown once

        rotated = await asyncio.to_thread(run, "rotate", "--company", slug,
                                          "--partner-id", partner_id)  # fmt: skip
        assert rotated.exit_code == 0, rotated.output
        again = _credentials(rotated.output)
        assert again["パスワード"] != found["パスワード"]
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            await asyncio.to_thread(_connect, found)
        (await asyncio.to_thread(_connect, again)).close()

        gone = await asyncio.to_thread(run, "delete", "--company", slug, "--partner-id", partner_id)
        assert gone.exit_code == 0, gone.output
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            await asyncio.to_thread(_connect, again)
        listed = await asyncio.to_thread(run, "list", "--company", slug)
        assert listed.output.strip() == "", listed.output
    finally:
        await delete_bus_namespace(amqp_url, namespace, queues=(), retry_delays_ms=[])
