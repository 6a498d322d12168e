"""Finding ASCII punctuation inside Chinese text: a full stop, comma, colon, semicolon, bracket,
exclamation or question mark next to a Chinese character (a space between them allowed), where
Chinese writes the full-width form (U+3002, U+FF0C, U+FF1A, U+FF1B, U+FF08/U+FF09, U+FF01,
U+FF1F). Chinese punctuation (book-title marks, corner brackets) counts as Chinese, so a title
mark followed by "(WCAG)" is found.

What is not prose is taken out first, as it keeps ASCII punctuation by right: HTML tags and
entities, placeholders (%(name)s, %s, {name}, {{ name }}), web and email addresses, numbers
(5.5, 22,000, 23:27), a mark quoted as itself in full-width brackets or corner brackets, file
names and extensions (scan.pdf, .jpg), initials (C. T. M.) and the telephone code (852).
"""

import re

CJK = (
    "\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff01-\uff60\U00020000-\U0003134f"
)
ASCII_MARKS = ".,:;()!?"
_NOT_PROSE = re.compile(
    r"[\uff08\u300c\u300e\u201c][^\uff09\u300d\u300f\u201d]{1,3}[\uff09\u300d\u300f\u201d]"  # 「.」
    r"|<[^>]*>"  # HTML tags
    r"|&[a-zA-Z]+;|&#[0-9]+;"  # entities
    r"|%\([^)]*\)[sdif]|%[sdif]"  # printf placeholders
    r"|\{\{.*?\}\}|\{[a-zA-Z_][a-zA-Z0-9_.]*\}"  # template and format placeholders
    r"|https?://\S+|www\.\S+"  # web addresses
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
    r"|(?:\b[\w-]+)?\.(?:pdf|jpe?g|png|gif|tiff?|html?|js|css|txt|csv)\b"  # file names
    r"|\(852\)|\+852"  # Hong Kong's telephone code, written so in Chinese too
    r"|[0-9]+(?:[.,:][0-9]+)+"  # numbers and times: 5.5, 22,000, 23:27
    r"|\b(?:e\.g|i\.e|etc|Ltd|Co|No|Mr|Ms|Dr)\."  # abbreviations
    r"|\b(?:[A-Z]\. ?)+"  # initials of a name in English: C. T. M.
)
_MIXED = re.compile(
    "([" + CJK + "])[ \u00a0]*([" + re.escape(ASCII_MARKS) + "])"
    "|([" + re.escape(ASCII_MARKS) + "])[ \u00a0]*([" + CJK + "])"
)


def prose(text: str) -> str:
    """`text` with what is not prose replaced by a space."""
    return _NOT_PROSE.sub(" ", text)


def mixed_punctuation(text: str) -> list[str]:
    """Each place in `text` where an ASCII mark touches a Chinese character, with some context."""
    cleaned = prose(text)
    found = []
    for match in _MIXED.finditer(cleaned):
        start, end = max(0, match.start() - 8), match.end() + 8
        found.append(cleaned[start:end])
    return found
