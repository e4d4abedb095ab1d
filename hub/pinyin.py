"""Pinyin of subject names for search by people who do not type Chinese (pypinyin).

A name's pinyin is kept beside it in the full-text index (graph_seed/model.toml, property
``pinyin``), written by the importer and by ``credit-hub migrate`` for nodes stored before:
the full syllables run together and their initials, e.g. 隆林集团建设有限公司 ->
"longlinjituanjiansheyouxiangongsi lljtjsyxgs". Letters and digits that are not Chinese are
kept as they are (lower case) in both.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_KEEP = re.compile(r"[^0-9a-z]")


def pinyin_terms(name: str) -> str:
    """Full pinyin and initials of ``name``, space-separated ("" when it has neither)."""
    syllables = [_KEEP.sub("", s.lower()) for s in lazy_pinyin(name, style=Style.NORMAL)]
    syllables = [s for s in syllables if s]
    if not syllables:
        return ""
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables)
    return full if full == initials else f"{full} {initials}"
