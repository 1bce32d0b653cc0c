"""What every imported file shares: row errors by line and column, delimiter sniffing, and header-mapped rows.

Customer and purchase files differ in their columns, not in how a row is read, so reading lives here once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


def sniff_delimiter(first_line: str) -> str:
    """Tab or pipe if present (VICIdial's files), else ';' or ',' whichever the header uses more."""
    if "\t" in first_line:
        return "\t"
    if "|" in first_line:
        return "|"
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers; quotes are honoured in CSV, not in tab/pipe files."""
    source = io.StringIO(text)
    if delimiter in ",;":
        reader = csv.reader(source, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    else:
        reader = csv.reader(source, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]


def mapped_rows(
    rows: list[tuple[int, list[str]]], columns: list[str], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row as ``{column: stripped value}``; a row with the wrong number of fields becomes an error."""
    for line, row in rows:
        if len(row) != len(columns):
            errors.append(RowError(line, "*", f"expected {len(columns)} fields, found {len(row)}"))
            continue
        yield line, {name: cell.strip() for name, cell in zip(columns, row, strict=True)}
