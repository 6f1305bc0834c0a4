"""受注入力's form read into the orders service's body (the same for the live totals and for
placing): product lines by 商品コード or a set's name, 担当者, 媒体, 振込名義, survey answers and
the delivery chosen among the customer's addresses (自宅, 勤務先, ギフト送付先) or typed in
as a new gift address. What the form alone can tell is said here, per row and field; every
rule of an order (prices, campaigns, tax, fees) is the service's."""

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from gateway.clients.base import Read
from gateway.clients.orders import Product

MIN_ROWS = 3  # empty product rows offered; Enter (or 行を追加) adds one
MAX_ROWS = 60
DELIVERY_FIELDS = ("name", "postal_code", "prefecture", "address", "phone")
KIND_WORDS = {"home": "自宅", "office": "勤務先", "gift": "ギフト送付先"}


def code_key(value: str) -> str:
    """A code as typed, full-width or half-width, any case: ＡＢ－１ = ab-1."""
    return unicodedata.normalize("NFKC", value).strip().casefold().replace("ー", "-")


@dataclass(frozen=True)
class Choices:
    """What the form offers, from the orders service's masters."""

    products: list[Product]
    sets: list[Read]  # bundles (セット商品) ordered as one line
    staff: list[Read]
    media: list[Read]
    questions: list[Read]

    def find(self, typed: str) -> tuple[str, Any] | None:
        """("product", p) by its code, or ("set", s) by its name, or None."""
        key = code_key(typed)
        for p in self.products:
            if code_key(p.code) == key:
                return "product", p
        for s in self.sets:
            if code_key(str(s.get("name", ""))) == key:
                return "set", s
        return None


@dataclass
class EntryForm:
    rows: list[dict[str, str]]  # {code, quantity}, as typed, one empty row more at the end
    body: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)  # input name → what to do
    line_rows: list[int] = field(default_factory=list)  # body lines[n] ← form row
    bundle_rows: list[int] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)  # body survey_answers[n] ← question
    new_address: bool = False  # a gift address typed in, not one of the customer's

    def quotable(self) -> dict[str, Any] | None:
        """The body to quote: None while a line is wrong; without the delivery while the new
        address is incomplete (the service then leaves the fee out)."""
        if not self.body or any(k.startswith(("code_", "quantity_")) for k in self.field_errors):
            return None
        if any(k == "delivery" or k.startswith("to_") for k in self.field_errors):
            return {k: v for k, v in self.body.items() if k != "delivery"}
        return self.body

    def refused(self, detail: Any, fallback: str) -> None:
        """The service's refusal beside the fields it names (``lines.0.quantity`` → that
        row's 数量), the rest above the form."""
        detail = detail.get("detail") if isinstance(detail, dict) else None
        if not isinstance(detail, dict):
            self.problems = [fallback]
            return
        named = [detail, *(e for e in detail.get("errors") or [] if isinstance(e, dict))]
        for error in named:
            message, where = error.get("message"), self._input(str(error.get("field") or ""))
            if isinstance(message, str) and where and where not in self.field_errors:
                self.field_errors[where] = message
        self.problems = [m for e in named if isinstance(m := e.get("message"), str)] or [fallback]
        self.problems = list(dict.fromkeys(self.problems))

    def _input(self, name: str) -> str | None:
        parts = name.replace("[", ".").replace("]", "").split(".")
        if parts[0] == "delivery" and len(parts) > 1:
            return f"to_{parts[1]}" if self.new_address else "delivery"
        if parts[0] in ("lines", "bundles") and len(parts) > 1 and parts[1].isdigit():
            rows = self.line_rows if parts[0] == "lines" else self.bundle_rows
            n = int(parts[1])
            if n < len(rows):
                return f"{'quantity' if parts[-1] == 'quantity' else 'code'}_{rows[n]}"
        if parts[0] == "survey_answers" and len(parts) > 1 and parts[1].isdigit():
            n = int(parts[1])
            return f"survey_{self.question_ids[n]}" if n < len(self.question_ids) else None
        return parts[0] if parts[0] in ("staff_id", "medium_id", "payer_kana") else None


