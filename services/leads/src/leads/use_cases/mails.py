"""LEAD-6: read models of listings and buyers kept from events, automatic proposals for the
buyers a new or changed listing matches, manual proposals, step mails, newsletters, and the
round that sends what is due. Every send goes through the kit's mail queue in the same
transaction as its delivery row and its tracked send (use_cases.tracking.record_send), so a
delivery is sent once or not at all. The boundary (a handler, a route, the scheduler) owns
the transaction."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contracts import CustomerWishesChangedV1, InquiryLinkedV2
from contracts.booking import PropertyChangedV1, PropertyListedV1
from contracts.envelope import Envelope, new_event_id
from kit.errors import Conflict, Invalid, NotFound

from leads.adapters.mail_orm import Buyer, Delivery, Listing, Mail
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.domain import unsubscribe
from leads.domain.mail_render import PropertyLine, render
from leads.use_cases.tracking import RecordSend, record_send

AUTO_SUBJECT = "【新着物件のご案内】{name}"
AUTO_BODY = "ご希望の条件に合う物件が新しく掲載されました。"
MESSAGE_KINDS = {"proposal": "proposal", "step": "step", "newsletter": "newsletter"}


@dataclass(frozen=True)
class MailLinks:
    """What a sent mail links to: the gateway's public address and the signing secret."""

    secret: str
    ttl_days: int
    base_url: str

    def pixel(self, token: str) -> str:
        return f"{self.base_url}/t/o/{token}.gif"

    def unsubscribe(self, token: str) -> str:
        return f"{self.base_url}/t/u/{token}"

    def property_page(self, token: str, property_id: UUID) -> str:
        """The property's page (WEB販売図面) for this recipient: its views post the beacon."""
        return f"{self.base_url}/t/p/{token}/{property_id}"


async def keep_listing(
    event: PropertyListedV1 | PropertyChangedV1, *, envelope: Envelope, uow: LeadsUnitOfWork
) -> None:
    """Keep the listing, then propose it to the automatic buyers it matches (once each)."""
    facts = event.facts.model_dump() if event.facts else {}
    moment = event.listed_at if isinstance(event, PropertyListedV1) else event.changed_at
    values = {
        "property_id": event.property_id, "store_id": event.store_id, "code": event.code,
        "name": event.name, "changed_at": moment,
        **{k: facts.get(k) for k in ("kind", "prefecture", "city", "station", "price_yen",
                                     "layout", "size_m2")},
    }  # fmt: skip
    if not await uow.listings.put(values=values) or event.facts is None:
        return
    [listing] = await uow.listings.many(property_ids=[event.property_id])
    customers = await uow.buyers.automatic_matches(listing=listing)
    if not customers:
        return
    mail_id = new_event_id()
    await uow.mails.add(values={
        "id": mail_id, "kind": "proposal", "origin": "automatic",
        "subject": AUTO_SUBJECT.format(name=listing.name), "body": AUTO_BODY,
        "property_ids": [str(listing.property_id)], "created_at": envelope.occurred_at,
    })  # fmt: skip
    await uow.mails.deliver(rows=[
        {"id": new_event_id(), "mail_id": mail_id, "customer_id": c, "due_at": envelope.occurred_at}
        for c in customers
    ])  # fmt: skip
    await uow.buyers.mark_proposed(customer_ids=customers, property_id=listing.property_id)


async def keep_buyer(
    event: CustomerWishesChangedV1, *, envelope: Envelope, uow: LeadsUnitOfWork
) -> None:
    c = event.conditions
    areas = [a.model_dump() for a in c.areas]
    await uow.buyers.put(
        values={
            "customer_id": event.customer_id, "name": event.name, "email": event.email,
            "side": event.side, "proposal_delivery": event.proposal_delivery,
            "newsletter_opt_in": event.newsletter_opt_in, "kinds": list(c.kinds),
            "layouts": list(c.layouts), "price_min_yen": c.price_min_yen,
            "price_max_yen": c.price_max_yen, "size_min_m2": c.size_min_m2,
            "changed_at": event.changed_at,
        },
        areas=areas,
    )  # fmt: skip


