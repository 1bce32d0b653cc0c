"""Texts that exist in several languages (the playbook ships English and Russian side by side).

A text is written in YAML either as a plain string or as a mapping ``{en: ..., ru: ...}``; it is kept as a mapping
from language code to string, and shown in the operator's language with a fallback, never as an empty string.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

DEFAULT_LANGUAGE = "en"


def _to_text(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("text must not be empty")
        return {DEFAULT_LANGUAGE: value}
    if isinstance(value, dict):
        if not value:
            raise ValueError("text must not be empty")
        out: dict[str, str] = {}
        for lang, text in value.items():
            if not isinstance(lang, str) or not (2 <= len(lang) <= 5):
                raise ValueError(f"expected a language code like 'en' or 'ru', got {lang!r}")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text for language {lang!r} must be a non-empty string")
            out[lang] = text
        return out
    raise ValueError("expected a text, or a mapping of language to text like {en: Hello, ru: Привет}")


Text = Annotated[dict[str, str], BeforeValidator(_to_text)]
"""A localised text: language code -> string, at least one entry."""


def localize(text: dict[str, str] | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The text in ``language``, else English, else the first one given; '' for no text."""
    if not text:
        return ""
    return text.get(language) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()))
