"""The 8-word overlap check used on the catalogue and the lessons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbo.domain.textcheck import NgramIndex, fold_words

SOURCE = "Keep your hips high so that your body is in a straight line, please."


def test_fold_words_drops_case_punctuation_apostrophes_and_accents() -> None:
    assert fold_words("World’s BEST stretch -- don't café!") == ["worlds", "best", "stretch", "dont", "cafe"]


def test_a_copied_run_of_eight_words_is_found_despite_case_and_punctuation() -> None:
    index = NgramIndex.build([SOURCE])
    assert index.shared_runs("Tip: KEEP your hips high; so that your body is... fine") == [
        "keep your hips high so that your body is"
    ]


def test_seven_shared_words_are_allowed() -> None:
    index = NgramIndex.build([SOURCE])
    assert index.shared_runs("keep your hips high so that your elbows bend") == []


def test_overlapping_hits_are_merged_into_one_run() -> None:
    index = NgramIndex.build([SOURCE])
    copied = "so keep your hips high so that your body is in a straight line ok"
    assert index.shared_runs(copied) == ["keep your hips high so that your body is in a straight line"]


def test_two_separate_copies_are_two_runs() -> None:
    index = NgramIndex.build(["a b c d e f g h i j k l m n o p"])
    assert index.shared_runs("a b c d e f g h x i j k l m n o p") == [
        "a b c d e f g h",
        "i j k l m n o p",
    ]


def test_the_run_length_is_configurable_and_must_be_positive() -> None:
    assert NgramIndex.build(["one two three"], size=3).shared_runs("x one two three y") == ["one two three"]
    with pytest.raises(ValueError):
        NgramIndex.build(["one"], size=0)


words = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=0, max_size=30)


@given(words, words)
def test_every_reported_run_really_occurs_in_the_source(source: list[str], text: list[str]) -> None:
    index = NgramIndex.build([" ".join(source)], size=3)
    folded_source = f" {' '.join(source)} "
    for run in index.shared_runs(" ".join(text)):
        tokens = run.split()
        assert len(tokens) >= 3
        for start in range(len(tokens) - 2):
            assert f" {' '.join(tokens[start : start + 3])} " in folded_source


@given(words)
def test_a_text_always_overlaps_itself_when_long_enough(source: list[str]) -> None:
    index = NgramIndex.build([" ".join(source)], size=3)
    runs = index.shared_runs(" ".join(source))
    assert bool(runs) == (len(source) >= 3)
