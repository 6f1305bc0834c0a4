"""CSV downloads that Japanese Excel opens as they are meant: UTF-8 with a BOM (without it
Excel reads Shift_JIS and garbles every Japanese cell), CRLF line ends, streamed in chunks
so that no export is held in memory. Two cell rules come with it:

- a cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading
  ``'``, so that text typed by a portal user or a customer cannot run as a formula in the
  spreadsheet of the staff who open the file (CSV injection);
- a :class:`Text` of digits with a leading zero (or longer than Excel keeps exactly) is
  written as ``="0123"``, so that codes keep their zeros (Excel would make 0123 the
  number 123).
"""

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from datetime import date, datetime

UTF8_BOM = "\ufeff"
CHUNK_BYTES = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EXACT_DIGITS = 11  # Excel shows longer numbers rounded or as 1.2E+11


class Text(str):
    """A code to be shown exactly as written (customer numbers, phone numbers)."""


def cell(value: object) -> str:
    """One value as the spreadsheet should show it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        raise TypeError("format dates before writing them (e.g. 2026/11/25)")
    text = str(value)
    if (
        isinstance(value, Text)
        and text.isdigit()
        and (text.startswith("0") or len(text) > _EXACT_DIGITS)
    ):
        return f'="{text}"'
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


async def excel_csv(
    header: Sequence[str], rows: AsyncIterable[Sequence[object]]
) -> AsyncIterator[bytes]:
    """The header, then every row, as chunks of about :data:`CHUNK_BYTES`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(UTF8_BOM)
    writer.writerow(header)
    async for row in rows:
        writer.writerow([cell(v) for v in row])
        if buffer.tell() > CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
