"""ログイン and ログアウト of the web client (the session cookie), and the site's root."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.domain.throttle import TOO_MANY
from gateway.entrypoints.deps import SESSION_COOKIE, OptionalStaff, TxDep, session_token
from gateway.entrypoints.signin import TooManyAttempts, throttled_sign_in
from gateway.use_cases import accounts
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
WRONG = "メールアドレスまたはパスワードが正しくありません。"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/customers") -> Response:
    return render(request, "login.html", {"next": next, "error": None})


@router.post("/login")
async def login(
    request: Request,
    tx: TxDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/customers",
) -> Response:
    settings = request.app.state.runtime.settings
    try:
        signed = await throttled_sign_in(request, tx, email=email, password=password)
    except TooManyAttempts:
        context = {"next": next, "error": TOO_MANY, "email": email}
        return render(request, "login.html", context, 429)
    if signed is None:
        return render(request, "login.html", {"next": next, "error": WRONG, "email": email}, 401)
    target = next if next.startswith("/") and not next.startswith("//") else "/customers"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        max_age=settings.session_ttl_hours * 3600,
    )
    return response


@router.post("/logout")
async def logout(request: Request, tx: TxDep) -> Response:
    token = session_token(request)
    if token:
        await tx.run(lambda uow: accounts.sign_out(token, uow=uow))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
async def home(staff: OptionalStaff, request: Request) -> Response:
    return RedirectResponse("/customers" if staff else "/login", status_code=303)
