"""A scan that fails when a player-facing string in web/ bypasses the catalogs.

Pure Python and fast. What counts as player-facing text:
- HTML (web/index.html): a text node with a word in it must sit in an element marked ``data-i18n``
  (and that element holds nothing but its text); ``aria-label``, ``title``, ``placeholder``, ``alt``
  and the description's ``content`` must be named in the element's ``data-i18n-attr``.
- JS (web/js) and Python (web/app): a string literal that reads as words (two words or more, markup
  stripped), any word between tags in markup, a word in an ``aria-label``/``title`` inside markup,
  and a literal word assigned to ``textContent`` or handed to the live region.
Ids, selectors, event names, class names and codes are single words without spaces, so they pass;
the few literals that have spaces and are not text are listed in ``ALLOWED`` with their reason.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
WORD = re.compile(r"[^\W\d_]{2,}")
WORDS = re.compile(r"[^\W\d_]{2,}[:,;.!?—)]*\s+[(“«]?[^\W\d_]{2,}")
TEXT_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
ALLOWED = {
    "Schulte",  # the brand, the same in every language
    "English",  # language names are written in their own language, whatever the page's language is
    "Русский",
    "Español",
    "Deutsch",
    "service worker not registered:",  # console messages are for developers
    "account sync:",
    "application/json",  # a MIME type
    "application/json,.json",
    "header nav button",  # a CSS selector
    "unknown screen",  # screens.js: an Error for a programming mistake, never shown
    "bar-rect slow",  # SVG class names
    "(prefers-color-scheme: dark)",  # media queries
    "(prefers-reduced-motion: reduce)",
    "your email is already verified",  # the server's answer, compared with and never shown
    "IndexedDB transaction aborted",  # an Error for the console: storage failures are logged, not shown
    "snapshot: HTTP",  # pyodide-loader.mjs: why the snapshot was skipped, for the console
    "import random; random.seed()",  # Python code the loader runs
    "import sys; sys.path.insert(1,  )",  # Python code the loader runs when it boots without the snapshot
}


def is_text(literal: str) -> bool:
    """True when ``literal`` reads as words a player would see."""
    literal = literal.strip()
    if not literal or literal in ALLOWED:
        return False
    outside_tags = re.sub(r"<[^>]*>", " ", literal)
    if "<" in literal and ">" in literal and WORD.search(outside_tags):
        return True
    attributes = re.findall(r'(?:aria-label|title)=["\']([^"\']*)["\']', literal)
    if any(WORD.search(value) for value in attributes):
        return True
    return bool(WORDS.search(outside_tags))


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.children: list[int] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.stack:
            parent_tag, parent = self.stack[-1]
            if "data-i18n" in parent:
                self.problems.append(f"<{parent_tag} data-i18n> holds a <{tag}>: its text would be replaced")
        marked = {pair.split(":")[0].strip() for pair in (attributes.get("data-i18n-attr") or "").split(";")}
        checked = [*TEXT_ATTRIBUTES, *(("content",) if attributes.get("name") == "description" else ())]
        for name in checked:
            value = attributes.get(name)
            if value and WORD.search(value) and value not in ALLOWED and name not in marked:
                self.problems.append(f'<{tag} {name}="{value}"> has no data-i18n-attr for it')
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not self.stack or not WORD.search(text) or text in ALLOWED:
            return
        tag, attributes = self.stack[-1]
        if tag in ("script", "style"):
            return
        if "data-i18n" not in attributes:
            self.problems.append(f"<{tag}> text {text!r} has no data-i18n")


def html_problems(source: str) -> list[str]:
    parser = _Html()
    parser.feed(source)
    return parser.problems


_JS_STRING = re.compile(r"""(?<![\w$])("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)""", re.S)
_JS_SINK = re.compile(
    r"""(?:textContent\s*=|setAttribute\(\s*["'](?:aria-label|title)["']\s*,|\bsay\(|\bmessage\(|"""
    r"""\bappend\()\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
)


def js_problems(source: str) -> list[str]:
    """Literals in a JS file that read as text, outside comments, imports and console calls."""
    problems = []
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    code = "\n".join(
        ""
        if line.strip().startswith(("import ", "//")) or "console." in line
        else re.sub(r"\s//\s.*$", "", line)
        for line in code.splitlines()
    )
    for match in _JS_STRING.finditer(code):
        literal = re.sub(r"\$\{[^}]*\}", " ", match.group(1)[1:-1])
        if is_text(literal):
            problems.append(literal)
    for match in _JS_SINK.finditer(code):
        literal = re.sub(r"\$\{[^}]*\}", " ", match.group(1)[1:-1])
        if WORD.search(literal) and literal.strip() not in ALLOWED:
            problems.append(literal)
    return problems


def python_problems(source: str) -> list[str]:
    """Literals in a web/app module that read as text, outside docstrings, ``t()`` and console calls."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            skipped.add(id(first.value))  # a docstring
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # an attribute docstring
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name.endswith(("console.warn", "console.error", "console.log")) or name in ("t",):
                skipped |= {id(sub) for arg in node.args for sub in ast.walk(arg)}
    problems = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            skipped |= {id(value) for value in node.values}
            literal = "".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            literal = node.value
        else:
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Attribute) and target.attr == "textContent" for target in node.targets
            ):
                value = node.value
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and WORD.search(value.value)
                ):
                    problems.append(value.value)
            continue
        if is_text(str(literal)):
            problems.append(str(literal))
    return problems


def test_the_scan_catches_text_in_each_place_it_can_hide() -> None:
    """The scan must be able to fail: one bypass of each kind is caught, and marked text passes."""
    assert html_problems('<p class="muted">No sessions yet.</p>')
    assert html_problems('<button aria-label="Close the dialog">×</button>')
    assert html_problems('<label data-i18n="x.y"><input name="a"> Text</label>')
    assert not html_problems('<p data-i18n="history.none">No sessions yet.</p><span>5×5</span>')
    assert not html_problems(
        '<b aria-label="Close" data-i18n-attr="aria-label:x.close" data-i18n="x.y">×</b>'
    )
    assert js_problems("box.textContent = `Signed in as ${name}.`;")
    assert js_problems('element.textContent = "Synced";')
    assert js_problems('button.setAttribute("aria-label", `Follow ${name}`);')
    assert js_problems('say(error.code === "X" ? "You two already have a duel." : error.message);')
    assert not js_problems('box.textContent = t("sync.synced"); list.querySelector("option[value=letters]");')
    assert python_problems('el("x").textContent = "Session deleted."')
    assert python_problems("html = f'<p class=\"muted\">{n} sessions</p>'")
    assert python_problems("html = f'<button aria-label=\"Delete {when}\">×</button>'")
    assert python_problems('announce(f"{tapped} is wrong. Find {target}.")')
    assert not python_problems('announce(t("game.wrong", tapped=tapped))\nel("a").className = "cell"')


def test_index_html_has_no_text_outside_the_catalogs() -> None:
    assert html_problems((WEB / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", sorted((WEB / "js").glob("*.*js")), ids=lambda path: path.name)
def test_js_has_no_text_outside_the_catalogs(path: Path) -> None:
    assert js_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", sorted((WEB / "app").glob("*.py")), ids=lambda path: path.name)
def test_python_has_no_text_outside_the_catalogs(path: Path) -> None:
    assert python_problems(path.read_text(encoding="utf-8")) == []
