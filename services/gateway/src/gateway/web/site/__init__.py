"""予約サイト: the salon's public booking site under /r/{tenant}/{store_code}/ — its own
phone-first frame (``site_base.html``), no staff navigation, no staff session. ``pages``:
menus, staff, times, booking; ``account``: registration, sign-in, my reservations. Fixed
paths (/slots, /book, /login, /my …) are all one segment under the store, so the two
modules' order does not matter."""

from fastapi import APIRouter

from gateway.web.site import account, pages

router = APIRouter(include_in_schema=False)
for module in (pages, account):
    router.include_router(module.router)