def addresses_of(customer: Any) -> list[dict[str, Any]]:
    """The customer's addresses as deliveries: key, kind, its words, the delivery itself."""
    found = []
    for a in customer.get("addresses") or []:
        if not a.get("prefecture"):
            continue
        street = "".join(a.get(k) or "" for k in ("city", "street"))
        kind = a.get("kind") if a.get("kind") in KIND_WORDS else "gift"
        delivery = {"kind": kind, "name": a.get("recipient") or customer.name,
                    "postal_code": a.get("postal_code") or "", "prefecture": a["prefecture"],
                    "address": f"{street} {a.get('building') or ''}".strip()}  # fmt: skip
        found.append({"key": f"address:{a.get('id')}", "kind": kind, "words": KIND_WORDS[kind],
                      "delivery": delivery})  # fmt: skip
    return found


def home_address(customer: Any) -> dict[str, Any] | None:
    """The customer's home (自宅) as a delivery, or None when there is none."""
    homes = [a["delivery"] for a in addresses_of(customer) if a["kind"] == "home"]
    return homes[0] if homes else None


def default_delivery(customer: Any) -> str:
    found = addresses_of(customer)
    homes = [a["key"] for a in found if a["kind"] == "home"]
    return (homes or [a["key"] for a in found] or ["new"])[0]


def read_form(form: dict[str, str], *, customer: Any, choices: Choices) -> EntryForm:
    rows = _rows(form)
    entry = EntryForm(rows=[*rows, {"code": "", "quantity": "1"}], body={})
    lines, bundles = [], []
    for i, row in enumerate(rows):
        found = choices.find(row["code"])
        quantity = unicodedata.normalize("NFKC", row["quantity"]).strip()
        if found is None:
            entry.field_errors[f"code_{i}"] = (
                f"{i + 1}行目: 商品コード「{row['code']}」の商品・セットが見つかりません。"
            )
        if not quantity.isdigit() or int(quantity) < 1:
            entry.field_errors[f"quantity_{i}"] = (
                f"{i + 1}行目: 数量は1以上の数字で入力してください。"
            )
        if found is None or f"quantity_{i}" in entry.field_errors:
            continue
        kind, item = found
        if kind == "product":
            lines.append({"product_id": str(item.id), "quantity": int(quantity)})
            entry.line_rows.append(i)
        else:
            bundles.append({"set_id": str(item.get("id")), "quantity": int(quantity)})
            entry.bundle_rows.append(i)
    if not rows:
        entry.field_errors["code_0"] = "商品コードを1つ以上入力してください。"
    delivery = _delivery(form, customer, entry)
    answers = []
    for q in choices.questions:
        answer = form.get(f"survey_{q.get('id')}", "").strip()
        if answer:
            answers.append({"question_id": str(q.get("id")), "answer": answer})
            entry.question_ids.append(str(q.get("id")))
    entry.body = {
        "customer_id": str(customer.id), "lines": lines, "bundles": bundles,
        "delivery": delivery, "staff_id": form.get("staff_id") or None,
        "medium_id": form.get("medium_id") or None,
        "payer_kana": form.get("payer_kana", "").strip()[:100], "survey_answers": answers,
    }  # fmt: skip
    entry.problems = list(entry.field_errors.values())
    return entry


def _rows(form: dict[str, str]) -> list[dict[str, str]]:
    """The filled rows in their order (an empty row is dropped; numbering follows the rest)."""
    indexes = sorted(int(k[5:]) for k in form if k.startswith("code_") and k[5:].isdigit())
    rows = []
    for i in indexes[:MAX_ROWS]:
        code = form.get(f"code_{i}", "").strip()
        if code:
            rows.append({"code": code, "quantity": form.get(f"quantity_{i}", "1").strip()})
    return rows


def _delivery(form: dict[str, str], customer: Any, entry: EntryForm) -> dict[str, Any] | None:
    chosen = form.get("delivery") or default_delivery(customer)
    if chosen != "new":
        for a in addresses_of(customer):
            if a["key"] == chosen:
                return a["delivery"]
        entry.field_errors["delivery"] = "お届け先を選んでください。"
        return None
    entry.new_address = True
    typed = {k: form.get(f"to_{k}", "").strip() for k in DELIVERY_FIELDS}
    for name, words in (("name", "お名前"), ("prefecture", "都道府県"), ("address", "住所")):
        if not typed[name]:
            entry.field_errors[f"to_{name}"] = f"新しいお届け先の{words}を入力してください。"
    return {"kind": "gift", **typed, "phone": typed["phone"] or None}
