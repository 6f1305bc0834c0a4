"""CUS-6 flags: caution (❗ + memo, no restriction), blacklist (memo; booking refuses every
reservation once ProfileChanged reaches it), alert text and karte notes."""

from uuid import UUID

from kit.errors import NotFound

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import ProfileError
from customer.use_cases.notify import profile_changed

MAX_MEMO = 2000


def _memo(memo: str | None, *, required: bool, label: str, field: str) -> str | None:
    """``field``: the body's name for this memo, so that the form marks the right box."""
    text = (memo or "").strip()
    if required and not text:
        raise ProfileError(f"{label}のメモを入力してください。", field=field)
    if len(text) > MAX_MEMO:
        raise ProfileError(f"メモは{MAX_MEMO}文字以内で入力してください。", field=field)
    return text or None


async def set_flags(
    customer_id: UUID,
    *,
    caution: bool | None = None,
    caution_memo: str | None = None,
    blacklisted: bool | None = None,
    blacklist_memo: str | None = None,
    alert: str | None = None,
    karte_notes: str | None = None,
    uow: CustomerUnitOfWork,
) -> None:
    """Only the given parts change; a memo is required when a flag is set (seed 003 メモ*)."""
    row = await uow.customers.row(customer_id=customer_id, for_update=True)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    values: dict[str, object] = {}
    if caution is not None:
        values["caution"] = caution
        values["caution_memo"] = _memo(
            caution_memo, required=caution, label="要注意人物", field="caution_memo"
        )
    if blacklisted is not None:
        values["blacklisted"] = blacklisted
        values["blacklist_memo"] = _memo(
            blacklist_memo, required=blacklisted, label="ブラックリスト", field="blacklist_memo"
        )
    if alert is not None:
        values["alert"] = _memo(alert, required=False, label="アラート", field="alert")
    if karte_notes is not None:
        values["karte_notes"] = _memo(
            karte_notes, required=False, label="カルテ", field="karte_notes"
        )
    if not values:
        return
    await uow.customers.update(customer_id=customer_id, values=values)
    if caution is not None or blacklisted is not None:
        await profile_changed(customer_id, uow=uow)
