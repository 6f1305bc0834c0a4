"""The public links in the leads service's mails (LEAD-1, LEAD-6), relayed without a session:
the open pixel, the property's page (WEB販売図面, rendered here from the listing leads keeps)
and its view beacon, and the unsubscribe page. The token in the
path is the credential; the leads service verifies it, judges the hit and keeps what it
needs (docs/leads.md). The gateway passes the reader's address (the peer, or behind a
trusted proxy the address it forwards) as the one ``X-Forwarded-For`` entry and the user
agent as it came, and answers what leads answers; when leads cannot be reached, a pixel and
a beacon still get their usual answer (a mail client never waits on us) and the
unsubscribe page says so in Japanese."""

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from kit.http import NO_STORE, TRANSPARENT_GIF

from gateway.clients.transport import ServiceUnavailable
from gateway.domain.client_address import client_address
from gateway.entrypoints.deps import ServicesDep
from gateway.entrypoints.streaming import relayed
from gateway.web.common.templating import render

router = APIRouter(prefix="/t", include_in_schema=False)
MAX_BEACON_BYTES = 2_048  # what leads reads; a larger body is not passed on
# A mail's reader is no member of staff: plain pages, not the staff client's frame.
_PLAIN = """<!doctype html><html lang="ja"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<p>{text}</p></html>"""
UNSUBSCRIBE_LATER = _PLAIN.format(
    title="メール配信の停止",
    text="ただいま配信停止の手続きができません。しばらくしてから再度お試しください。",
)
PAGE_LATER = _PLAIN.format(
    title="物件のご案内",
    text="ただいま物件情報を表示できません。しばらくしてから再度お試しください。",
)
PAGE_GONE = _PLAIN.format(
    title="物件のご案内",
    text="このページは表示できません。リンクの期限が切れたか、物件の掲載が終了しました。",
)


async def _forward(request: Request, services: ServicesDep, path: str, body: bytes = b"") -> Response | None:  # fmt: skip
    address = client_address(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        trusted=request.app.state.runtime.settings.trusted_proxies,
    )
    headers = {"x-forwarded-for": address, "user-agent": request.headers.get("user-agent", "")}
    try:
        answer = await services.forward(
            "leads", request.method, path, headers=headers, content=body
        )
    except ServiceUnavailable:
        return None
    return relayed(answer) if answer.status_code < 500 else None


@router.api_route("/o/{token}.gif", methods=["GET", "HEAD"])
async def open_pixel(token: str, request: Request, services: ServicesDep) -> Response:
    answered = await _forward(request, services, f"/track/open/{quote(token, safe='')}.gif")
    return answered or Response(TRANSPARENT_GIF, media_type="image/gif", headers=NO_STORE)


@router.post("/v/{token}")
async def view_beacon(token: str, request: Request, services: ServicesDep) -> Response:
    body = await request.body()
    answered = None
    if len(body) <= MAX_BEACON_BYTES:
        path = f"/track/view/{quote(token, safe='')}"
        answered = await _forward(request, services, path, body)
    return answered or Response(status_code=204, headers=NO_STORE)


@router.get("/p/{token}/{property_id}")
async def property_page(
    token: str, property_id: str, request: Request, services: ServicesDep
) -> Response:
    """The property a proposal mail named, for its reader: the facts, a like button, and a
    beacon (static/beacon.js) that posts the time spent on the page to /t/v/{token}."""
    path = f"/track/page/{quote(token, safe='')}/{quote(property_id, safe='')}"
    try:
        answer = await services.forward("leads", "GET", path, headers={}, content=b"")
    except ServiceUnavailable:
        return HTMLResponse(PAGE_LATER, status_code=503)
    if answer.status_code != 200:
        return HTMLResponse(PAGE_GONE, status_code=404)
    listing = answer.json()
    context = {
        "listing": listing,
        "token": token,
        "code": listing["code"] or listing["property_id"],
    }
    return render(request, "lead_property_page.html", context)


@router.api_route("/u/{token}", methods=["GET", "POST"])
async def unsubscribe(token: str, request: Request, services: ServicesDep) -> Response:
    """GET shows the confirmation page, POST (its button, or the mail client's one-click
    List-Unsubscribe-Post) unsubscribes; both are leads' pages."""
    answered = await _forward(request, services, f"/unsubscribe/{quote(token, safe='')}")
    return answered or HTMLResponse(UNSUBSCRIBE_LATER, status_code=503)
