"""The message catalogs (web/i18n/*.json): every language has every message, with the same placeholders.

Pure Python and fast: the ICU MessageFormat of each message is parsed here (arguments, their types,
plural and select branches), so a translation that drops a ``{name}`` or turns a plural into plain
text fails before any browser starts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import core

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "web" / "i18n"
LANGUAGES = ("en", "ru", "es", "de")
PLURAL_KEYS = {"zero", "one", "two", "few", "many", "other"}


def catalog(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
    return data


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced braces in {text!r}")


def arguments(message: str) -> set[tuple[str, str]]:
    """Each ICU argument of ``message`` as (name, type), branches included: ``{("count", "plural")}``."""
    found: set[tuple[str, str]] = set()
    index = 0
    while (start := message.find("{", index)) != -1:
        end = _closing(message, start)
        name, _, rest = message[start + 1 : end].partition(",")
        kind, _, options = rest.partition(",")
        kind = kind.strip() or "text"
        found.add((name.strip(), kind))
        if kind in ("plural", "select", "selectordinal"):
            keys = set()
            cursor = 0
            while (open_at := options.find("{", cursor)) != -1:
                keys.add(options[cursor:open_at].strip())
                close_at = _closing(options, open_at)
                found |= arguments(options[open_at + 1 : close_at])
                cursor = close_at + 1
            assert "other" in keys, f"{kind} without an other branch: {message!r}"
            if kind == "plural":
                assert keys <= PLURAL_KEYS | {k for k in keys if k.startswith("=")}, message
        index = end + 1
    return found


def test_the_parser_reads_plurals_selects_and_formats() -> None:
    message = "{count, plural, one {# game} other {# games in {board}}}; {t, number, ::.000} s"
    assert arguments(message) == {("count", "plural"), ("board", "text"), ("t", "number")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_sorted_flat_and_complete(language: str) -> None:
    """Keys sorted (so that merges of new strings are easy), values strings, the same ids as English."""
    messages = catalog(language)
    assert list(messages) == sorted(messages)
    assert all(isinstance(value, str) and value.strip() for value in messages.values())
    assert set(messages) == set(catalog("en"))


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_translation_keeps_the_placeholders_of_english(language: str) -> None:
    english, translated = catalog("en"), catalog(language)
    wrong = {
        key: (arguments(english[key]), arguments(translated[key]))
        for key in english
        if arguments(english[key]) != arguments(translated[key])
    }
    assert not wrong


def test_russian_plurals_have_the_few_and_many_forms() -> None:
    """ "1 игра", "2 игры", "5 игр": a Russian plural needs one, few and many, not just one and other."""
    for key, message in catalog("ru").items():
        for match in re.finditer(r"\{\s*\w+\s*,\s*plural\s*,", message):
            branches = message[match.end() :]
            if "=0" in branches.split("{")[0]:
                continue  # "{n, plural, =0 {} other {...}}": only says whether there are any
            assert all(f"{form} {{" in branches for form in ("one", "few", "many")), key


def test_every_reason_code_of_core_has_a_message() -> None:
    """Verdict reasons reach the player through the catalogs, never as the server's English text."""
    assert {f"reasons.{code}" for code in core.REASON_CODES} <= set(catalog("en"))


LITERAL_ID = re.compile(r"""\b(?:t\(|show\([^,]*,)\s*["']([a-z]+\.[A-Za-z_.]+)["']\s*[,)]""")


def _used_ids() -> set[str]:
    """Message ids the code names literally: ``t("id"`` (JS and Python), ``data-i18n``, ``data-i18n-attr``."""
    ids: set[str] = set()
    for path in [*(ROOT / "web" / "js").glob("*.js"), *(ROOT / "web" / "app").glob("*.py")]:
        ids |= set(LITERAL_ID.findall(path.read_text(encoding="utf-8")))
    html = (ROOT / "web" / "index.html").read_text(encoding="utf-8")
    ids |= set(re.findall(r'data-i18n="([^"]+)"', html))
    for pairs in re.findall(r'data-i18n-attr="([^"]+)"', html):
        ids |= {pair.split(":")[1].strip() for pair in pairs.split(";")}
    return ids


def test_every_id_the_code_names_is_in_the_catalog() -> None:
    used = _used_ids()
    assert len(used) > 200  # the scan itself found the ids
    assert used - set(catalog("en")) == set()


def test_the_manifest_names_the_app_in_every_language_as_the_catalogs_do() -> None:
    """``name_localized``/``description_localized`` (manifest incubations) repeat the catalogs' title."""
    manifest = json.loads((ROOT / "pwa" / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["lang"], manifest["name"]) == ("en", catalog("en")["app.title"])
    assert manifest["description"] == catalog("en")["app.description"]
    for language in LANGUAGES[1:]:
        assert manifest["name_localized"][language] == catalog(language)["app.title"]
        assert manifest["description_localized"][language] == catalog(language)["app.description"]
