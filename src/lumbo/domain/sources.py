"""The articles lumbo's method comes from, as people should see them.

Internally (catalogue YAML ``sources``, lesson front matter, lifestyle suggestions, code
comments, docs/) an article is named by its file in ``../shared/seeds/``. Those file names
are for us: every text a person reads (pages, the handout, CLI output) names the article by
its title and author instead, through :func:`label` and :func:`where_this_comes_from`. This
module is the one place that maps one to the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The heading of the short note that says which articles a text rests on.
HEADING = "Where this comes from"


@dataclass(frozen=True)
class Source:
    """One article: its title as published and who wrote it (``author`` may be unknown)."""

    title: str
    author: str | None = None

    @property
    def label(self) -> str:
        """``"Title", by author`` (or just the quoted title when the author is unknown)."""
        quoted = f"\u201c{self.title}\u201d"
        return f"{quoted}, by {self.author}" if self.author else quoted


#: Seed file name -> the article, as a person should see it. Titles are the articles' own
#: first lines; authors as the articles present themselves.
SOURCES: dict[str, Source] = {
    "000_4e3ddc84ba866f2f.txt": Source("This is How You Get Rid of Lower Back Pain", "a personal trainer"),
    "001_398ed349542a118e.txt": Source("Steps to Relieve Lower Back Pain with Exercise and Stretching"),
    "002_e14ac49bdaa1a107.txt": Source(
        "Tips to Relieve Low Back Pain", "the trainer behind Redefining Strength"
    ),
    "003_f946f2588c8df1e8.txt": Source(
        "5 Exercises to Prevent and Alleviate Low Back Pain", "the trainer at Rise Above Performance Training"
    ),
    "004_c5e5c944d4373c86.txt": Source(
        "The exercises you need to be doing if you have lower back pain", "Dr. Daina Patel, a chiropractor"
    ),
}


def source(name: str) -> Source | None:
    """The article behind a seed file name, or None for a name lumbo does not know."""
    return SOURCES.get(name)


def label(name: str) -> str | None:
    """The article's title (and author) for a seed file name; None for an unknown name.

    Never returns the file name itself: an unknown source is better left out than shown.
    """
    found = SOURCES.get(name)
    return found.label if found is not None else None


def labels(names: Iterable[str]) -> list[str]:
    """The labels of ``names``, in order, each once; unknown names are left out."""
    shown: list[str] = []
    for name in names:
        text = label(name)
        if text is not None and text not in shown:
            shown.append(text)
    return shown


def where_this_comes_from(names: Iterable[str]) -> str | None:
    """One sentence for a "Where this comes from" note, or None when no source is known.

    >>> where_this_comes_from(["002_e14ac49bdaa1a107.txt"])
    'From the article \u201cTips to Relieve Low Back Pain\u201d, by the trainer behind Redefining Strength.'
    """
    found = labels(names)
    if not found:
        return None
    if len(found) == 1:
        return f"From the article {found[0]}."
    return f"From the articles {'; '.join(found[:-1])}; and {found[-1]}."
