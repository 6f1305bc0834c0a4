"""Interactions (対応履歴, CUS-9) and actions (アクション履歴): their kinds, the rules of an
entry, and the attribution rule of アクション別売上集計. Pure rules, no I/O."""

from datetime import date, datetime, timedelta

from customer.domain.errors import HistoryError

INTERACTION_KINDS = {
    "call_in": "電話受信", "call_out": "電話発信", "inquiry": "問合せ",
    "complaint": "クレーム", "sales_talk": "商談", "other": "その他",
}  # fmt: skip
# Entered by staff; 'mail' comes from the leads service's sends (EmailSent).
STAFF_ACTION_KINDS = {
    "phone_sales": "電話営業", "dm": "DM", "newsletter": "メルマガ", "catalogue": "カタログ送付",
}  # fmt: skip
ACTION_KINDS = {**STAFF_ACTION_KINDS, "mail": "メール送信"}
# What the last activity of a customer (長期放置) can be, in the words of the list.
ACTIVITY_KINDS = {
    **{f"interaction:{k}": f"対応（{v}）" for k, v in INTERACTION_KINDS.items()},
    **{f"action:{k}": v for k, v in ACTION_KINDS.items()},
    "purchase": "受注", "inquiry": "反響", "visit": "予約",
}  # fmt: skip

MAX_BODY = 4000
MAX_SHORT = 500
# アクション別売上集計: an order is credited to the customer's latest action within this many
# days before it that no other order took yet (last touch; one order per action).
ATTRIBUTION_DAYS = 30


def check_interaction(
    *, kind: str, body: str, next_step: str | None, next_due: date | None, today: date
) -> tuple[str, str | None]:
    """The body and next step, trimmed; every problem at once."""
    errors = []
    if kind not in INTERACTION_KINDS:
        names = "・".join(INTERACTION_KINDS.values())
        errors.append(("kind", f"対応の種類は {names} から選んでください。"))
    text = body.strip()
    if not text:
        errors.append(("body", "対応内容を入力してください。"))
    elif len(text) > MAX_BODY:
        errors.append(("body", f"対応内容は{MAX_BODY}文字以内で入力してください。"))
    step = (next_step or "").strip() or None
    if step and len(step) > MAX_SHORT:
        errors.append(("next_step", f"次回対応は{MAX_SHORT}文字以内で入力してください。"))
    if next_due is not None and next_due < today:
        errors.append(("next_due", "次回対応の期日は今日以降の日付を入力してください。"))
    if next_due is not None and not step:
        errors.append(("next_step", "期日を入れるときは次回対応の内容も入力してください。"))
    raise_all(errors)
    return text, step


def check_action(*, kind: str, note: str | None) -> str | None:
    errors = []
    if kind not in STAFF_ACTION_KINDS:
        names = "・".join(STAFF_ACTION_KINDS.values())
        errors.append(("kind", f"アクションの種類は {names} から選んでください。"))
    text = (note or "").strip() or None
    if text and len(text) > MAX_SHORT:
        errors.append(("note", f"内容は{MAX_SHORT}文字以内で入力してください。"))
    raise_all(errors)
    return text


def check_instruction(instruction: str | None) -> str | None:
    text = (instruction or "").strip() or None
    if text and len(text) > MAX_SHORT:
        raise HistoryError(f"指示は{MAX_SHORT}文字以内で入力してください。", field="instruction")
    return text


def check_moment(moment: datetime | None, *, now: datetime) -> None:
    if moment is not None and moment > now + timedelta(minutes=5):
        raise HistoryError("未来の日時は入力できません。", field="occurred_at")


def attribution_window(ordered_at: datetime) -> tuple[datetime, datetime]:
    return ordered_at - timedelta(days=ATTRIBUTION_DAYS), ordered_at


def raise_all(errors: list[tuple[str, str]]) -> None:
    if errors:
        field, message = errors[0]
        raise HistoryError(
            message,
            field=field,
            errors=[{"code": "invalid", "message": m, "field": f} for f, m in errors],
        )
