"""The baseline: a bare FastAPI endpoint that parses the same JSON and does one INSERT."""

import json
import os
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request, Response

DSN = os.environ["BASELINE_DSN"]


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    app.state.pool = await asyncpg.create_pool(DSN, min_size=5, max_size=5)
    async with app.state.pool.acquire() as conn:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS inquiries (id bigserial PRIMARY KEY, body jsonb NOT NULL)"
        )
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/inquiries", status_code=202)
async def inquiries(request: Request) -> Response:
    body = json.loads(await request.body())
    async with app.state.pool.acquire() as conn:
        await conn.execute("INSERT INTO inquiries (body) VALUES ($1)", json.dumps(body))
    return Response(status_code=202)
