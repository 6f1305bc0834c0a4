"""ASGI factory for running several worker processes of this service on one port
(``uvicorn booking.entrypoints.asgi:app_factory --factory --workers N``): each worker builds
its own runtime from the environment; the database keeps them consistent."""

from fastapi import FastAPI

from booking.bootstrap import build_runtime
from booking.entrypoints.http import create_app


def app_factory() -> FastAPI:
    return create_app(build_runtime())
