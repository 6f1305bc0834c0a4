"""Signed webhooks (issue 16), the rules without I/O: the Standard Webhooks secret and
signature, the retry schedule, what an endpoint's URL and subscription may be, and the
bounds of a replay."""

import base64
import hashlib
import hmac
import ipaddress
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from contracts.registry import REGISTRY

SECRET_PREFIX = "whsec_"
# After a rotation the previous secret still signs (beside the new one) for this long.
ROTATION_GRACE = timedelta(hours=24)
# Retries after the first attempt fails; after the last one the delivery has failed for good.
RETRY_SCHEDULE = (
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=10),
)  # fmt: skip
# An endpoint whose deliveries have failed without a success for this long is disabled.
DISABLE_AFTER = timedelta(days=5)
# A replay spans at most REPLAY_LONGEST and reaches as far back; the feed log keeps events
# PRUNE_AFTER, so a replay's range is always inside it.
REPLAY_LONGEST = timedelta(days=31)
PRUNE_AFTER = timedelta(days=35)
TOLERANCE_S = 300  # what receivers should allow between webhook-timestamp and their clock

# What staff read beside each event type (the settings page's checkboxes).
EVENT_LABELS: dict[str, str] = {
    "inquiry.received.v1": "反響を受信",
    "customer.contact_recorded.v1": "対応・アクションの記録",
    "customer.wishes_changed.v1": "希望条件・配信設定の変更",
    "customer.profile_changed.v1": "お客様情報の登録・変更",
    "customer.deleted.v1": "お客様の削除",
    "customer.merged.v1": "お客様の統合（名寄せ）",
    "customer.follow_up_changed.v1": "追客状況の変更",
    "customer.inquiry_linked.v1": "反響とお客様の紐付け（v1）",
    "customer.inquiry_linked.v2": "反響とお客様の紐付け",
    "customer.shop_customer_linked.v1": "ネットショップ注文のお客様特定",
    "booking.visit_scheduled.v1": "接客予定の登録",
    "booking.visit_changed.v1": "接客予定の変更",
    "booking.visit_cancelled.v1": "接客予定のキャンセル",
    "booking.property_listed.v1": "物件の登録",
    "booking.property_changed.v1": "物件の変更",
    "leads.email_opened.v1": "メールの開封",
    "leads.page_viewed.v1": "物件ページの閲覧",
    "leads.email_sent.v1": "追客メールの送信",
    "orders.order_placed.v1": "受注",
    "orders.order_returned.v1": "返品",
    "orders.order_cancelled.v1": "受注のキャンセル",
    "orders.shop_order_received.v1": "ネットショップ注文の受信",
    "orders.survey_answered.v1": "アンケートの回答",
    "gateway.store_changed.v1": "店舗・事業所の登録・変更",
}


def event_types() -> list[str]:
    """Every event a webhook may subscribe to: the contracts registry's, in its order."""
    return list(REGISTRY)


def event_label(routing_key: str) -> str:
    return EVENT_LABELS.get(routing_key, routing_key)


def unknown_event_types(chosen: list[str]) -> list[str]:
    return [kind for kind in chosen if kind not in REGISTRY]


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` under the secret's decoded key."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: list[str], *, msg_id: str, timestamp: int, body: bytes) -> str:
    """Every live secret's signature, space-separated: a receiver holding either one verifies
    during a rotation."""
    return " ".join(signature(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_)


def live_secrets(
    secret: str, previous: str | None, previous_until: datetime | None, *, now: datetime
) -> list[str]:
    found = [secret]
    if previous and previous_until is not None and now < previous_until:
        found.append(previous)
    return found


def next_attempt(attempts: int, *, now: datetime) -> datetime | None:
    """When to try again after ``attempts`` failed attempts; None: failed for good."""
    if attempts > len(RETRY_SCHEDULE):
        return None
    return now + RETRY_SCHEDULE[attempts - 1]


def url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why a receiver's URL is refused (Japanese, for the form), or None. https always;
    http only to this machine's loopback, or anywhere when the setting allows (tests)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return "URLの形式が正しくありません。例: https://example.jp/webhooks"
    if parts.scheme not in ("https", "http") or not host:
        return "URLは https:// で始まる形で入力してください。例: https://example.jp/webhooks"
    if parts.username or parts.password:
        return "URLに利用者名やパスワードを含めないでください。"
    if _link_local(host):  # a cloud's metadata service (169.254.169.254) is never a receiver
        return "この URL には送信できません。受信側の URL を入力してください。"
    if parts.scheme == "http" and not (allow_http or _loopback(host)):
        return "http の URL は使えません。https:// で始まる URL を入力してください。"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _link_local(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_link_local
    except ValueError:
        return False


def replay_problem(start: datetime, end: datetime, *, now: datetime) -> tuple[str, str, str] | None:
    """(code, field, message) when a replay's range is refused."""
    if end <= start:
        return "replay_range", "to", "終了日時は開始日時より後にしてください。"
    if end - start > REPLAY_LONGEST:
        return ("replay_too_long", "to",
                "再送できる期間は31日までです。期間を短くして、分けて依頼してください。")  # fmt: skip
    if start < now - REPLAY_LONGEST:
        return ("replay_too_old", "from",
                "再送できるのは過去31日以内のイベントです。開始日時を31日以内にしてください。")  # fmt: skip
    if start > now:
        return "replay_future", "from", "開始日時は現在より前にしてください。"
    return None
