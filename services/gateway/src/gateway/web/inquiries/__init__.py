"""反響: the inquiry list with its search and CSV, and registration from another medium."""

from gateway.web.inquiries.pages import router

__all__ = ["router"]
