"""FAQ search (CUS-12) while the phone rings: a few words in kana or kanji. Text is put in
search form (kit: NFKC, hiragana → katakana, no spaces, lower case) and cut into character
bigrams, which a GIN index on a plain text[] finds (no extension: the embedded PostgreSQL has
no pg_trgm); the words are then checked as substrings. Kana and kanji are different
characters: an entry is found by a reading when its 読み・キーワード hold it."""

import re

from kit.japanese import search_text

from customer.domain.errors import FaqError

MIN_QUERY = 2  # characters of search form; one character would match half the FAQ
MAX_QUERY = 100
MAX_WORDS = 5
RESULT_LIMIT = 20
_WORDS = re.compile(r"[\s\u3000]+")


def entry_text(*, question: str, answer: str, keywords: str) -> str:
    return search_text(" ".join((question, keywords, answer)))


def bigrams(text: str) -> list[str]:
    """The distinct bigrams of a search-form text (a one-character text is its own gram)."""
    if len(text) < 2:
        return [text] if text else []
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def query_words(q: str) -> list[str]:
    """The query's words in search form; a query too short to mean anything is refused."""
    if len(q) > MAX_QUERY:
        raise FaqError(f"検索語は{MAX_QUERY}文字以内で入力してください。", field="q")
    words = [search_text(w) for w in _WORDS.split(q) if w]
    words = [w for w in words if w][:MAX_WORDS]
    if sum(len(w) for w in words) < MIN_QUERY or all(len(w) < MIN_QUERY for w in words):
        raise FaqError(
            "検索語は2文字以上で入力してください（例: けんこう、返品）。",
            field="q",
            code="query_too_short",
        )
    return words


def check_entry(*, question: str, answer: str, keywords: str) -> tuple[str, str, str]:
    errors = []
    q, a, k = question.strip(), answer.strip(), keywords.strip()
    if not q:
        errors.append(("question", "質問（見出し）を入力してください。"))
    elif len(q) > 200:
        errors.append(("question", "質問（見出し）は200文字以内で入力してください。"))
    if not a:
        errors.append(("answer", "回答を入力してください。"))
    elif len(a) > 4000:
        errors.append(("answer", "回答は4000文字以内で入力してください。"))
    if len(k) > 200:
        errors.append(("keywords", "読み・キーワードは200文字以内で入力してください。"))
    if errors:
        field, message = errors[0]
        raise FaqError(message, field=field,
                       errors=[{"code": "invalid", "message": m, "field": f} for f, m in errors])  # fmt: skip
    return q, a, k
