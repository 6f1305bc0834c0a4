"""``python -m orders``: this service alone (multi-process mode)."""

from kit.serve import serve

from orders.bootstrap import build_runtime
from orders.entrypoints.http import create_app

if __name__ == "__main__":
    runtime = build_runtime()
    serve(create_app(runtime), host=runtime.settings.host, port=runtime.settings.port)
