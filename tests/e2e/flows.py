"""The flows the end-to-end tests drive through the public API, the way a portal and a
member of staff would; shared by the embedded and the multi-process tests."""

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import re
import subprocess
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from host.processes import (
    free_port,
    service_env,
    start_services,
    stop_services,
    wait_ready,
    with_replicas,
)
from kit import clock
from kit.testing import SERVICE_QUEUES, delete_bus_namespace, unique_name
from kit.testing import eventually as eventually  # the tests take it from here

DEMO_SECRET = "demo-portal-secret"
ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"  # browser screenshots kept by CI
CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright cannot download browsers here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Chromium on Linux takes its UI language (date inputs' 年/月/日, from Debian's chromium-l10n)
# from LANGUAGE, not from the page's locale: launch(executable_path=CHROMIUM, env=CHROMIUM_ENV).
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "ja"}
STORE_CODE = "00000100101"
# Portal reservations of the tests ask for 11:00–12:00 on this day, always ahead: booking
# flags a reservation that arrives after its time as a conflict.
VISIT_DAY = clock.today() + timedelta(days=11)


# Coupon tickets the tests issue are valid this long, whenever the tests run.
TICKET_EXPIRY = clock.today() + timedelta(days=400)


def jp_day(day: date) -> str:
    """2026/12/12(土), as the web client writes a day."""
    return f"{day:%Y/%m/%d}({'月火水木金土日'[day.weekday()]})"


def inquiry_body(
    *,
    email: str,
    name: str,
    phone: str,
    inquiry_id: str | None = None,
    kind: str = "document_request",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "inquiry_id": inquiry_id or f"p-{uuid.uuid4().hex[:12]}",
        "kind": kind,
        "received_at": "2026-11-20T21:00:00+09:00",
        "store_code": STORE_CODE,
        "customer": {
            "name": name,
            "name_kana": "テスト",
            "email": email,
            "phone": phone,
            "address": "東京都港区芝浦1-1-1",
        },
        "property": {
            "code": "P-1",
            "name": "スームマンション",
            "address": "東京都住まい区スーム村1-1-1",
            "price_yen": 70_000_000,
        },
        "requested_visit": None,
        "message": "資料をお願いします。",
    }
    if kind == "visit_reservation":
        body["requested_visit"] = {
            "starts_at": f"{VISIT_DAY}T11:00:00+09:00",
            "ends_at": f"{VISIT_DAY}T12:00:00+09:00",
        }
    return body


