"""アカウント: アカウント一覧 (admin), マイアカウント, the header's store switcher, and the
pages of the mailed links (invitation, password reset), reached without a session."""

from gateway.web.accounts.routes import router

__all__ = ["router"]
