"""A service's answer passed on as it came: buffered (``relayed``), or a download streamed
as it arrives (a large export is never held here), a refusal then relayed as it came."""

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
    return relayed(upstream)


def relayed(answer: httpx.Response) -> Response:
    """Status, body, content type and a download's file name, as the service gave them."""
    headers = {}
    if "content-disposition" in answer.headers:
        headers["content-disposition"] = answer.headers["content-disposition"]
    return Response(
        content=answer.content,
        status_code=answer.status_code,
        media_type=answer.headers.get("content-type", "application/json"),
        headers=headers,
    )
