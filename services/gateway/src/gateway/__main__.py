"""``python -m gateway``: this service alone (multi-process mode)."""

from kit.serve import serve

from gateway.bootstrap import build_runtime
from gateway.entrypoints.http import create_app

if __name__ == "__main__":
    runtime = build_runtime()
    serve(create_app(runtime), host=runtime.settings.host, port=runtime.settings.port)
