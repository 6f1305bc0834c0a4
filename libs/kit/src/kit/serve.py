"""Run one ASGI app with uvicorn (multi-process mode and containers)."""

import uvicorn
from fastapi import FastAPI

from kit.logging import configure_logging
from kit.settings import CommonSettings


def serve(app: FastAPI, *, host: str, port: int) -> None:
    common = CommonSettings()
    configure_logging(level=common.log_level, fmt=common.log_format)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
