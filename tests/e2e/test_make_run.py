"""`make run` from a clean data folder: the embedded default serves the Japanese
login page and the demo customers, checked over HTTP and in a real browser (Debian's
Chromium via Playwright) at PC and phone widths, with screenshots kept as artefacts."""

import email
import email.policy
import mailbox
import os
import re
import signal
import subprocess
import time
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from host.embedded import running_postmasters

from tests.e2e.flows import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, CHROMIUM_ENV, ROOT, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    port = free_port()
    data = tmp_path_factory.mktemp("embedded") / "postgres"
    log = tmp_path_factory.mktemp("embedded-log") / "run.log"
    env = {**os.environ, "CRM_OUTBOX_POLL_INTERVAL_S": "0.5"}
    env.pop("MAKEFLAGS", None)  # when run from `make test`
    env.pop("MAKELEVEL", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}", f"DATA_DIR={data}"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # so that stopping it stops make and the server
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"make run exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"not serving within 120 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield {"base": base, "log": log, "mail": data.parent / "mail"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        _stopped_whole(data)


def _stopped_whole(data: Path) -> None:
    """The launcher stops the embedded PostgreSQL it started (its own session, so a signal
    to make's process group does not reach it)."""
    deadline = time.monotonic() + 60
    while running_postmasters(data):
        assert time.monotonic() < deadline, "make run left its PostgreSQL running"
        time.sleep(0.5)


def test_prints_the_demo_credentials_and_serves_the_login_page(embedded) -> None:  # type: ignore[no-untyped-def]
    output = embedded["log"].read_text()
    assert "admin@demo.example / demo-admin-pass" in output
    page = httpx.get(f"{embedded['base']}/login")
    assert "ログイン" in page.text and "メールアドレス" in page.text
    assert httpx.get(f"{embedded['base']}/healthz").json()["status"] == "ok"


def test_demo_customers_are_listed_after_login(embedded) -> None:  # type: ignore[no-untyped-def]
    base = embedded["base"]
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "admin@demo.example", "password": "demo-admin-pass"},
    )
    headers = {"authorization": f"Bearer {token.json()['access_token']}"}
    deadline = time.monotonic() + 30
    while True:
        body = httpx.get(f"{base}/api/v1/customers", headers=headers).json()
        if body["total"] >= 30:  # 40 demo inquiries; every fifth joins an earlier customer
            break
        assert time.monotonic() < deadline, body["total"]
        time.sleep(0.5)
    assert body["total"] == 32
    assert all(c["emails"] for c in body["items"])


def _decoded(file) -> EmailMessage:  # type: ignore[no-untyped-def]
    return email.message_from_binary_file(file, policy=email.policy.default)  # type: ignore[return-value]


def test_demo_reservations_are_visits_and_notices_reach_the_local_mailbox(embedded) -> None:  # type: ignore[no-untyped-def]
    """The demo store is set up for booking: the portal's reservations became visits (or
    conflicts for staff), and every portal inquiry was mailed to its 通知先 (a Maildir)."""
    base = embedded["base"]
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "admin@demo.example", "password": "demo-admin-pass"},
    )
    headers = {"authorization": f"Bearer {token.json()['access_token']}"}
    deadline = time.monotonic() + 60
    while True:
        subjects = []
        if embedded["mail"].exists():
            inbox = mailbox.Maildir(embedded["mail"], factory=_decoded, create=False)
            subjects = [str(m["subject"]) for m in inbox]
        if sum(s.startswith("【新規反響】") for s in subjects) >= 40:
            break
        assert time.monotonic() < deadline, subjects
        time.sleep(0.5)
    assert any(s.startswith("【新規反響】来場予約") for s in subjects)
    stores = httpx.get(f"{base}/api/v1/booking/stores", headers=headers).json()
    assert [s["name"] for s in stores] == ["田町支店"]
    calendar = httpx.get(
        f"{base}/api/v1/booking/availability",
        params={"store_id": stores[0]["store_id"], "day": time.strftime("%Y-%m-%d"), "days": 16,
                "with_visits": "true"},
        headers=headers,
    ).json()  # fmt: skip
    conflicts = httpx.get(f"{base}/api/v1/booking/conflicts", headers=headers).json()
    assert len(calendar["visits"]) + len(conflicts) >= 10  # the 10 demo reservations


