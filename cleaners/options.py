"""The one immutable options object passed through the cleaning stages.

Besides the limits that keep a bad page from stalling a batch, it names every extraction
rule that can be switched off (:data:`RULES`). Production cleaning runs them all; the quality
benchmark switches them off one by one to judge each rule on the evalset sources it was not
written for (``bench/quality.py``, leave-one-source-out).
"""
from __future__ import annotations

from dataclasses import dataclass

# name → what the rule does (the names are what CleanOptions.disabled takes)
RULES = {
    "chrome_tags": "nav/aside/footer/header elements count against a container",
    "chrome_tokens": "class/id tokens of page furniture (nav, footer, share, related…) count against a container",
    "positive_tokens": "class/id tokens of article containers (content, article, TRS_Editor…) help a container",
    "headline_feed": "an h1 outside the voted container moves the choice to the headline's own story",
    "second_opinion": "the densest run of link-free text overrules the vote when the headline backs it",
    "title_check": "a text that does not reflect the title gives way to the text under the headline that does",
    "title_repair": "a weak title gives way to the heading printed above the text",
    "next_story": "the text ends where another titled story begins",
    "post_cut": "a page of several timed posts keeps the first",
    "tail_markers": "相关阅读 / 上一篇 … end the text",
    "phrases": "short lines naming page furniture (分享到, ICP备, 打印本页 …) go",
    "widget_lines": "lines made only of widget labels (打印 字体 放大 …) go",
    "field_lines": "来源/作者/责编 lines move from the text into fields",
    "teasers": "an opening summary that the text repeats goes",
    "repeated_furniture": "a line with a web address repeated above and below the text goes",
    "link_lines": "link-dense lines inside the container go",
    "player_ui": "video/audio player controls, menus and messages go",
    "wiki_furniture": "infoboxes, edit prompts and vote counters of encyclopedia pages go",
    "footer_lines": "footer lines (ICP备, 公网安备, 网站标识码, 版权所有, 地址/电话) go and end the text",
    "promo_lines": "app/newsletter promotions, trackback lines and site+address info lines go",
    "statement_lines": "the site's statements about itself (本网…版权/转载, 本论坛…言论) and comment headers go",
    "no_body": "a page whose only text is furniture far from its headline is empty, not that furniture",
    "fallback": "trafilatura's extractor is asked when the block vote finds no text",
}


@dataclass(frozen=True)
class CleanOptions:
    """Limits that keep one bad page from stalling a batch, the confidence threshold, and
    the rules switched off (only the quality benchmark switches any off)."""

    max_bytes: int = 16 * 1024 * 1024   # larger inputs are cut here (and warned about)
    min_text_chars: int = 20            # fewer CJK/word characters than this → status empty
    max_fallback_chars: int = 2_000_000  # trafilatura's second opinion only on pages up to this size
    low_confidence: float = 0.7         # extraction confidence below this → a low_confidence warning
    disabled: frozenset = frozenset()   # names from RULES
    runner_up: bool = False             # benchmark only: keep the second-best region on purpose, to
                                        # measure whether the confidence notices a wrong choice

    def __post_init__(self):
        unknown = set(self.disabled) - set(RULES)
        if unknown:
            raise ValueError(f"unknown rules: {', '.join(sorted(unknown))}")

    def on(self, rule: str) -> bool:
        """Is ``rule`` (a name from RULES) switched on?

        >>> CleanOptions().on("phrases"), CleanOptions(disabled=frozenset({"phrases"})).on("phrases")
        (True, False)
        """
        return rule not in self.disabled


DEFAULT_OPTIONS = CleanOptions()