async def start_steps(event: InquiryLinkedV2, *, envelope: Envelope, uow: LeadsUnitOfWork) -> None:
    """ステップメール: each active sequence's steps fall due N days after the inquiry."""
    steps = await uow.mails.active_steps()
    await uow.mails.deliver(rows=[
        {"id": new_event_id(), "mail_id": s.id, "customer_id": event.customer_id,
         "due_at": envelope.occurred_at + timedelta(days=s.day_offset or 0)}
        for s in steps
    ])  # fmt: skip


async def propose(
    *, customer_id: UUID, property_ids: list[UUID], subject: str | None, message: str | None,
    by: UUID | None, now: datetime, uow: LeadsUnitOfWork,
) -> UUID:  # fmt: skip
    """A manual proposal (手動提案) of chosen properties, sent at the next round."""
    buyer = await uow.buyers.get(customer_id=customer_id)
    if buyer is None:
        raise NotFound("お客様が見つかりません。")
    refusal = _refusal(buyer, kind="proposal", origin="manual")
    if refusal:
        raise Conflict(SKIP_WORDS[refusal], code=refusal)
    found = {lst.property_id: lst for lst in await uow.listings.many(property_ids=property_ids)}
    missing = [str(p) for p in property_ids if p not in found]
    if missing:
        raise Invalid(f"物件が見つかりません: {', '.join(missing)}", field="property_ids")
    first = found[property_ids[0]].name
    mail_id = new_event_id()
    await uow.mails.add(values={
        "id": mail_id, "kind": "proposal", "origin": "manual",
        "subject": subject or f"【物件のご提案】{first}" + ("ほか" if len(found) > 1 else ""),
        "body": message or "ご希望に合わせて物件をご提案いたします。",
        "property_ids": [str(p) for p in dict.fromkeys(property_ids)],
        "created_at": now, "created_by": by,
    })  # fmt: skip
    await uow.mails.deliver(
        rows=[{"id": new_event_id(), "mail_id": mail_id, "customer_id": customer_id, "due_at": now}]
    )
    return mail_id


async def schedule_newsletter(
    *, subject: str, body: str, send_at: datetime, by: UUID | None, now: datetime,
    uow: LeadsUnitOfWork,
) -> Mail:  # fmt: skip
    """メールマガジン: to every opted-in customer as they stand when it falls due."""
    if send_at < now - timedelta(minutes=1):
        raise Invalid("配信日時は現在以降の日時を指定してください。", field="send_at")
    mail_id = new_event_id()
    await uow.mails.add(values={
        "id": mail_id, "kind": "newsletter", "origin": "staff", "subject": subject,
        "body": body, "property_ids": [], "due_at": send_at, "created_at": now, "created_by": by,
    })  # fmt: skip
    mail = await uow.mails.get(mail_id=mail_id)
    assert mail is not None
    return mail


async def create_sequence(
    *, name: str, steps: list[tuple[int, str, str]], now: datetime, uow: LeadsUnitOfWork
) -> UUID:
    sequence_id = new_event_id()
    await uow.mails.add_sequence(values={"id": sequence_id, "name": name, "active": True,
                                         "created_at": now})  # fmt: skip
    for offset, subject, body in steps:
        await uow.mails.add(values={
            "id": new_event_id(), "kind": "step", "origin": "sequence", "subject": subject,
            "body": body, "property_ids": [], "sequence_id": sequence_id,
            "day_offset": offset, "created_at": now,
        })  # fmt: skip
    return sequence_id


# Why a delivery was not sent; such a delivery is counted nowhere (no send, no open rate).
SKIP_WORDS = {
    "unknown_customer": "お客様が見つかりません。",
    "no_address": "メールアドレスが登録されていないため送信できません。",
    "unsubscribed": "配信停止済みのお客様には送信できません。",
    "not_opted_in": "メールマガジンを希望していないお客様です。",
    "delivery_stopped": "提案メールの配信設定が「停止」のお客様です。",
    "not_automatic": "提案メールの配信設定が「自動」ではありません。",
}


