"""What a recipient receives: subject, plain text and HTML with the open pixel and the
unsubscribe link, and the headers of one-click unsubscription (RFC 8058). No I/O."""

import html
from dataclasses import dataclass

from contracts.listings import PROPERTY_KIND_LABELS


@dataclass(frozen=True)
class PropertyLine:
    name: str
    kind: str | None
    price_yen: int | None
    layout: str | None
    size_m2: float | None
    place: str
    url: str | None = None  # the property's page for this recipient (its views are tracked)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def price_label(yen: int) -> str:
    """52,800,000 → 「5,280万円」; below 10,000 yen as yen."""
    if yen >= 10_000 and yen % 10_000 == 0:
        return f"{yen // 10_000:,}万円"
    return f"{yen:,}円"


def describe(p: PropertyLine) -> str:
    parts = [PROPERTY_KIND_LABELS.get(p.kind or "", ""), p.place]
    if p.price_yen is not None:
        parts.append(price_label(p.price_yen))
    if p.layout:
        parts.append(p.layout)
    if p.size_m2:
        parts.append(f"{p.size_m2:g}㎡")
    return f"{p.name}（{' / '.join(x for x in parts if x)}）"


def render(
    *,
    name: str,
    subject: str,
    body: str,
    properties: list[PropertyLine],
    pixel_url: str,
    unsubscribe_url: str,
) -> Rendered:
    lines = [describe(p) for p in properties]
    listed = [f"・{line}" + (f"\n  {p.url}" if p.url else "")
              for p, line in zip(properties, lines, strict=True)]  # fmt: skip
    text = "\n".join(
        [f"{name} 様", "", body, *(["", *listed] if listed else []),
         "", "配信停止をご希望の方はこちら:", unsubscribe_url]
    )  # fmt: skip
    items = "".join(
        f'<li><a href="{html.escape(p.url)}">{html.escape(line)}</a></li>' if p.url
        else f"<li>{html.escape(line)}</li>"
        for p, line in zip(properties, lines, strict=True)
    )  # fmt: skip
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    markup = (
        '<!DOCTYPE html><html lang="ja"><body>'
        f"<p>{html.escape(name)} 様</p>{paragraphs}"
        + (f"<ul>{items}</ul>" if items else "")
        + f'<p><a href="{html.escape(unsubscribe_url)}">配信停止</a></p>'
        f'<img src="{html.escape(pixel_url)}" width="1" height="1" alt="">'
        "</body></html>"
    )
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return Rendered(subject=subject, text=text, html=markup, headers=headers)