def sign(raw: bytes, secret: str = DEMO_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


async def post_inquiry(
    client: httpx.AsyncClient,
    body: dict[str, Any],
    *,
    tenant: str = "demo",
    secret: str = DEMO_SECRET,
) -> httpx.Response:
    raw = json.dumps(body, ensure_ascii=False).encode()
    return await client.post(
        f"/api/v1/portal/{tenant}/inquiries",
        content=raw,
        headers={"content-type": "application/json", "x-portal-signature": sign(raw, secret)},
    )


async def login(
    client: httpx.AsyncClient,
    username: str = "admin@demo.example",
    password: str = "demo-admin-pass",
) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return {"authorization": f"Bearer {body['access_token']}"}


async def once_known(send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """``send`` (a request naming a customer just registered) again while the service it goes
    to answers 404: that service learns the tenant's customers by event, on its way."""

    async def answered() -> httpx.Response | None:
        r = await send()
        return None if r.status_code == 404 else r

    return await eventually(answered)


async def customers_by_email(
    client: httpx.AsyncClient, headers: dict[str, str], email: str
) -> list:
    response = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def open_demo_store_every_day(client: httpx.AsyncClient, headers: dict[str, str]) -> dict:
    """The demo store open 09:00–20:00 every day with 3 staff (browser tests book on any
    weekday); returns the store."""
    stores = (await client.get("/api/v1/stores", headers=headers)).json()
    store = next(s for s in stores if s["code"] == STORE_CODE)
    every_day = {str(d): ["09:00", "20:00"] for d in range(7)}
    r = await client.put(f"/api/v1/booking/stores/{store['id']}", headers=headers,
                         json={"name": "田町支店", "staff_count": 3, "hours": every_day})  # fmt: skip
    assert r.status_code == 200, r.text
    return store


async def portal_customer(
    client: httpx.AsyncClient, headers: dict[str, str], *, email: str, name: str
) -> dict:
    """A customer made the way most are: a portal inquiry, linked by its email."""
    body = inquiry_body(email=email, name=name, phone="090-1234-0000")
    assert (await post_inquiry(client, body)).status_code == 202
    [customer] = await eventually(lambda: customers_by_email(client, headers, email))
    return customer


async def identity_flow(client: httpx.AsyncClient) -> None:
    """Seed 000: same first-inquiry email, different name and phone → one customer with both
    inquiries and both phones; a different email → another customer."""
    headers = await login(client)
    tag = uuid.uuid4().hex[:8]
    email = f"flow-{tag}@example.com"
    first = inquiry_body(email=email, name="住まい 花子", phone="090-1111-0001")
    second = inquiry_body(
        email=email.upper(),
        name="住まい 華子",
        phone="０３-１２３４-５６７８",
        kind="visit_reservation",
    )
    other = inquiry_body(
        email=f"other-{tag}@example.com", name="かもめ 一郎", phone="090-2222-0002"
    )

    r1 = await post_inquiry(client, first)
    assert r1.status_code == 202, r1.text
    await eventually(lambda: customers_by_email(client, headers, email))
    for body in (second, other):
        r = await post_inquiry(client, body)
        assert r.status_code == 202, r.text

    async def joined() -> dict | None:
        items = await customers_by_email(client, headers, email)
        if len(items) == 1:
            detail = (
                await client.get(f"/api/v1/customers/{items[0]['id']}", headers=headers)
            ).json()
            if len(detail["inquiries"]) == 2:
                return detail
        return None

    customer = await eventually(joined)
    assert customer["name"] == "住まい 花子"  # the first inquiry's customer
    assert sorted(customer["phones"]) == ["03-1234-5678", "090-1111-0001"]
    assert {i["kind"] for i in customer["inquiries"]} == {"document_request", "visit_reservation"}
    others = await eventually(
        lambda: customers_by_email(client, headers, f"other-{tag}@example.com")
    )
    assert others[0]["id"] != customer["id"]
    # Phone search: full-width or hyphenated digits find the same customer.
    found = await client.get("/api/v1/customers", params={"phone": "0312345678"}, headers=headers)
    assert [c["id"] for c in found.json()["items"]] == [customer["id"]]

    # The portal resends the first inquiry: 200, and nothing changes.
    again = await post_inquiry(client, first)
    assert again.status_code == 200
    assert again.json()["inquiry_id"] == r1.json()["inquiry_id"]
    await asyncio.sleep(0.5)
    detail = (await client.get(f"/api/v1/customers/{customer['id']}", headers=headers)).json()
    assert len(detail["inquiries"]) == 2


DEMO_STAFF = {
    "admin": ("admin@demo.example", "demo-admin-pass"),
    "staff": ("staff@demo.example", "demo-staff-pass"),
}


async def sign_in(page, base: str, to: str, *, who: str = "staff",
                  account: tuple[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """Open ``to`` as a demo member of staff would (or as ``account``, mail and password, of
    another tenant): sent to the login page, back after it."""
    email, password = account or DEMO_STAFF[who]
    await page.goto(f"{base}/login?next={to}")
    await page.get_by_label("メールアドレス").fill(email)
    await page.get_by_label("パスワード").fill(password)
    await page.get_by_role("button", name="ログイン").click()
    await page.wait_for_url(re.compile(re.escape(to) + "$"))


async def single_type_tenant(system, slug: str, business_type: str, name: str) -> dict:  # type: ignore[no-untyped-def]
    """A company of one business type (the operator's kind, not the demo's three) with one
    store open 09:00–20:00 every day and an admin; its sign-in, API headers and store id."""
    from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant

    account = (f"admin@{slug}.example", f"{slug}-admin-pass")
    spec = NewTenant(slug=slug, name=name, industry=business_type, portal_secret=None,
                     stores=[("E0001", "本店")],
                     staff=[NewStaff(*account, "管理者 一郎", "admin")])  # fmt: skip
    tx = system.runtimes["gateway"].transactions(tenant_id=None)
    tenant_id = await tx.run(lambda uow: provision_tenant(spec, uow=uow))
    async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
        store_id = str((await uow.accounts.stores())[0].id)
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        headers = await login(client, *account)
        every_day = {str(d): ["09:00", "20:00"] for d in range(7)}
        r = await client.put(f"/api/v1/booking/stores/{store_id}", headers=headers,
                             json={"name": "本店", "staff_count": 3, "hours": every_day})  # fmt: skip
        assert r.status_code == 200, r.text
    return {"account": account, "headers": headers, "store_id": store_id, "tenant_id": tenant_id}


async def open_search(page) -> None:  # type: ignore[no-untyped-def]
    """The customer list's search is folded behind 検索 on a phone (open on a PC)."""
    fold = page.locator("#search-fold")
    if await fold.count() and not await fold.evaluate("d => d.open"):
        await page.locator("#search-fold > summary").click()


# What never breaks inside a word on any screen (UI.md): headings of tables and forms, labels,
# buttons, badges, chips, navigation, names with 様, phone numbers. Japanese has no spaces, so
# a short one of these that takes two lines has broken inside a word.
SHORT_LABELS = (
    "th, label, dt, button, .btn, .badge, .status, .chip, nav a, .nowrap, .name, .mark-phone, "
    ".mark-blacklist, .mark-withdrawn, .tabs a, h1, .c-number span, .c-first span"
)
SHORT_TEXT = 14  # characters; longer texts (a sentence in a label) may wrap between words
BROKEN_LINES = """([selector, shortText]) => [...document.querySelectorAll(selector)].map((e) => {
  const text = e.innerText.trim();
  if (!text || text.length > shortText || text.includes("\\n")) return null;
  // The lines its text nodes take (a table cell may be taller than its text, and a label's
  // input sits on the text's line with another height).
  const rects = [];
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    rects.push(...[...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1));
  }
  rects.sort((a, b) => a.top - b.top);
  let lines = 0, bottom = -Infinity;
  for (const r of rects) {
    if (r.top >= bottom - 2) { lines += 1; bottom = r.bottom; }
    else bottom = Math.max(bottom, r.bottom);
  }
  return lines > 1 ? `${text} (${lines} lines)` : null;
}).filter(Boolean)"""


async def broken_labels(page, selector: str = SHORT_LABELS) -> list[str]:  # type: ignore[no-untyped-def]
    """The short labels of the page that take more than one line (broken inside a word)."""
    return await page.evaluate(BROKEN_LINES, [selector, SHORT_TEXT])


async def screenshot_that_fits(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Keep a full-page screenshot among CI's artefacts, and fail if the page scrolls
    sideways or a short label breaks inside a word (staff read every screen at PC and phone
    width without either)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    broken = await broken_labels(page)
    assert broken == [], f"{name}: broken inside a word: {broken}"


async def spreadsheet_cells(content: bytes, workdir: Path) -> list[list[str]]:
    """A CSV download opened by a real spreadsheet program (LibreOffice Calc, Japanese
    locale, UTF-8, as Excel would read the BOM) and converted to .xlsx, read back as text:
    dates come back as dates, shown the way the CSV wrote them (2026/11/25)."""
    import datetime
    import shutil

    from python_calamine import CalamineWorkbook

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed (make system-deps installs libreoffice-calc-nogui)"
    source = workdir / "download.csv"
    source.write_bytes(content)
    process = await asyncio.create_subprocess_exec(
        soffice,
        f"-env:UserInstallation=file://{workdir}/profile",
        "--headless",
        "--infilter=CSV:44,34,76,1,,1041",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(workdir),
        str(source),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, output.decode(errors="replace")
    sheet = CalamineWorkbook.from_path(str(workdir / "download.xlsx")).get_sheet_by_index(0)

    def text(value: object) -> str:
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y/%m/%d %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime("%Y/%m/%d")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    return [[text(v) for v in row] for row in sheet.to_python()]


def metric_samples(text: str) -> list:
    """The samples of a Prometheus text exposition."""
    from prometheus_client.parser import text_string_to_metric_families

    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def samples_of(samples: list, name: str, **labels: str) -> list:
    return [s for s in samples
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]  # fmt: skip


async def scrape(client: httpx.AsyncClient) -> tuple[str, list]:
    """The gateway's /metrics (in the embedded mode: every service's series)."""
    r = await client.get("/metrics")
    assert r.status_code == 200
    return r.text, metric_samples(r.text)


SERVICE_NAMES = ("gateway", "inquiry", "customer", "booking", "leads", "orders")


@contextlib.contextmanager
def multiprocess_system(
    pg_server_url: str,
    amqp_url: str,
    logs: Path,
    *,
    replicas: Mapping[str, int] | None = None,
    extra: Mapping[str, str] | None = None,
    ready_timeout_s: float = 90,
) -> Iterator[dict[str, Any]]:
    """Every service its own process (``replicas``: more of some) on the real servers, in a
    namespace and databases of its own, removed afterwards; yields ports, namespace, logs."""
    ports = with_replicas({n: free_port() for n in SERVICE_NAMES}, replicas or {}, free_port)
    namespace = unique_name("e2e")
    env = service_env(
        pg_base=pg_server_url, amqp_url=amqp_url, ports=ports, db_prefix=namespace,
        extra={"CRM_BUS_NAMESPACE": namespace, "GATEWAY_SEED_DEMO": "true",
               "CRM_ENVIRONMENT": "test", "CRM_RETRY_DELAYS_MS": "[100, 200]",
               "CRM_OUTBOX_POLL_INTERVAL_S": "0.5", **(extra or {})},
    )  # fmt: skip
    procs = start_services(env, ports, log_dir=str(logs))
    try:
        wait_ready(ports, procs, timeout_s=ready_timeout_s)
        yield {"ports": ports, "namespace": namespace, "logs": logs}
    finally:
        stop_services(procs)
        dsn = pg_server_url.replace("postgresql+asyncpg://", "postgresql://")
        for name in SERVICE_NAMES:
            subprocess.run(
                ["psql", f"{dsn}/postgres", "-qc",
                 f'DROP DATABASE IF EXISTS "{namespace}_{name}" WITH (FORCE)'],
                check=False, capture_output=True,
            )  # fmt: skip
        asyncio.run(
            delete_bus_namespace(
                amqp_url, namespace, queues=SERVICE_QUEUES, retry_delays_ms=[100, 200]
            )
        )