def _refusal(buyer: Buyer | None, *, kind: str, origin: str) -> str | None:
    if buyer is None:
        return "unknown_customer"
    if not buyer.email:
        return "no_address"
    if buyer.unsubscribed_at is not None:
        return "unsubscribed"
    if kind == "newsletter" and not buyer.newsletter_opt_in:
        return "not_opted_in"
    if kind == "proposal" and buyer.proposal_delivery == "stopped":
        return "delivery_stopped"
    if origin == "automatic" and buyer.proposal_delivery != "automatic":
        return "not_automatic"
    return None


async def send_due(*, links: MailLinks, now: datetime, limit: int, uow: LeadsUnitOfWork) -> int:
    """One round for the unit's tenant: due newsletters get their recipients, then due
    deliveries are sent or skipped. Returns how many rows were done (0: nothing due)."""
    done = 0
    for newsletter in await uow.mails.claim_newsletters(now=now, limit=10):
        await uow.mails.fan_out_newsletter(mail=newsletter, now=now)
        done += 1
    mails: dict[UUID, Mail | None] = {}
    for delivery in await uow.mails.claim_due(now=now, limit=limit):
        if delivery.mail_id not in mails:
            mails[delivery.mail_id] = await uow.mails.get(mail_id=delivery.mail_id)
        mail = mails[delivery.mail_id]
        assert mail is not None
        await _send_one(delivery, mail, links=links, now=now, uow=uow)
        done += 1
    return done


async def _send_one(
    delivery: Delivery, mail: Mail, *, links: MailLinks, now: datetime, uow: LeadsUnitOfWork
) -> None:
    buyer = await uow.buyers.get(customer_id=delivery.customer_id)
    reason = _refusal(buyer, kind=mail.kind, origin=mail.origin)
    if reason is not None or buyer is None or buyer.email is None:
        await uow.mails.done(delivery_id=delivery.id, state="skipped", at=now, reason=reason)
        return
    token = await record_send(
        RecordSend(message_id=delivery.id, customer_id=buyer.customer_id,
                   message_kind=MESSAGE_KINDS[mail.kind], sent_at=now,  # type: ignore[arg-type]
                   subject=mail.subject),
        tenant_id=buyer.tenant_id, secret=links.secret, ttl_days=links.ttl_days, uow=uow,
    )  # fmt: skip
    leave = unsubscribe.sign(tenant_id=buyer.tenant_id, message_id=delivery.id,
                             customer_id=buyer.customer_id, sent_at=now, secret=links.secret)  # fmt: skip
    listings = await uow.listings.many(property_ids=[UUID(p) for p in mail.property_ids])
    by_id = {lst.property_id: lst for lst in listings}
    lines = [_line(by_id[UUID(p)], url=links.property_page(token, UUID(p)))
             for p in mail.property_ids if UUID(p) in by_id]  # fmt: skip
    rendered = render(
        name=buyer.name, subject=mail.subject, body=mail.body, properties=lines,
        pixel_url=links.pixel(token), unsubscribe_url=links.unsubscribe(leave),
    )  # fmt: skip
    outbox_id = await uow.mail.add(
        tenant_id=buyer.tenant_id, recipient=buyer.email, subject=rendered.subject,
        body=rendered.text, html=rendered.html, headers=rendered.headers,
    )  # fmt: skip
    await uow.mails.done(delivery_id=delivery.id, state="sent", at=now, outbox_mail_id=outbox_id)


def _line(listing: Listing, *, url: str | None = None) -> PropertyLine:
    place = " ".join(x for x in (listing.prefecture, listing.city) if x)
    if listing.station:
        place += f" {listing.station}駅"
    return PropertyLine(
        name=listing.name, kind=listing.kind, price_yen=listing.price_yen,
        layout=listing.layout, size_m2=listing.size_m2, place=place.strip(), url=url,
    )  # fmt: skip


async def unsubscribe_customer(*, customer_id: UUID, now: datetime, uow: LeadsUnitOfWork) -> None:
    """Idempotent: a second click, or the one-click POST after the page's, changes nothing."""
    await uow.buyers.unsubscribe(customer_id=customer_id, at=now)
