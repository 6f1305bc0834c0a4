"""通知先 (BKG-8, seed 000): new reservations and new portal inquiries are announced to each
of the store's destinations, which are not user accounts. The notification and its mail are
recorded in the business transaction (kit.mail sends it afterwards), so none is lost."""

from datetime import datetime
from uuid import UUID

from contracts import InquiryReceivedV1
from contracts.envelope import new_event_id
from contracts.inquiry import INQUIRY_KIND_LABELS
from kit.auth import Principal, require_admin
from kit.clock import JST
from kit.errors import Invalid, NotFound

from booking.adapters.orm import Notification, NotificationTarget, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.slots import WEEKDAYS
from booking.use_cases.stores import get_store

# 通知先 receive every inquiry's personal data by mail: the admin's to choose.
TARGETS_ADMIN_ONLY = "通知先の追加・削除は管理者のみ行えます。"


async def add_target(
    *, store_id: UUID, name: str, email: str, principal: Principal, uow: BookingUnitOfWork
) -> NotificationTarget:
    await get_store(store_id=store_id, uow=uow)  # another tenant's store: 404 before 403
    require_admin(principal, TARGETS_ADMIN_ONLY)
    if "@" not in email:
        raise Invalid(
            "メールアドレスの形式が正しくありません。例: tamachi@example.com", field="email"
        )
    target = NotificationTarget(id=new_event_id(), store_id=store_id, name=name, email=email)
    uow.notifications.add(target)
    await uow.notifications.flush()
    return target


async def remove_target(*, target_id: UUID, principal: Principal, uow: BookingUnitOfWork) -> None:
    if await uow.notifications.target(target_id=target_id) is None:
        raise NotFound("通知先が見つかりません。")
    require_admin(principal, TARGETS_ADMIN_ONLY)
    if not await uow.notifications.remove_target(target_id=target_id):
        raise NotFound("通知先が見つかりません。")


async def notify_new_visit(
    visit: Visit,
    *,
    customer_name: str | None,
    now: datetime,
    uow: BookingUnitOfWork,
    targets: list[NotificationTarget] | None = None,
) -> None:
    """A reservation staff or the booking site made: 【新規予約】. A portal reservation was
    announced as an inquiry already (below); its visit is announced only when staff must act
    on it (the slot was gone: 【要確認】). ``targets``: the store's 通知先 when the caller has
    read them already (with the store), else they are read here."""
    when = _when(visit.starts_at)
    who = f"{customer_name or 'お客様'} 様"
    if visit.source_inquiry_id is not None:
        if not visit.conflict:
            return
        subject = f"【要確認】ポータルからの予約を確定できません {when} {who}"
        body = (
            f"ポータルから予約が入りましたが、確定できませんでした。\n日時: {when}\n"
            f"お客様: {who}\n理由: {visit.conflict_reason or '不明'}\n"
            "予約管理の「要確認の予約」から日時を変更するか、キャンセルしてください。\n"
        )
    else:
        subject = f"【新規予約】{when} {who}"
        body = f"新しい予約が入りました。\n日時: {when}\nお客様: {who}\n"
    await _notify(store_id=visit.store_id, subject=subject, body=body, now=now, uow=uow,
                  visit_id=visit.id, targets=targets)  # fmt: skip


async def notify_new_inquiry(event: InquiryReceivedV1, *, uow: BookingUnitOfWork) -> None:
    """Seed 000: a new portal inquiry (予約反響 and the others) reaches the store's 通知先."""
    if event.store_id is None:
        return
    kind = INQUIRY_KIND_LABELS.get(event.kind, "お問い合わせ")
    prop, visit, contact = event.property, event.requested_visit, event.contact
    subject = " ".join(
        part
        for part in (
            f"【新規反響】{kind}",
            _when(visit.starts_at) if visit else None,
            prop.name if prop else None,
            f"{contact.name} 様",
        )
        if part
    )
    lines = [
        "ポータルから新しい反響が届きました。",
        f"種別: {kind}",
        f"受付日時: {_when(event.received_at)}",
        f"お客様: {contact.name} 様" + (f"（{contact.name_kana}）" if contact.name_kana else ""),
    ]
    lines += [f"電話番号: {contact.phone}"] if contact.phone else []
    lines += [f"メールアドレス: {contact.email}"] if contact.email else []
    if prop is not None:
        lines.append(f"物件: {prop.name}" + (f"（{prop.address}）" if prop.address else ""))
        if prop.price_yen:
            lines.append(f"価格: {price_label(prop.price_yen)}")
    if visit is not None:
        lines.append(f"来場希望: {_when(visit.starts_at)}〜{visit.ends_at.astimezone(JST):%H:%M}")
    if event.message:
        lines += ["お問い合わせ内容:", event.message]
    await _notify(store_id=event.store_id, subject=subject, body="\n".join(lines) + "\n",
                  now=event.received_at, uow=uow, inquiry_id=event.inquiry_id)  # fmt: skip


def price_label(yen: int) -> str:
    """Real-estate prices the way the seed's list shows them: 7,000万円 (else 円)."""
    return f"{yen // 10_000:,}万円" if yen % 10_000 == 0 else f"{yen:,}円"


def _when(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return f"{local:%Y/%m/%d}({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


async def _notify(
    *,
    store_id: UUID,
    subject: str,
    body: str,
    now: datetime,
    uow: BookingUnitOfWork,
    visit_id: UUID | None = None,
    inquiry_id: UUID | None = None,
    targets: list[NotificationTarget] | None = None,
) -> None:
    """One notification and one queued mail per destination, in the caller's transaction."""
    assert uow.tenant_id is not None
    if targets is None:
        targets = await uow.notifications.targets(store_id=store_id)
    for target in targets:
        mail_id = await uow.mail.add(
            tenant_id=uow.tenant_id, recipient=target.email, subject=subject, body=body
        )
        uow.notifications.add(
            Notification(
                id=new_event_id(),
                target_id=target.id,
                store_id=store_id,
                visit_id=visit_id,
                inquiry_id=inquiry_id,
                mail_id=mail_id,
                email=target.email,
                subject=subject,
                body=body,
                created_at=now,
            )
        )
