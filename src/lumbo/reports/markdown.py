"""A tiny, safe Markdown converter for the subset lumbo's lessons use.

Supported: ATX headings (``#`` to ``######``), paragraphs, unordered (``-``/``*``) and
ordered (``1.``) lists with indented continuation lines, block quotes (``>``), ``**bold**``,
``*italic*``/``_italic_`` and ``[text](url)`` links. Nothing else is interpreted: every
other character, including any HTML in the source, is escaped, so the output is safe to put
in a page. Links keep only http(s), mailto, and relative or fragment URLs; any other scheme
(``javascript:``, ``data:``) is dropped and the link text is shown plainly.

``to_html`` renders for the web and the handout; ``to_text`` renders readable plain text
for the terminal.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,9}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*([^()\s]+)\s*\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_SCHEME = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Block:
    """One block of a document: a heading, paragraph, list or quote."""

    kind: str  # "heading" | "paragraph" | "ul" | "ol" | "quote"
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)


def parse_blocks(source: str) -> list[Block]:
    """Split Markdown source into blocks (inline markup is left as it is)."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in _CONTROL.sub("", source).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        heading = _HEADING.match(stripped)
        bullet = _BULLET.match(stripped)
        item = bullet or _NUMBERED.match(stripped)
        quote = _QUOTE.match(stripped)
        in_list = current is not None and current.kind in ("ul", "ol")
        if heading:
            blocks.append(Block("heading", text=heading.group(2), level=len(heading.group(1))))
            current = None
        elif current is not None and in_list and raw[:1] in (" ", "\t") and not item:
            current.items[-1] += " " + stripped  # an indented continuation line
        elif item:
            kind = "ul" if bullet else "ol"
            if current is None or current.kind != kind:
                current = Block(kind)
                blocks.append(current)
            current.items.append(item.group(1))
        elif quote:
            if current is None or current.kind != "quote":
                current = Block("quote")
                blocks.append(current)
            current.text = f"{current.text} {quote.group(1)}".strip()
        elif current is not None and current.kind in ("paragraph", "quote"):
            current.text += " " + stripped
        elif current is not None and current.kind in ("ul", "ol"):
            current.items[-1] += " " + stripped
        else:
            current = Block("paragraph", text=stripped)
            blocks.append(current)
    return blocks


def safe_url(url: str) -> str | None:
    """The URL if it is safe to link to (http, https, mailto, relative), else None."""
    if _SAFE_SCHEME.match(url):
        return url
    if _ANY_SCHEME.match(url) or url.startswith("//") or "\\" in url:
        return None
    return url


def inline_html(text: str) -> str:
    """Escape ``text`` and render its bold, italic and link markup as HTML."""
    links: list[str] = []

    def link(match: re.Match[str]) -> str:
        label = _emphasis_html(html.escape(match.group(1), quote=True))
        url = safe_url(match.group(2))
        if url is None:
            links.append(label)
        else:
            links.append(f'<a href="{html.escape(url, quote=True)}">{label}</a>')
        return f"\x00{len(links) - 1}\x00"

    with_placeholders = _LINK.sub(link, _CONTROL.sub("", text))
    rendered = _emphasis_html(html.escape(with_placeholders, quote=True))
    return re.sub(r"\x00(\d+)\x00", lambda match: links[int(match.group(1))], rendered)


def _emphasis_html(escaped: str) -> str:
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC_STAR.sub(r"<em>\1</em>", escaped)
    return _ITALIC_UNDERSCORE.sub(r"<em>\1</em>", escaped)


def to_html(source: str, heading_offset: int = 0) -> str:
    """Render Markdown as safe HTML; ``heading_offset`` shifts heading levels (max h6)."""
    parts: list[str] = []
    for block in parse_blocks(source):
        if block.kind == "heading":
            level = min(6, max(1, block.level + heading_offset))
            parts.append(f"<h{level}>{inline_html(block.text)}</h{level}>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{inline_html(item)}</li>" for item in block.items)
            parts.append(f"<{block.kind}>{items}</{block.kind}>")
        elif block.kind == "quote":
            parts.append(f"<blockquote><p>{inline_html(block.text)}</p></blockquote>")
        else:
            parts.append(f"<p>{inline_html(block.text)}</p>")
    return "\n".join(parts) + ("\n" if parts else "")


def inline_text(text: str) -> str:
    """Plain text of inline markup: emphasis markers dropped, links as ``label (url)``."""

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return label if safe_url(url) is None or url.startswith("#") else f"{label} ({url})"

    text = _LINK.sub(link, text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC_STAR.sub(r"\1", text)
    return _ITALIC_UNDERSCORE.sub(r"\1", text)


def to_text(source: str, width: int = 78) -> str:
    """Render Markdown as wrapped plain text for a terminal."""
    parts: list[str] = []
    for block in parse_blocks(source):
        if block.kind == "heading":
            title = inline_text(block.text)
            underline = "=" if block.level == 1 else "-"
            parts.append(f"{title}\n{underline * len(title)}")
        elif block.kind in ("ul", "ol"):
            lines = []
            for number, item in enumerate(block.items, start=1):
                marker = "-" if block.kind == "ul" else f"{number}."
                lines.append(
                    textwrap.fill(
                        inline_text(item),
                        width=width,
                        initial_indent=f"  {marker} ",
                        subsequent_indent=" " * (len(marker) + 3),
                    )
                )
            parts.append("\n".join(lines))
        elif block.kind == "quote":
            text = inline_text(block.text)
            parts.append(
                textwrap.fill(text, width=width, initial_indent="  | ", subsequent_indent="  | ")
            )
        else:
            parts.append(textwrap.fill(inline_text(block.text), width=width))
    return "\n\n".join(parts) + ("\n" if parts else "")