@pytest.mark.parametrize(("label", "width", "height"), [("pc", 1366, 900), ("phone", 375, 812)])
def test_login_and_customer_list_in_a_real_browser(
    embedded, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env=CHROMIUM_ENV,
        )
        page = browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        page.goto(f"{embedded['base']}/customers")
        assert page.url.endswith("/login?next=%2Fcustomers")
        page.screenshot(path=ARTIFACTS / f"login-{label}.png", full_page=True)
        page.get_by_label("メールアドレス").fill("admin@demo.example")
        page.get_by_label("パスワード").fill("wrong-password")
        page.get_by_role("button", name="ログイン").click()
        assert "正しくありません" in page.locator("[role=alert]").inner_text()
        page.get_by_label("パスワード").fill("demo-admin-pass")
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(re.compile(r"/customers$"))
        assert page.get_by_role("heading", name="お客様管理").is_visible()
        count = page.locator("#result-count").inner_text()
        assert re.fullmatch(r"1〜20件 / \d+件中", count), count
        assert page.get_by_text("様").first.is_visible()
        fold = page.locator("#search-fold")  # folded behind 検索 on a phone, open on a PC
        if not fold.evaluate("d => d.open"):
            page.locator("#search-fold > summary").click()
        page.get_by_label("お客様名・フリガナ").fill("すまい")  # hiragana finds カタカナ too
        page.get_by_role("button", name="検索").click()
        page.wait_for_load_state()
        page.screenshot(path=ARTIFACTS / f"customers-{label}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        browser.close()


@pytest.mark.parametrize(("label", "width", "height"), [("pc", 1366, 900), ("phone", 375, 812)])
def test_inquiry_list_search_and_registration_in_a_real_browser(
    embedded, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env=CHROMIUM_ENV,
        )
        page = browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        page.goto(f"{embedded['base']}/login?next=/inquiries")
        page.get_by_label("メールアドレス").fill("staff@demo.example")
        page.get_by_label("パスワード").fill("demo-staff-pass")
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(re.compile(r"/inquiries$"))
        assert re.fullmatch(r"1〜20件 / 4\d件中", page.locator("#result-count").inner_text())
        page.get_by_label("種別").select_option(label="来場予約")
        page.get_by_role("button", name="検索").click()
        page.wait_for_url(re.compile(r"kind=visit_reservation"))
        count = re.fullmatch(r"1〜(\d+)件 / (\d+)件中", page.locator("#result-count").inner_text())
        assert count and count[1] == count[2] and int(count[2]) >= 10  # 10 demo reservations
        page.screenshot(path=ARTIFACTS / f"inquiries-{label}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

        page.get_by_role("link", name="反響を登録").click()
        page.get_by_label("媒体").select_option(label="電話")
        page.get_by_label("種別").select_option(label="お問い合わせ")
        page.get_by_label("お客様名").fill("電話 太郎")
        page.get_by_label("電話番号").fill("でんわ")
        page.get_by_role("button", name="登録する").click()
        assert "電話番号の形式が正しくありません" in page.locator("[role=alert]").inner_text()
        assert page.get_by_label("お客様名").input_value() == "電話 太郎"  # kept for correction
        page.get_by_label("電話番号").fill("０３－１２３４－５６７８")  # full width is fine
        page.screenshot(path=ARTIFACTS / f"inquiry-new-{label}.png", full_page=True)
        page.get_by_role("button", name="登録する").click()
        page.wait_for_url(re.compile(r"/inquiries\?created=1$"))
        assert "反響を登録しました" in page.get_by_role("status").inner_text()
        browser.close()


@pytest.mark.parametrize(("label", "width", "height"), [("pc", 1366, 900), ("phone", 375, 812)])
def test_follow_up_rep_status_and_memo_in_a_real_browser(
    embedded, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    """Seed 000's actions on a customer: 担当を設定, 追客状況を変更, a memo, with history."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env=CHROMIUM_ENV,
        )
        page = browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        page.goto(f"{embedded['base']}/login?next=/customers")
        page.get_by_label("メールアドレス").fill("staff@demo.example")
        page.get_by_label("パスワード").fill("demo-staff-pass")
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(re.compile(r"/customers$"))
        unassigned = page.locator("#unassigned-count").inner_text()
        assert re.fullmatch(r"担当設定なし \d+件", unassigned), unassigned
        row = page.locator("table.list tbody tr").nth(2 if label == "pc" else 3)
        add_visit = row.get_by_role("link", name="予定を追加").get_attribute("href")
        assert add_visit.startswith("/booking/visits/new?store_id=") and "customer_id=" in add_visit
        page.screenshot(path=ARTIFACTS / f"customers-actions-{label}.png", full_page=True)
        row.get_by_role("link", name="追客状況を変更").click()
        page.wait_for_url(re.compile(r"/customers/[0-9a-f-]{36}#follow-up"))

        page.get_by_label("お客様担当").select_option(label="営業 花子")
        page.get_by_role("button", name="担当を設定").click()
        assert "担当を設定しました" in page.get_by_role("status").inner_text()
        page.get_by_label("追客状況", exact=True).select_option(label="追客停止")
        page.get_by_role("button", name="追客状況を変更").click()
        assert "追客状況を変更しました" in page.get_by_role("status").inner_text()
        page.get_by_label("メモ", exact=True).fill(f"来週再度連絡（{label}）")
        page.get_by_role("button", name="メモを追加").click()
        assert "メモを追加しました" in page.get_by_role("status").inner_text()
        section = page.locator("#follow-up")
        assert f"来週再度連絡（{label}）" in section.inner_text()
        section.get_by_text("変更履歴").click()
        history = section.locator(".history").inner_text()
        assert "追客中 → 追客停止" in history and "設定なし → 営業 花子" in history
        assert "追客停止" in page.get_by_role("heading", level=1).inner_text()
        page.screenshot(path=ARTIFACTS / f"customer-follow-up-{label}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.goto(f"{embedded['base']}/customers")
        fewer = page.locator("#unassigned-count").inner_text()
        assert int(re.sub(r"\D", "", fewer)) == int(re.sub(r"\D", "", unassigned)) - 1
        browser.close()
