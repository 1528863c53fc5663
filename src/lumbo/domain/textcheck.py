"""Catch copied text: find runs of N consecutive words shared with a reference text.

The project rule is that no text of ours may share a run of 8 or more consecutive words
with any seed article, comparing words with case and punctuation folded away. Reference
texts are turned once into a set of hashed word n-grams; checking a text is then one set
look-up per word, so the whole catalogue is checked in milliseconds.

Example::

    index = NgramIndex.build(seed_texts)
    index.shared_runs("our own sentence ...")   # [] when nothing is copied
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

RUN_LENGTH = 8

# Apostrophes vanish inside a word ("don't" -> "dont", "world's" -> "worlds"); every other
# non-alphanumeric character separates words.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, accents and punctuation removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _APOSTROPHES.sub("", plain.lower())
    return [word for word in _NON_WORD.split(plain) if word]


def _ngrams(words: list[str], size: int) -> Iterable[tuple[int, int]]:
    """(start index, hash) for every run of ``size`` words."""
    for start in range(len(words) - size + 1):
        yield start, hash(tuple(words[start : start + size]))


@dataclass(frozen=True)
class NgramIndex:
    """The hashed word runs of one or more reference texts."""

    size: int = RUN_LENGTH
    hashes: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def build(cls, texts: Iterable[str], size: int = RUN_LENGTH) -> NgramIndex:
        if size < 1:
            raise ValueError("the run length must be at least 1 word")
        hashes: set[int] = set()
        for text in texts:
            hashes.update(value for _, value in _ngrams(fold_words(text), size))
        return cls(size=size, hashes=frozenset(hashes))

    def shared_runs(self, text: str) -> list[str]:
        """Every run of ``size`` or more words of ``text`` whose every ``size``-word window
        occurs in a reference text.

        Hits that start on consecutive words are merged, so one copied passage is reported
        once, in full, rather than as many overlapping windows.
        """
        words = fold_words(text)
        hits = [start for start, value in _ngrams(words, self.size) if value in self.hashes]
        runs: list[str] = []
        first = previous = -2
        for start in hits:
            if start != previous + 1:
                if previous >= 0:
                    runs.append(" ".join(words[first : previous + self.size]))
                first = start
            previous = start
        if previous >= 0:
            runs.append(" ".join(words[first : previous + self.size]))
        return runs
