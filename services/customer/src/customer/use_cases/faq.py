"""CUS-12 FAQ: categories and entries (管理者 edits, staff read), searched by a few words in
kana or kanji while on the phone (domain/faq.py)."""

from dataclasses import dataclass
from uuid import UUID, uuid4

from kit import clock
from kit.auth import Principal, require_admin
from kit.errors import Conflict, NotFound

from customer.adapters.orm_histories import FaqCategory, FaqEntry
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain import faq
from customer.domain.errors import FaqError

ADMIN_ONLY = "FAQの登録・変更は管理者のみ行えます。"


@dataclass(frozen=True)
class FaqAnswer:
    items: list[FaqEntry]
    total: int  # all that match; ``items`` are the first RESULT_LIMIT


async def _category_name(name: str, *, uow: CustomerUnitOfWork, own: UUID | None = None) -> str:
    text = name.strip()
    if not text or len(text) > 50:
        raise FaqError("分類名を50文字以内で入力してください。", field="name")
    same = await uow.faq.category_named(name=text)
    if same is not None and same.id != own:
        raise Conflict(f"分類「{text}」はすでにあります。", field="name", code="duplicate")
    return text


async def add_category(*, name: str, position: int, uow: CustomerUnitOfWork) -> FaqCategory:
    text = await _category_name(name, uow=uow)
    return await uow.faq.add_category(values={"id": uuid4(), "name": text, "position": position})


async def change_category(
    *, category_id: UUID, name: str, position: int | None, retired: bool | None,
    principal: Principal, uow: CustomerUnitOfWork,
) -> FaqCategory:  # fmt: skip
    """Renamed, or retired (hidden from the pickers and the search filter; its entries stay
    and are found by words under 「（廃止）」) or restored (decision 92)."""
    row = await uow.faq.category(category_id=category_id)
    if row is None:
        raise NotFound("分類が見つかりません。")  # another tenant's too: before the role
    require_admin(principal, ADMIN_ONLY)
    row.name = await _category_name(name, uow=uow, own=row.id)
    if position is not None:
        row.position = position
    if retired is not None:
        row.retired_at = (row.retired_at or clock.now()) if retired else None
    await uow.session.flush()
    return row


async def save_entry(
    *,
    entry_id: UUID | None,
    category_id: UUID,
    question: str,
    answer: str,
    keywords: str,
    principal: Principal,
    uow: CustomerUnitOfWork,
) -> FaqEntry:
    """A new entry (``entry_id`` None) or a change of one."""
    if entry_id is not None and await uow.faq.entry(entry_id=entry_id) is None:
        raise NotFound("FAQが見つかりません。")  # another tenant's too: before the role
    require_admin(principal, ADMIN_ONLY)
    by = principal.user_id
    q, a, k = faq.check_entry(question=question, answer=answer, keywords=keywords)
    category = await uow.faq.category(category_id=category_id)
    if category is None:
        raise FaqError("分類を選んでください。", field="category_id")
    if category.retired_at is not None:
        kept = (
            entry_id is not None
            and (await uow.faq.entry(entry_id=entry_id)).category_id == category_id
        )  # type: ignore[union-attr]
        if not kept:
            raise FaqError("廃止した分類には登録できません。ほかの分類を選んでください。",
                           field="category_id")  # fmt: skip
    text = faq.entry_text(question=q, answer=a, keywords=k)
    values = {"category_id": category_id, "question": q, "answer": a, "keywords": k,
              "search_text": text, "search_grams": faq.bigrams(text), "updated_by": by}  # fmt: skip
    if entry_id is None:
        return await uow.faq.add_entry(values={"id": uuid4(), **values})
    await uow.faq.update_entry(entry_id=entry_id, values=values)
    found = await uow.faq.entry(entry_id=entry_id)
    assert found is not None
    await uow.session.refresh(found)
    return found


async def delete_entry(*, entry_id: UUID, principal: Principal, uow: CustomerUnitOfWork) -> None:
    if await uow.faq.entry(entry_id=entry_id) is None:
        raise NotFound("FAQが見つかりません。")
    require_admin(principal, ADMIN_ONLY)
    await uow.faq.delete_entry(entry_id=entry_id)


async def get_entry(*, entry_id: UUID, uow: CustomerUnitOfWork) -> FaqEntry:
    found = await uow.faq.entry(entry_id=entry_id)
    if found is None:
        raise NotFound("FAQが見つかりません。")
    return found


async def search(*, q: str | None, category_id: UUID | None, uow: CustomerUnitOfWork) -> FaqAnswer:
    """No words: the category's entries (or all), by question; words: the matches."""
    if category_id is not None and await uow.faq.category(category_id=category_id) is None:
        raise NotFound("分類が見つかりません。")
    if not (q or "").strip():
        items, total = await uow.faq.listed(category_id=category_id, limit=faq.RESULT_LIMIT * 5)
        return FaqAnswer(items, total)
    words = faq.query_words(q or "")
    grams = sorted({g for w in words if len(w) >= 2 for g in faq.bigrams(w)})
    items, total = await uow.faq.search(
        words=words, grams=grams, category_id=category_id, limit=faq.RESULT_LIMIT
    )
    return FaqAnswer(items, total)
