"""BibTeX: the list's papers written as entries, and ``.bib`` files read for ``import``.

Keys are stable across runs: they come from the entry's content (short name, else the first
significant word of the title, then the year), never from its position; two papers that
would share a key both get a suffix derived from their paper id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from readme_tools.identity import FUNCTION_WORDS
from readme_tools.listdata.records import EntryRecord, paper_url, unique_papers

__all__ = [
    "BibEntry",
    "BibError",
    "bibtex_keys",
    "entry_type",
    "latex_to_text",
    "parse_bibtex",
    "to_bibtex",
]

JOURNALS = frozenset(
    [
        "TPAMI",
        "IJCV",
        "TIP",
        "TMM",
        "TCSVT",
        "JMLR",
        "TMLR",
        "TACL",
        "Nature",
        "Science",
        "PNAS",
        "TOG",
        "RA-L",
    ]
)
_SKIP_WORDS = FUNCTION_WORDS | frozenset(["via", "and", "or", "by", "at", "as"])


def entry_type(record: EntryRecord) -> str:
    """``inproceedings`` for a conference, ``article`` for a journal, else ``misc``."""
    name = record.venue_name
    if name is None or name == "arXiv":
        return "misc" if (name == "arXiv" or not record.venue) else "inproceedings"
    return "article" if name in JOURNALS else "inproceedings"


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _base_key(record: EntryRecord) -> str:
    stem = _ascii_word(record.name) if record.name else ""
    if not stem and record.title:
        words = [_ascii_word(w) for w in record.title.split()]
        significant = [w for w in words if w and w not in _SKIP_WORDS]
        stem = significant[0] if significant else next((w for w in words if w), "")
    stem = stem or "paper"
    if stem[0].isdigit():
        stem = "p" + stem
    return f"{stem}{record.year if record.year is not None else ''}"


def bibtex_keys(papers: Sequence[EntryRecord]) -> list[str]:
    """One key per paper: the base key, or base key + ``-`` + 4 hex digits of the paper's
    identity when two papers share a base key."""
    bases = [_base_key(p) for p in papers]
    counts = Counter(bases)
    out = []
    for base, paper in zip(bases, papers, strict=True):
        if counts[base] > 1:
            digest = hashlib.sha1(paper.key.encode("utf-8")).hexdigest()[:4]
            out.append(f"{base}-{digest}")
        else:
            out.append(base)
    return out


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def _title_field(record: EntryRecord) -> str:
    title = _latex(record.title or "")
    if record.name:  # a short name keeps its capitals
        name = "{" + _latex(record.name) + "}"
        return f"{name}: {title}" if title else name
    return title or _latex(record.key)


def _fields(record: EntryRecord) -> list[tuple[str, str]]:
    kind = entry_type(record)
    fields = [("title", "{" + _title_field(record) + "}")]
    venue = record.venue_name or record.venue
    if kind == "inproceedings" and venue:
        fields.append(("booktitle", "{" + _latex(venue) + "}"))
    elif kind == "article" and venue:
        fields.append(("journal", "{" + _latex(venue) + "}"))
    if record.year is not None:
        fields.append(("year", "{" + str(record.year) + "}"))
    ids = {i.kind: i.value for i in reversed(record.ids)}
    if "arxiv" in ids:
        fields += [("eprint", "{" + ids["arxiv"] + "}"), ("archiveprefix", "{arXiv}")]
    if "doi" in ids:
        fields.append(("doi", "{" + ids["doi"] + "}"))
    url = paper_url(record)
    if url:
        fields.append(("url", "{" + url + "}"))
    qualifiers = _qualifiers(record)
    if qualifiers:
        fields.append(("note", "{" + _latex(qualifiers) + "}"))
    return fields


def _qualifiers(record: EntryRecord) -> str:
    if not record.venue or not record.venue_name:
        return ""
    from readme_tools.venues import parse_venue, vocabulary

    tag = parse_venue(record.venue, vocabulary())
    return " ".join(tag.qualifiers) if tag is not None else ""


def to_bibtex(entries: Sequence[EntryRecord]) -> str:
    """Every paper once, in list order."""
    papers = unique_papers(entries)
    chunks = []
    for key, record in zip(bibtex_keys(papers), papers, strict=True):
        body = ",\n".join(f"  {name} = {value}" for name, value in _fields(record))
        chunks.append(f"@{entry_type(record)}{{{key},\n{body},\n}}\n")
    return "\n".join(chunks)


# ----------------------------------------------------------------------------- reading


class BibError(ValueError):
    """The text is not BibTeX this reader understands (the message says where)."""


@dataclass
class BibEntry:
    type: str  # lower case: "article", "inproceedings", …
    key: str
    fields: dict[str, str] = field(default_factory=dict)  # lower-case names, raw values
    line: int = 0


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _braced(text: str, pos: int, close: str) -> tuple[str, int]:
    """The text from ``pos`` (just after the opening delimiter) to its balanced ``close``."""
    depth = 0
    start = pos
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and close == "}":
                return text[start:pos], pos + 1
            depth -= 1
        elif char == close and depth == 0:
            return text[start:pos], pos + 1
        pos += 1
    raise BibError(f"line {_line_of(text, start)}: unbalanced braces or quotes")


_WORD_RE = re.compile(r"\s*([A-Za-z][\w:\-.+/]*)\s*")


def _value(text: str, pos: int, strings: dict[str, str]) -> tuple[str, int]:
    """A field value: ``{…}``, ``"…"``, a number or a @string name, joined by ``#``."""
    parts: list[str] = []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            raise BibError("unexpected end of file in a field value")
        char = text[pos]
        if char == "{":
            value, pos = _braced(text, pos + 1, "}")
        elif char == '"':
            value, pos = _braced(text, pos + 1, '"')
        else:
            match = re.compile(r"[\w\-.:/+]+").match(text, pos)
            if match is None:
                raise BibError(f"line {_line_of(text, pos)}: expected a field value")
            word = match.group(0)
            value = strings.get(word.lower(), word)
            pos = match.end()
        parts.append(value)
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos < len(text) and text[pos] == "#":
            pos += 1
            continue
        return "".join(parts), pos


