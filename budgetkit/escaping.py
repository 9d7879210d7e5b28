"""Text from a document on a page: escaped on the way in, and checked on the way out.

Everything a document brings — manifest fields, file names, table titles and cells, narrative
sentences — is untrusted: a crafted PDF or file name must not put markup or script into a
report. Two helpers escape it, one per output language, and every page goes through them:

* :func:`escape_html` for HTML the code writes itself (``reports/index.html``);
* :func:`escape_md` for Markdown the notebooks display (``display(Markdown(...))``).

DataFrames reach the page through pandas' HTML, which escapes every cell and label.

:func:`find_active_content` is the second line: a report page budgetkit writes has no script,
no event handler and no ``javascript:`` link, so any found there came from a document, and
:func:`budgetkit.report.export_html` refuses to write the page.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

#: Markdown punctuation that could start markup (emphasis, links, images, code, tables, HTML).
MARKDOWN_SPECIALS = "\\`*_{}[]<>#|!~"


def escape_html(text: Any) -> str:
    """``text`` as HTML text or attribute value (``& < > " '`` escaped)."""
    return html.escape(str(text), quote=True)


def escape_md(text: Any) -> str:
    """``text`` for Markdown: HTML special characters escaped, Markdown punctuation backslashed.

    A title such as ``"><img src=x onerror=alert(1)>`` or ``[x](javascript:alert(1))`` shows
    as the characters it is made of.
    """
    escaped = escape_html(text)
    for char in MARKDOWN_SPECIALS:
        escaped = escaped.replace(char, "\\" + char)
    return escaped


#: Elements that run or embed something.
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset", "base", "meta"}
#: ``<meta>`` is allowed only as the page's charset / viewport declarations.
_SAFE_META = {"charset", "name", "content"}


class _ActiveContentFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag in ACTIVE_TAGS and not (tag == "meta" and names <= _SAFE_META and "http-equiv" not in names):
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= handler on <{tag}>")
            elif name in {"href", "src", "action", "formaction", "xlink:href", "data"} and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.found.append(f"{name}={value[:40]!r} on <{tag}>")

    handle_startendtag = handle_starttag


def find_active_content(page: str) -> list[str]:
    """Scripts, event handlers and script links in an HTML page (empty for a clean page).

    Args:
        page: The HTML text.

    Returns:
        One description per finding, e.g. ``"onerror= handler on <img>"``.
    """
    finder = _ActiveContentFinder()
    finder.feed(page)
    finder.close()
    return finder.found
