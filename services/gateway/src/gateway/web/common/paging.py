"""ページ送り: the 「1〜20件 / 135件中」 line and the 前へ/次へ links of a list
(``_pager.html``), the current search kept in the links. An empty result shows no count
line (never 「0〜0件 / 0件中」) but the list's own message of what to do next."""

from urllib.parse import urlencode


def pager(path: str, query: dict[str, str], *, page: int, per_page: int, total: int) -> dict:
    last = min(page * per_page, total)

    def url(to: int) -> str:
        return f"{path}?{urlencode({**{k: v for k, v in query.items() if v}, 'page': to})}"

    return {
        "page": page,
        "first": (page - 1) * per_page + 1 if total else 0,
        "last": last,
        "prev_url": url(page - 1) if page > 1 else None,
        "next_url": url(page + 1) if last < total else None,
    }
