"""Sign-in throttling (GW-1): failed attempts counted per account and per client address in
a moving minute. An unknown account is counted like a known one, so the answer (401, then
429) never tells whether it exists. In memory, per replica, like the public API's limits."""

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

TOO_MANY = (
    "ログインの失敗が続いたため、しばらくログインできません。1分ほど待ってから再度お試しください。"
)


class LoginThrottle:
    def __init__(self, *, per_account: int, per_address: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._account = RateLimitItemPerMinute(per_account)
        self._address = RateLimitItemPerMinute(per_address)

    def blocked(self, *, email: str, address: str) -> bool:
        return not (
            self._limiter.test(self._account, "login-account", email.strip().lower())
            and self._limiter.test(self._address, "login-address", address)
        )

    def failed(self, *, email: str, address: str) -> None:
        self._limiter.hit(self._account, "login-account", email.strip().lower())
        self._limiter.hit(self._address, "login-address", address)
