"""Downloads streamed from a service through the gateway: the body is passed on as it
arrives (a large export is never held here); a refusal is relayed as it came."""

import httpx
from fastapi import Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask


async def relay_download(upstream: httpx.Response) -> Response:
    if upstream.status_code != 200:
        return await relay_refusal(upstream)
    headers = {"content-disposition": upstream.headers.get("content-disposition", "attachment")}
    return StreamingResponse(
        upstream.aiter_raw(),
        media_type=upstream.headers.get("content-type", "text/csv; charset=utf-8"),
        headers=headers,
        background=BackgroundTask(upstream.aclose),
    )


async def relay_refusal(upstream: httpx.Response) -> Response:
    await upstream.aread()
    await upstream.aclose()
    return Response(
        content=upstream.content,
        status_code=upstream.status_code,
        media_type=upstream.headers.get("content-type", "application/json"),
    )
