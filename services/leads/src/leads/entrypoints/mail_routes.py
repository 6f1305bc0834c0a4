"""LEAD-6 for staff — manual proposals, newsletters, step sequences — and the public
unsubscribe page that every mail links to (RFC 8058 one-click included)."""

import html
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse
from kit.auth import CurrentPrincipal
from kit.clock import JST, JstDatetime
from kit.transactions import Transactions
from pydantic import BaseModel, Field

from leads.domain import unsubscribe
from leads.entrypoints.deps import StaffOnly, TxDep
from leads.use_cases import mails

router = APIRouter(dependencies=[StaffOnly], tags=["mails"])
public = APIRouter(tags=["unsubscribe"])

Subject = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(min_length=1, max_length=20_000)]


class ProposalCreate(BaseModel):
    property_ids: list[UUID] = Field(min_length=1, max_length=20)
    subject: Subject | None = None
    message: Body | None = None


class Queued(BaseModel):
    mail_id: UUID


class NewsletterCreate(BaseModel):
    subject: Subject
    body: Body
    send_at: datetime  # 配信日時; without an offset it is Japan's time


class NewsletterRead(BaseModel):
    id: UUID
    subject: str
    send_at: JstDatetime


class StepWrite(BaseModel):
    day_offset: Annotated[int, Field(ge=0, le=365)]  # days after the inquiry
    subject: Subject
    body: Body


class SequenceCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    steps: list[StepWrite] = Field(min_length=1, max_length=20)


class Created(BaseModel):
    id: UUID


@router.post("/customers/{customer_id}/proposals", status_code=status.HTTP_202_ACCEPTED)
async def propose(
    customer_id: UUID, body: ProposalCreate, tx: TxDep, principal: CurrentPrincipal
) -> Queued:
    mail_id = await tx.run(lambda uow: mails.propose(
        customer_id=customer_id, property_ids=body.property_ids, subject=body.subject,
        message=body.message, by=principal.user_id, now=datetime.now(UTC), uow=uow,
    ))  # fmt: skip
    return Queued(mail_id=mail_id)


@router.post("/newsletters", status_code=status.HTTP_201_CREATED)
async def schedule_newsletter(
    body: NewsletterCreate, tx: TxDep, principal: CurrentPrincipal
) -> NewsletterRead:
    send_at = body.send_at if body.send_at.tzinfo else body.send_at.replace(tzinfo=JST)
    mail = await tx.run(lambda uow: mails.schedule_newsletter(
        subject=body.subject, body=body.body, send_at=send_at, by=principal.user_id,
        now=datetime.now(UTC), uow=uow,
    ))  # fmt: skip
    assert mail.due_at is not None
    return NewsletterRead(id=mail.id, subject=mail.subject, send_at=mail.due_at)


@router.post("/step-sequences", status_code=status.HTTP_201_CREATED)
async def create_sequence(body: SequenceCreate, tx: TxDep) -> Created:
    steps = [(s.day_offset, s.subject, s.body) for s in body.steps]
    sequence_id = await tx.run(lambda uow: mails.create_sequence(
        name=body.name, steps=steps, now=datetime.now(UTC), uow=uow,
    ))  # fmt: skip
    return Created(id=sequence_id)


def _page(title: str, text: str, *, form: bool = False, status_code: int = 200) -> HTMLResponse:
    button = (
        '<form method="post"><button type="submit">配信を停止する</button></form>' if form else ""
    )
    return HTMLResponse(
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(text)}</p>{button}</main></body></html>",
        status_code=status_code,
        headers={"cache-control": "no-store"},
    )


def _claims(request: Request, token: str):  # type: ignore[no-untyped-def]
    secret = request.app.state.runtime.tracking.secret
    return unsubscribe.verify(token, secret=secret, now=datetime.now(UTC))


INVALID = (
    "リンクが無効です",
    "このリンクは無効か、期限が切れています。お手数ですが配信元へご連絡ください。",
)


@public.get("/unsubscribe/{token}", include_in_schema=False)
async def confirm_page(token: str, request: Request) -> HTMLResponse:
    """Only a page: mail scanners follow links, and a GET must not unsubscribe anyone."""
    if _claims(request, token) is None:
        return _page(*INVALID, status_code=404)
    return _page("メール配信の停止", "今後のメール配信を停止します。よろしければ下のボタンを押してください。",
                 form=True)  # fmt: skip


@public.post("/unsubscribe/{token}", include_in_schema=False)
async def unsubscribe_now(token: str, request: Request) -> HTMLResponse:
    """The page's button and the mail client's one-click POST (List-Unsubscribe=One-Click)."""
    claims = _claims(request, token)
    if claims is None:
        return _page(*INVALID, status_code=404)
    tx = Transactions(request.app.state.runtime, tenant_id=claims.tenant_id)
    await tx.run(lambda uow: mails.unsubscribe_customer(
        customer_id=claims.customer_id, now=datetime.now(UTC), uow=uow,
    ))  # fmt: skip
    return _page("配信を停止しました", "今後、このアドレスへのメール配信は行いません。")
