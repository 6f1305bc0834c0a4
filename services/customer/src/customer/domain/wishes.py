"""A buyer's 希望条件 as the typed contract (contracts.listings.DesiredConditions), and the
reading of the free-form records kept before it: what maps is mapped, the rest is kept as
the conditions' note, never dropped. No I/O."""

import json
import re
import unicodedata
from typing import Any

from contracts.listings import LAYOUT_PATTERN, DesiredConditions
from pydantic import ValidationError

_PREFECTURE = re.compile(r"^(東京都|北海道|(京都|大阪)府|.{2,3}県)$")
_STATION = re.compile(r"^(.+?)駅$")
_KINDS = {
    "mansion": "mansion", "マンション": "mansion", "house": "house", "戸建": "house",
    "戸建て": "house", "一戸建て": "house", "land": "land", "土地": "land",
    "rental": "rental", "賃貸": "rental",
}  # fmt: skip
_PRICE_KEYS = {
    "price_min_yen": ("price_min_yen", 1), "price_max_yen": ("price_max_yen", 1),
    "price_min": ("price_min_yen", 1), "price_max": ("price_max_yen", 1),
    "price_min_man": ("price_min_yen", 10_000), "price_max_man": ("price_max_yen", 10_000),
}  # fmt: skip


def area_of(text: str) -> dict[str, str]:
    """「東京都」→ prefecture, 「田町駅」→ station, anything else (「港区」) → city."""
    name = unicodedata.normalize("NFKC", text).strip()
    if _PREFECTURE.match(name):
        return {"prefecture": name}
    if station := _STATION.match(name):
        return {"station": station.group(1)}
    return {"city": name}


def from_legacy(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """The typed conditions (as JSON) of an older free dict; None for nothing at all."""
    if not raw:
        return None
    out: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "areas" and isinstance(value, list):
            out["areas"] = [area_of(v) if isinstance(v, str) else v for v in value if v]
        elif key in _PRICE_KEYS and isinstance(value, int | float) and value >= 0:
            name, unit = _PRICE_KEYS[key]
            out[name] = int(value * unit)
        elif key in ("layouts", "kinds") and isinstance(value, list):
            mapped = [_KINDS.get(v, v) if key == "kinds" else v for v in value]
            good = [v for v in mapped if isinstance(v, str) and _fits(key, v)]
            out[key] = good
            if len(good) != len(value):
                rest[key] = value
        elif key in ("size_min_m2", "size_min") and isinstance(value, int | float) and value > 0:
            out["size_min_m2"] = float(value)
        elif key == "note" and isinstance(value, str):
            rest["note"] = value
        else:
            rest[key] = value
    try:
        typed = DesiredConditions.model_validate(out)
    except ValidationError:
        typed, rest = DesiredConditions(), raw  # nothing trustworthy: all of it as the note
    note = _note(rest)
    typed = typed.model_copy(update={"note": note})
    return typed.model_dump(mode="json", exclude_defaults=True) or None


def _fits(key: str, value: str) -> bool:
    if key == "kinds":
        return value in ("mansion", "house", "land", "rental")
    return re.match(LAYOUT_PATTERN, value) is not None


def _note(rest: dict[str, Any]) -> str | None:
    if not rest:
        return None
    if set(rest) == {"note"}:
        return str(rest["note"])[:2000]
    return ("以前の希望条件: " + json.dumps(rest, ensure_ascii=False))[:2000]