def _fields_of(text: str, pos: int, end_char: str, strings: dict[str, str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    while True:
        while pos < len(text) and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        if pos < len(text) and text[pos] == end_char:
            return fields
        match = _WORD_RE.match(text, pos)
        if match is None or text[match.end() : match.end() + 1] != "=":
            raise BibError(f"line {_line_of(text, pos)}: expected NAME = VALUE")
        value, pos = _value(text, match.end() + 1, strings)
        fields[match.group(1).lower()] = value


def parse_bibtex(text: str) -> Iterator[BibEntry]:
    """The entries of a ``.bib`` file (``@string`` abbreviations expanded; ``@comment`` and
    ``@preamble`` skipped; text outside entries ignored, as BibTeX does)."""
    strings: dict[str, str] = {}
    pos = 0
    while True:
        at = text.find("@", pos)
        if at < 0:
            return
        match = re.compile(r"@\s*([A-Za-z]+)\s*([{(])").match(text, at)
        if match is None:
            pos = at + 1
            continue
        kind = match.group(1).lower()
        close = "}" if match.group(2) == "{" else ")"
        body_start = match.end()
        if kind in ("comment", "preamble"):
            _, pos = _braced(text, body_start, close)
            continue
        if kind == "string":
            body, pos = _braced(text, body_start, close)
            strings.update({k: v for k, v in _fields_of(body + close, 0, close, strings).items()})
            continue
        key_end = text.find(",", body_start)
        if key_end < 0:
            raise BibError(f"line {_line_of(text, at)}: entry without a key")
        key = text[body_start:key_end].strip()
        body, pos = _braced(text, body_start, close)
        fields = _fields_of(body + close, key_end + 1 - body_start, close, strings)
        yield BibEntry(kind, key, fields, _line_of(text, at))


_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303"}
_ACCENTS.update({"c": "\u0327", "v": "\u030c", "u": "\u0306", "=": "\u0304", ".": "\u0307"})


def latex_to_text(value: str) -> str:
    """A BibTeX value as plain text: accents composed, escapes and braces dropped."""

    def accent(match: re.Match[str]) -> str:
        mark = _ACCENTS.get(match.group(1))
        letter = match.group(2)
        return unicodedata.normalize("NFC", letter + mark) if mark else letter

    text = re.sub(r"\\([`'^\"~=.]|[cvu](?=[\s{]))\s*\{?\s*([A-Za-z])\}?", accent, value)
    text = re.sub(r"\\(?:textbackslash)\{\}", r"\\", text)
    text = re.sub(r"\\text(?:asciitilde|asciicircum)\{\}", "", text)
    text = re.sub(r"\\([&%$#_{}])", r"\1", text)
    text = re.sub(r"\\[A-Za-z]+\s*", "", text)
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    text = text.replace("---", "—").replace("--", "–")
    return " ".join(text.split())
