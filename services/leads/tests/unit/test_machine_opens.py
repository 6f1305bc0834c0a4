"""Each rule of the machine-open verdict, with header values as real clients send them."""

from datetime import UTC, datetime, timedelta

from leads.domain.machine import (
    HUMAN,
    EgressRanges,
    Hit,
    MachineReason,
    SendFacts,
    judge_open,
    judge_view,
    parse_address,
)

SENT = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
APPLE = EgressRanges.parse(
    "# comment\n172.224.224.0/27,JP,JP-13,Tokyo,\n2a02:26f7:b3c0::/44,JP,JP-13,Tokyo,\nnot-a-net,,\n"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
OUTLOOK = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)"
GMAIL = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
HEADLESS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/120.0.6099.109 Safari/537.36"
)
HOME = parse_address("203.0.113.7")
APPLE_IP = parse_address("172.224.224.9")


def hit(agent: str, *, after: timedelta = timedelta(hours=2), method: str = "GET", address=HOME):  # type: ignore[no-untyped-def]
    return Hit(at=SENT + after, method=method, user_agent=agent, address=address)


def send(*, human: bool = False, gmail_seen: bool = False) -> SendFacts:
    return SendFacts(sent_at=SENT, human_signal=human, gmail_proxy_seen=gmail_seen)


def test_apple_mpp_agent_within_the_delivery_window() -> None:
    assert judge_open(hit("Mozilla/5.0"), send(), apple=APPLE).reason is MachineReason.APPLE_MPP
    # A day later the bare agent alone proves nothing.
    assert judge_open(hit("Mozilla/5.0", after=timedelta(days=3)), send(), apple=APPLE) == HUMAN
    # Only the exact bare agent: Apple Mail with a full agent is a reader.
    assert judge_open(hit(IPHONE_SAFARI), send(), apple=APPLE) == HUMAN


def test_apple_egress_address_without_a_human_signal_is_a_proxy() -> None:
    late = timedelta(days=3)
    verdict = judge_open(hit(IPHONE_SAFARI, after=late, address=APPLE_IP), send(), apple=APPLE)
    assert verdict.reason is MachineReason.APPLE_PROXY
    v6 = parse_address("2a02:26f7:b3c0:4000::1")
    assert judge_open(hit(OUTLOOK, after=late, address=v6), send(), apple=APPLE).machine
    # The recipient already opened a page from this mail: the open is theirs.
    after_click = judge_open(
        hit(IPHONE_SAFARI, after=late, address=APPLE_IP), send(human=True), apple=APPLE
    )
    assert after_click == HUMAN


def test_gmail_proxy_first_fetch_only() -> None:
    assert judge_open(hit(GMAIL), send(), apple=APPLE).reason is MachineReason.GMAIL_PROXY
    assert judge_open(hit(GMAIL), send(gmail_seen=True), apple=APPLE) == HUMAN


def test_scanners_within_a_moment_head_requests_and_headless_agents() -> None:
    instant = hit(OUTLOOK, after=timedelta(seconds=1))
    assert judge_open(instant, send(), apple=APPLE).reason is MachineReason.SCANNER
    assert (
        judge_open(hit(OUTLOOK, method="HEAD"), send(), apple=APPLE).reason is MachineReason.SCANNER
    )
    assert judge_open(hit(HEADLESS), send(), apple=APPLE).reason is MachineReason.SCANNER
    assert judge_open(hit("python-requests/2.31.0"), send(), apple=APPLE).machine
    assert judge_open(hit(""), send(), apple=APPLE).machine
    assert judge_open(hit(OUTLOOK, after=timedelta(seconds=2)), send(), apple=APPLE) == HUMAN


def test_a_page_view_is_never_discarded_on_its_address_alone() -> None:
    assert judge_view(hit(IPHONE_SAFARI, address=APPLE_IP)) == HUMAN
    assert judge_view(hit("Mozilla/5.0", address=APPLE_IP)) == HUMAN
    assert judge_view(hit(HEADLESS)).reason is MachineReason.SCANNER


def test_the_egress_file_keeps_good_lines_and_skips_the_rest() -> None:
    assert len(APPLE) == 2
    assert APPLE_IP in APPLE and HOME not in APPLE
    assert parse_address("not an address") is None and parse_address(None) is None
