"""The media master (媒体マスタ) per tenant: defaults on first use, admins add more."""

from contracts.envelope import new_event_id
from kit.errors import Conflict

from inquiry.adapters.orm import Medium
from inquiry.adapters.unit_of_work import InquiryUnitOfWork
from inquiry.domain.media import DEFAULT_MEDIA


async def ensure_default_media(*, uow: InquiryUnitOfWork) -> None:
    """Idempotent and safe under concurrency (insert-if-absent per code)."""
    if await uow.media.all():
        return
    for position, medium in enumerate(DEFAULT_MEDIA):
        await uow.media.add_if_new(
            values={"id": new_event_id(), "code": medium.code, "name": medium.name,
                    "auto_linked": medium.auto_linked, "position": position}
        )  # fmt: skip


async def list_media(*, uow: InquiryUnitOfWork) -> list[Medium]:
    await ensure_default_media(uow=uow)
    return await uow.media.all()


async def add_medium(*, code: str, name: str, uow: InquiryUnitOfWork) -> Medium:
    await ensure_default_media(uow=uow)
    position = len(await uow.media.all())
    values = {"id": new_event_id(), "code": code, "name": name, "position": position}
    if not await uow.media.add_if_new(values=values):
        raise Conflict(f"媒体コード「{code}」は既に登録されています。", field="code")
    medium = await uow.media.by_code(code=code)
    assert medium is not None
    return medium
