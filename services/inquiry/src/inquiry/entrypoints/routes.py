from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from kit import clock
from kit.auth import CurrentPrincipal, Principal, admin_only, require_admin
from kit.errors import Forbidden
from kit.http import CSV, file_answer
from kit.inputs import Day

from inquiry.domain.listing import InquiryFilter
from inquiry.domain.model import PortalInquiry, StaffInquiry
from inquiry.entrypoints.deps import TxDep, UowDep
from inquiry.entrypoints.schemas import (
    InquiryPage,
    InquiryRead,
    IntakeRead,
    MediumCreate,
    MediumRead,
    MediumUpdate,
)
from inquiry.use_cases import browsing, intake, media

router = APIRouter()

MAX_BODY_BYTES = 256 * 1024
STAFF_ROLES = ("admin", "general")


async def _staff(principal: CurrentPrincipal) -> Principal:
    if principal.role not in STAFF_ROLES:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "staff credentials required")
    return principal


StaffPrincipal = Annotated[Principal, Depends(_staff)]


def _filter(
    medium: Annotated[str | None, Query(max_length=40)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    property: Annotated[str | None, Query(max_length=100)] = None,
    name: Annotated[str | None, Query(max_length=100)] = None,
    received_from: Day | None = None,
    received_to: Day | None = None,
    customer_id: UUID | None = None,
    store_id: UUID | None = None,
) -> InquiryFilter:
    return browsing.build_filter(
        medium=medium, kind=kind, property_text=property, name=name,
        received_from=received_from, received_to=received_to,
        customer_id=customer_id, store_id=store_id,
    )  # fmt: skip


FilterDep = Annotated[InquiryFilter, Depends(_filter)]


def _intake_answer(result: intake.IntakeResult, response: Response) -> IntakeRead:
    if not result.created:
        response.status_code = status.HTTP_200_OK
    state = "accepted" if result.created else "duplicate"
    return IntakeRead(inquiry_id=result.inquiry_id, status=state)


@router.post("/portal-inquiries", status_code=status.HTTP_202_ACCEPTED)
async def portal_inquiry(
    payload: PortalInquiry,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    tx: TxDep,
) -> IntakeRead:
    """The portal webhook's body, parsed here and only here (the gateway checked its size and
    signature, and passes it on as it came); kept as it came, too."""
    if principal.role != "portal":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "portal credentials required")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "payload too large")
    text = raw.decode("utf-8", "replace")
    result = await tx.run(lambda uow: intake.receive_portal_inquiry(payload, raw=text, uow=uow))
    return _intake_answer(result, response)


@router.post("/inquiries", status_code=status.HTTP_202_ACCEPTED)
async def register_inquiry(
    payload: StaffInquiry, response: Response, principal: StaffPrincipal, tx: TxDep
) -> IntakeRead:
    by = principal.user_id
    result = await tx.run(lambda uow: intake.register_inquiry(payload, staff_id=by, uow=uow))
    return _intake_answer(result, response)


@router.get("/inquiries")
async def list_inquiries(
    where: FilterDep,
    uow: UowDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> InquiryPage:
    rows, total = await browsing.find_inquiries(where, page=page, per_page=per_page, uow=uow)
    items = [InquiryRead.model_validate(r) for r in rows]
    return InquiryPage(items=items, total=total, page=page, per_page=per_page)


@router.get(
    "/inquiries.csv",
    **file_answer(CSV, "反響一覧（CSV）"),
    dependencies=[admin_only("反響一覧の出力は管理者のみ行えます。")],
)
async def export_inquiries(where: FilterDep, uow: UowDep) -> StreamingResponse:
    today = clock.today().strftime("%Y%m%d")
    filename = quote(f"反響一覧_{today}.csv")
    return StreamingResponse(
        browsing.export_csv(where, uow=uow),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f"attachment; filename=\"inquiries_{today}.csv\"; "
                 f"filename*=UTF-8''{filename}"},
    )  # fmt: skip


@router.get("/inquiries/{inquiry_id}")
async def get_inquiry(inquiry_id: UUID, uow: UowDep) -> InquiryRead:
    return InquiryRead.model_validate(await browsing.show_inquiry(inquiry_id, uow=uow))


@router.get("/media")
async def list_media(tx: TxDep) -> list[MediumRead]:
    """A write on first use: the tenant's default media are created then."""
    return [
        MediumRead.model_validate(m) for m in await tx.run(lambda uow: media.list_media(uow=uow))
    ]


@router.post("/media", status_code=status.HTTP_201_CREATED)
async def add_medium(payload: MediumCreate, principal: StaffPrincipal, tx: TxDep) -> MediumRead:
    if not principal.is_admin:
        raise Forbidden("媒体マスタの変更は管理者のみ行えます。")
    code, name = payload.code, payload.name
    medium = await tx.run(lambda uow: media.add_medium(code=code, name=name, uow=uow))
    return MediumRead.model_validate(medium)


# A change of one medium looks it up before the admin check: another tenant's medium is 404
# for everyone (a 403 first would tell a 一般 user which ids exist).
_MEDIA_ADMIN = "媒体マスタの変更は管理者のみ行えます。"


async def _medium_change(medium_id: UUID, principal: Principal, tx: TxDep, change) -> MediumRead:  # type: ignore[no-untyped-def]
    async def work(uow):  # type: ignore[no-untyped-def]
        await media.get_medium(medium_id, uow=uow)
        require_admin(principal, _MEDIA_ADMIN)
        return await change(uow)

    return MediumRead.model_validate(await tx.run(work))


@router.put("/media/{medium_id}")
async def rename_medium(
    medium_id: UUID, payload: MediumUpdate, principal: StaffPrincipal, tx: TxDep
) -> MediumRead:
    name = payload.name
    return await _medium_change(medium_id, principal, tx,
                                lambda uow: media.rename_medium(medium_id, name=name, uow=uow))  # fmt: skip


@router.post("/media/{medium_id}/retire")
async def retire_medium(medium_id: UUID, principal: StaffPrincipal, tx: TxDep) -> MediumRead:
    """廃止: gone from the pickers; the inquiries that came by it keep its name."""
    return await _medium_change(medium_id, principal, tx,
                                lambda uow: media.retire_medium(medium_id, uow=uow))  # fmt: skip


@router.post("/media/{medium_id}/restore")
async def restore_medium(medium_id: UUID, principal: StaffPrincipal, tx: TxDep) -> MediumRead:
    return await _medium_change(medium_id, principal, tx,
                                lambda uow: media.restore_medium(medium_id, uow=uow))  # fmt: skip
