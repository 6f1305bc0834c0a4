"""帳票 (ORD-6 in the web client): the reports of the orders service's reporting model, each a
page with a chart, a table and its CSV; 管理者のみ."""

from gateway.web.reports.pages import router

__all__ = ["router"]
