"""FAQ (CUS-12): the search while on the phone (kana or kanji, two characters at least), the
snippets the monitor's picker pastes from, and the 管理者's entries and categories."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.clients.base import Reply
from gateway.web.common.answers import back, field_errors, not_found, refusal
from gateway.web.common.deps import ClientsDep, StaffPage
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)


async def _search(
    clients: ClientsDep, q: str, category_id: UUID | None
) -> tuple[object, str | None]:
    params = {"q": q}
    if category_id:
        params["category_id"] = str(category_id)
    found = await clients.histories.faq_search(params)
    if isinstance(found, Reply):
        return None, refusal(
            found, "FAQを検索できませんでした。", invalid="検索語を確認してください。"
        )
    return found, None


@router.get("/faq", response_class=HTMLResponse)
async def faq_page(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    q: Annotated[str, Query(max_length=200)] = "",
    category_id: Annotated[str, Query(max_length=40)] = "",  # the select's すべて is empty
    notice: Annotated[str, Query(max_length=200)] = "",
    refused: Annotated[str, Query(alias="error", max_length=200)] = "",
) -> Response:
    categories = await clients.histories.faq_categories() or []
    chosen = {str(c.id): c.id for c in categories}
    if category_id and category_id not in chosen:
        return not_found(request, staff, "分類が見つかりません。")
    category = chosen.get(category_id)
    found, error = await _search(clients, q, category)
    names = {c.id: c.name + ("（廃止）" if c.retired_at else "") for c in categories}
    context = {"staff": staff, "nav": "faq", "q": q, "category_id": category, "found": found,
               "error": error, "categories": categories, "names": names, "notice": notice,
               "refused": refused, "form": {}, "errors": {}}  # fmt: skip
    return render(request, "faq.html", context, 422 if error else 200)


@router.get("/faq/snippets", response_class=HTMLResponse)
async def faq_snippets(
    request: Request, staff: StaffPage, clients: ClientsDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:  # fmt: skip
    """The monitor's picker: the hits as a fragment, each with its 貼り付け button."""
    found, error = (
        await _search(clients, q, None) if q.strip() else (None, "検索語を入力してください。")
    )
    return render(request, "_faq_snippets.html", {"found": found, "error": error})


@router.post("/faq/categories")
async def add_category(
    request: Request, staff: StaffPage, clients: ClientsDep, name: Annotated[str, Form()] = ""
) -> Response:
    reply = await clients.histories.add_faq_category(name=name)
    if not reply.ok:
        return back("/faq", error=refusal(reply, "分類を追加できませんでした。"))
    return back("/faq", notice=f"分類「{name.strip()}」を追加しました。")


@router.post("/faq/categories/{category_id}")
async def change_category(
    category_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    name: Annotated[str, Form()] = "",
    retired: Annotated[str, Form()] = "",
) -> Response:
    """Renamed, or retired (hidden from the pickers and the filter, its entries still found
    under 「（廃止）」) and restored; 管理者 only (the service decides)."""
    reply = await clients.histories.change_faq_category(
        category_id, {"name": name, "retired": bool(retired)}
    )
    if reply.status_code == 404:
        return not_found(request, staff, "分類が見つかりません。")
    if not reply.ok:
        return back("/faq", error=refusal(reply, "分類を変更できませんでした。"))
    done = "を廃止しました" if retired else "を保存しました"
    return back("/faq", notice=f"分類「{name.strip()}」{done}。")


@router.get("/faq/entries/{faq_id}", response_class=HTMLResponse)
async def edit_entry(
    faq_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    entry = await clients.histories.faq_entry(faq_id)
    if entry is None:
        return not_found(request, staff, "FAQが見つかりません。")
    categories = await clients.histories.faq_categories() or []
    form = {"category_id": str(entry.category_id), "question": entry.question,
            "answer": entry.answer, "keywords": entry.keywords}  # fmt: skip
    context = {"staff": staff, "nav": "faq", "entry": entry, "categories": categories,
               "form": form, "errors": {}}  # fmt: skip
    return render(request, "faq_entry.html", context)


@router.post("/faq/entries", response_class=HTMLResponse)
async def add_entry(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    category_id: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    keywords: Annotated[str, Form()] = "",
) -> Response:
    return await _save(request, staff, clients, None,
                       {"category_id": category_id, "question": question, "answer": answer,
                        "keywords": keywords})  # fmt: skip


@router.post("/faq/entries/{faq_id}", response_class=HTMLResponse)
async def change_entry(
    faq_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    category_id: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    keywords: Annotated[str, Form()] = "",
) -> Response:
    return await _save(request, staff, clients, faq_id,
                       {"category_id": category_id, "question": question, "answer": answer,
                        "keywords": keywords})  # fmt: skip


@router.post("/faq/entries/{faq_id}/delete")
async def delete_entry(
    faq_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    reply = await clients.histories.delete_faq_entry(faq_id)
    if reply.status_code == 404:
        return not_found(request, staff, "FAQが見つかりません。")
    if not reply.ok:
        return back("/faq", error=refusal(reply, "FAQを削除できませんでした。"))
    return back("/faq", notice="FAQを削除しました。")


async def _save(request: Request, staff: StaffPage, clients: ClientsDep, entry_id: UUID | None,
                form: dict[str, str]) -> Response:  # fmt: skip
    body = {**form}
    errors: dict[str, str] = {}
    try:
        body["category_id"] = str(UUID(form["category_id"]))
    except ValueError:
        errors["category_id"] = "分類を選んでください。"
    if not errors:
        reply = await clients.histories.save_faq_entry(entry_id, body)
        if reply.status_code == 404:
            return not_found(request, staff, "FAQが見つかりません。")
        if reply.ok:
            return back("/faq", notice="FAQを保存しました。")
        errors = field_errors(reply, "FAQを保存できませんでした。")
    categories = await clients.histories.faq_categories() or []
    entry = await clients.histories.faq_entry(entry_id) if entry_id else None
    context = {"staff": staff, "nav": "faq", "entry": entry, "categories": categories,
               "form": form, "errors": errors}  # fmt: skip
    return render(request, "faq_entry.html", context, 422)
