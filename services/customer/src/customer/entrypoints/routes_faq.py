"""ランクマスタ (CUS-10) and FAQ (CUS-12): 管理者 edit, staff read; thin routes."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from kit.auth import CurrentPrincipal, admin_only
from kit.clock import JstDatetime
from pydantic import BaseModel, ConfigDict, Field

from customer.domain.faq import MAX_QUERY
from customer.entrypoints.deps import TxDep, UowDep
from customer.use_cases import faq, ranks

router = APIRouter()
RANKS_ADMIN = admin_only("ランクの設定は管理者のみ変更できます。")
FAQ_ADMIN = admin_only(faq.ADMIN_ONLY)


class RankIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: UUID | None = None  # kept: a rank's id stays the same across edits
    name: str = Field(max_length=100)
    min_orders: int | None = None
    max_orders: int | None = None
    min_amount_yen: int | None = None
    max_amount_yen: int | None = None
    min_days_since: int | None = Field(None, description="最終購入からの日数（下限）")
    max_days_since: int | None = Field(None, description="最終購入からの日数（上限）")


class RankOut(RankIn):
    model_config = ConfigDict(from_attributes=True)

    id: UUID | None = None


class RankMasterWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period_days: int | None = Field(
        None, description="購入回数・金額を数える期間（日）。空は全期間"
    )
    ranks: list[RankIn] = Field(max_length=50)


class RankMasterRead(BaseModel):
    period_days: int | None
    ranks: list[RankOut]
    recomputed: int = 0  # customers whose rank changed by this save
    complete: bool = True  # False: the rest of a large tenant is ranked by the rank worker


class CategoryWrite(BaseModel):
    name: str = Field(max_length=100)
    position: int = Field(0, ge=0, le=10_000)


class CategoryChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100)
    position: int | None = Field(None, ge=0, le=10_000)
    retired: bool | None = Field(None, description="true: 廃止 / false: 再開 / 省略: そのまま")


class CategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    position: int
    retired_at: JstDatetime | None = None  # retired: hidden from pickers, entries still found


class EntryWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category_id: UUID
    question: str = Field(max_length=300)
    answer: str = Field(max_length=5000)
    keywords: str = Field("", max_length=300, description="読み・キーワード（かなで引けるように）")


class EntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    category_id: UUID
    question: str
    answer: str
    keywords: str
    updated_at: JstDatetime


class EntryPage(BaseModel):
    items: list[EntryRead]  # at most 20 for a search
    total: int


def _master(view: ranks.RankMasterView) -> RankMasterRead:
    return RankMasterRead(period_days=view.period_days, recomputed=view.recomputed,
                          complete=view.complete,
                          ranks=[RankOut.model_validate(r) for r in view.ranks])  # fmt: skip


@router.get("/ranks")
async def rank_master(uow: UowDep) -> RankMasterRead:
    return _master(await ranks.show_master(uow=uow))


@router.put("/ranks", dependencies=[RANKS_ADMIN])
async def replace_rank_master(
    body: RankMasterWrite, principal: CurrentPrincipal, tx: TxDep
) -> RankMasterRead:
    """The whole master; overlapping ranks are refused (422); every customer is ranked again
    in the same transaction."""
    given = [r.model_dump() for r in body.ranks]
    view = await tx.run(lambda uow: ranks.replace_master(
        period_days=body.period_days, ranks=given, by=principal.user_id, uow=uow))  # fmt: skip
    return _master(view)


@router.get("/faq/categories")
async def faq_categories(uow: UowDep) -> list[CategoryRead]:
    return [CategoryRead.model_validate(c) for c in await uow.faq.categories()]


@router.post("/faq/categories", status_code=status.HTTP_201_CREATED, dependencies=[FAQ_ADMIN])
async def add_faq_category(body: CategoryWrite, tx: TxDep) -> CategoryRead:
    row = await tx.run(
        lambda uow: faq.add_category(name=body.name, position=body.position, uow=uow)
    )
    return CategoryRead.model_validate(row)


@router.put("/faq/categories/{category_id}")
async def change_faq_category(
    category_id: UUID, body: CategoryChange, principal: CurrentPrincipal, tx: TxDep
) -> CategoryRead:
    """Renamed, retired or restored (管理者 only; another tenant's category is 404 before
    the role is looked at)."""
    row = await tx.run(lambda uow: faq.change_category(
        category_id=category_id, **body.model_dump(), principal=principal, uow=uow))  # fmt: skip
    return CategoryRead.model_validate(row)


@router.get("/faq/entries")
async def search_faq(
    uow: UowDep,
    q: Annotated[str, Query(max_length=MAX_QUERY + 100)] = "",
    category_id: UUID | None = None,
) -> EntryPage:
    """A few words in kana or kanji (2 characters at least); no words: the category's list."""
    found = await faq.search(q=q, category_id=category_id, uow=uow)
    return EntryPage(items=[EntryRead.model_validate(e) for e in found.items], total=found.total)


@router.post("/faq/entries", status_code=status.HTTP_201_CREATED, dependencies=[FAQ_ADMIN])
async def add_faq_entry(body: EntryWrite, principal: CurrentPrincipal, tx: TxDep) -> EntryRead:
    row = await tx.run(lambda uow: faq.save_entry(entry_id=None, **body.model_dump(),
                                                  principal=principal, uow=uow))  # fmt: skip
    return EntryRead.model_validate(row)


@router.get("/faq/entries/{faq_id}")
async def faq_entry(faq_id: UUID, uow: UowDep) -> EntryRead:
    return EntryRead.model_validate(await faq.get_entry(entry_id=faq_id, uow=uow))


@router.put("/faq/entries/{faq_id}")
async def change_faq_entry(
    faq_id: UUID, body: EntryWrite, principal: CurrentPrincipal, tx: TxDep
) -> EntryRead:
    """管理者 only; another tenant's entry is 404 before the role is looked at."""
    row = await tx.run(lambda uow: faq.save_entry(entry_id=faq_id, **body.model_dump(),
                                                  principal=principal, uow=uow))  # fmt: skip
    return EntryRead.model_validate(row)


@router.delete("/faq/entries/{faq_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_faq_entry(faq_id: UUID, principal: CurrentPrincipal, tx: TxDep) -> None:
    """管理者 only; another tenant's entry is 404 before the role is looked at."""
    await tx.run(lambda uow: faq.delete_entry(entry_id=faq_id, principal=principal, uow=uow))
