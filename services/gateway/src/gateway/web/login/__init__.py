"""ログイン・ログアウト."""

from gateway.web.login.routes import router

__all__ = ["router"]
