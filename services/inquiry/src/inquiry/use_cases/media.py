"""The media master (媒体マスタ) per tenant: defaults on first use, admins add more, rename
them and retire them (廃止). A retired medium leaves the pickers but keeps its name on the
inquiries that came by it; its code is never reused (inquiries name their medium by code)."""

from uuid import UUID

from contracts.envelope import new_event_id
from kit.errors import Conflict, NotFound

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


async def get_medium(
    medium_id: UUID, *, uow: InquiryUnitOfWork, for_update: bool = False
) -> Medium:
    medium = await uow.media.by_id(medium_id=medium_id, for_update=for_update)
    if medium is None:  # another tenant's too
        raise NotFound("媒体が見つかりません。")
    return medium


async def rename_medium(medium_id: UUID, *, name: str, uow: InquiryUnitOfWork) -> Medium:
    medium = await get_medium(medium_id, uow=uow, for_update=True)
    medium.name = name
    return medium


async def retire_medium(medium_id: UUID, *, uow: InquiryUnitOfWork) -> Medium:
    """Idempotent. The portal's medium is not retired: its inquiries arrive by themselves."""
    medium = await get_medium(medium_id, uow=uow, for_update=True)
    if medium.auto_linked:
        raise Conflict("ポータル連携の媒体は廃止できません。", code="auto_linked_medium")
    medium.active = False
    return medium


async def restore_medium(medium_id: UUID, *, uow: InquiryUnitOfWork) -> Medium:
    medium = await get_medium(medium_id, uow=uow, for_update=True)
    medium.active = True
    return medium
