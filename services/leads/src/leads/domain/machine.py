"""Machine opens (LEAD-5): a verdict with its reason at ingest, from the request alone and
what is known of the send. The address and user agent serve this verdict and are dropped.

Machine opens count for neither open rates nor levels; a click or page view is never
discarded on its address alone (a person on iCloud Private Relay is still a person)."""

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Apple Mail Privacy Protection fetches every image when the mail reaches the device, with
# the bare agent ``Mozilla/5.0``; a person reading later through the same proxy sends it too,
# so the rule holds only for the first day after sending.
DELIVERY_WINDOW = timedelta(hours=24)
# Security gateways (and some clients' link checkers) fetch within a moment of delivery.
SCANNER_WINDOW = timedelta(seconds=1.5)
APPLE_MPP_AGENT = "Mozilla/5.0"
GMAIL_PROXY = "GoogleImageProxy"
_SCANNER_AGENT = re.compile(
    r"headless|phantomjs|python-requests|python-urllib|aiohttp|curl/|wget/|go-http-client"
    r"|java/|libwww|okhttp|scanner|crawler|spider|\bbot\b|bot/|barracuda|mimecast"
    r"|proofpoint|symantec|trendmicro|forcepoint|safelinks",
    re.IGNORECASE,
)


class MachineReason(StrEnum):
    APPLE_MPP = "apple_mpp"
    APPLE_PROXY = "apple_proxy"
    GMAIL_PROXY = "gmail_proxy"
    SCANNER = "scanner"


REASON_LABELS = {
    MachineReason.APPLE_MPP: "Apple Mail のプライバシー保護による自動読み込み",
    MachineReason.APPLE_PROXY: "Apple のプロキシ経由で、本人の操作が確認できない開封",
    MachineReason.GMAIL_PROXY: "Gmail の画像プロキシによる最初の読み込み",
    MachineReason.SCANNER: "セキュリティ製品などによる自動チェック",
}


@dataclass(frozen=True)
class Hit:
    """One request to the pixel or the beacon, as it arrived."""

    at: datetime
    method: str
    user_agent: str
    address: IpAddress | None


@dataclass(frozen=True)
class SendFacts:
    """What the service knows of the send when the open arrives."""

    sent_at: datetime
    human_signal: bool  # the recipient already viewed a page from this mail
    gmail_proxy_seen: bool  # Gmail's proxy already fetched this mail's pixel


@dataclass(frozen=True)
class Verdict:
    machine: bool
    reason: MachineReason | None = None


HUMAN = Verdict(machine=False)


class EgressRanges:
    """Apple's published egress ranges (the CSV of ``mask-api.icloud.com``: one
    ``prefix,country,region,city,`` a line); comments and malformed lines are skipped."""

    def __init__(self, networks: Iterable[IpNetwork]) -> None:
        listed = list(networks)
        self._v4 = [n for n in listed if n.version == 4]
        self._v6 = [n for n in listed if n.version == 6]

    @classmethod
    def parse(cls, text: str) -> "EgressRanges":
        networks: list[IpNetwork] = []
        for line in text.splitlines():
            prefix = line.split(",", 1)[0].strip()
            if not prefix or prefix.startswith("#"):
                continue
            try:
                networks.append(ipaddress.ip_network(prefix, strict=False))
            except ValueError:
                continue
        return cls(networks)

    def __len__(self) -> int:
        return len(self._v4) + len(self._v6)

    def __contains__(self, address: IpAddress) -> bool:
        candidates = self._v4 if address.version == 4 else self._v6
        return any(address in n for n in candidates)


def parse_address(value: str | None) -> IpAddress | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def is_scanner(hit: Hit) -> bool:
    agent = hit.user_agent.strip()
    return hit.method.upper() == "HEAD" or not agent or bool(_SCANNER_AGENT.search(agent))


def judge_open(hit: Hit, send: SendFacts, *, apple: EgressRanges) -> Verdict:
    if is_scanner(hit) or hit.at - send.sent_at < SCANNER_WINDOW:
        return Verdict(True, MachineReason.SCANNER)
    agent = hit.user_agent.strip()
    if agent == APPLE_MPP_AGENT and hit.at - send.sent_at <= DELIVERY_WINDOW:
        return Verdict(True, MachineReason.APPLE_MPP)
    if hit.address is not None and hit.address in apple and not send.human_signal:
        return Verdict(True, MachineReason.APPLE_PROXY)
    if GMAIL_PROXY in agent and not send.gmail_proxy_seen:
        return Verdict(True, MachineReason.GMAIL_PROXY)
    return HUMAN


def judge_view(hit: Hit) -> Verdict:
    """A page view is a person's unless its agent is a scanner's: never by address."""
    return Verdict(True, MachineReason.SCANNER) if is_scanner(hit) else HUMAN
