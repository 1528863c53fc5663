"""The small Markdown converter: the subset it renders, and that it never lets HTML through."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbo.reports.markdown import parse_blocks, safe_url, to_html, to_text

ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "a", "blockquote"}


def test_headings_paragraphs_and_lists() -> None:
    source = "# Title\n\nFirst line\nsame paragraph.\n\n## Part\n\n- one\n- two\n\n1. first\n2. second\n"
    assert to_html(source) == (
        "<h1>Title</h1>\n"
        "<p>First line same paragraph.</p>\n"
        "<h2>Part</h2>\n"
        "<ul><li>one</li><li>two</li></ul>\n"
        "<ol><li>first</li><li>second</li></ol>\n"
    )


def test_list_items_continue_on_indented_lines_and_end_at_a_blank_line() -> None:
    html = to_html("- a long\n  item\n- b\n\nAfter.\n")
    assert html == "<ul><li>a long item</li><li>b</li></ul>\n<p>After.</p>\n"


def test_a_heading_ends_a_paragraph_without_a_blank_line() -> None:
    assert to_html("Text\n## Head\nMore") == "<p>Text</p>\n<h2>Head</h2>\n<p>More</p>\n"


def test_bold_italic_and_underscores_inside_words() -> None:
    html = to_html("**strong** and *soft* and _also_ but snake_case_name and 2 * 3 * 4")
    assert html == (
        "<p><strong>strong</strong> and <em>soft</em> and <em>also</em> but snake_case_name "
        "and 2 * 3 * 4</p>\n"
    )


def test_quote_block() -> None:
    assert to_html("> Discomfort is fine.\n> Pain is not.") == (
        "<blockquote><p>Discomfort is fine. Pain is not.</p></blockquote>\n"
    )


def test_heading_offset_shifts_levels_within_h1_to_h6() -> None:
    assert to_html("# A\n\n###### B", heading_offset=1) == "<h2>A</h2>\n<h6>B</h6>\n"


def test_html_in_the_source_is_escaped() -> None:
    html = to_html('<script>alert("x")</script> & <b onmouseover=x>hi</b>\n\n- <img src=x onerror=y>')
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b onmouseover=x&gt;" in html


def test_safe_links_are_kept_with_escaped_urls() -> None:
    html = to_html('[docs](https://example.org/a?b=1&c="2") and [next](/lessons/x) and [top](#top)')
    assert '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">docs</a>' in html
    assert '<a href="/lessons/x">next</a>' in html
    assert '<a href="#top">top</a>' in html


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert", "data:text/html,hi", "vbscript:x", "//evil.example/x", "\\\\x"],
)
def test_unsafe_links_keep_only_their_text(url: str) -> None:
    html = to_html(f"[click]({url})")
    assert "<a" not in html and "href" not in html
    assert "click" in html
    assert safe_url(url) is None


def test_link_text_can_be_emphasised_but_url_underscores_are_left_alone() -> None:
    html = to_html("[**go** now](https://example.org/a_b_c)")
    assert html == '<p><a href="https://example.org/a_b_c"><strong>go</strong> now</a></p>\n'


def test_control_characters_cannot_forge_link_placeholders() -> None:
    html = to_html("\x000\x00 [a](https://x.org)")
    assert html.count("<a ") == 1
    assert "\x00" not in html


def test_to_text_drops_markup_and_wraps() -> None:
    source = "# Title\n\nSome **bold** and a [link](https://x.org) and [back](#top).\n\n- item one\n1. first"
    text = to_text(source, width=30)
    assert text.startswith("Title\n=====\n\n")
    assert "**" not in text and "[" not in text
    assert "link (https://x.org)" in text.replace("\n", " ")
    assert "back (#top)" not in text
    assert "  - item one" in text and "  1. first" in text
    assert all(len(line) <= 30 for line in text.splitlines())


def test_empty_input() -> None:
    assert to_html("") == ""
    assert to_text("\n\n") == ""
    assert parse_blocks("   \n") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'*_[]()#->:/ \nabcjsvx1.=`!\x00")), max_size=80))
def test_output_only_ever_contains_the_converters_own_tags(source: str) -> None:
    html = to_html(source)
    assert set(re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html)) <= ALLOWED_TAGS
    for href in re.findall(r'href="([^"]*)"', html):
        assert not href.lower().lstrip().startswith(("javascript", "data", "vbscript"))
    # every '<' in the output starts one of our own tags
    own_tag = re.compile(r'</?(?:' + "|".join(ALLOWED_TAGS) + r')(?: href="[^"<>]*")?>')
    assert "<" not in own_tag.sub("", html)
