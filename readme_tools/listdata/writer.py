"""Writing a paper the way a section writes its entries (a :class:`~.house.Template`).

:func:`render_entry` fills a neighbour's pieces with the paper's values: a slot the paper
has no value for is left out together with the separator before it (a list item) or becomes
the column's placeholder (a table row); links the neighbour lacks but the paper has (code,
a project page) follow the last link with the document's usual label.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from readme_tools.identifiers import identify
from readme_tools.listdata.badges import encode_shield, shield
from readme_tools.listdata.house import House, Piece, Template
from readme_tools.listdata.paper import Paper, Venue
from readme_tools.listdata.text import escape_inline
from readme_tools.venues import Vocabulary, parse_venue

__all__ = ["default_template", "render_entry", "render_variant", "variants", "venue_text"]

VERBATIM = "\0verbatim"  # the default grammar writes a source's venue tag as it came
_TERMINATED = (".", "?", "!", "。", "？", "！")
_DATE_RE = re.compile(r"((?:19|20)\d{2})([.\-/])(\d{1,2})(?:([.\-/])(\d{1,2}))?")


def venue_text(venue: Venue, house: House, sample: str | None, vocab: Vocabulary) -> str:
    """The venue tag as this house writes it: canonical name, the separator and year form its
    tags for the same venue use (else the neighbour's, else ``CVPR2025``)."""
    style = _commonest(house, lambda name: name == venue.name)
    if style is None and sample:
        tag = parse_venue(sample, vocab)
        if tag is not None and tag.canonical != "arXiv" and tag.raw_year:
            style = (tag.sep, len(tag.raw_year))
    if style is None:
        style = _commonest(house, lambda name: name != "arXiv") or ("", 4)
    sep, ylen = style
    name = venue.name
    if venue.year is None or ylen == 0:
        head = name
    else:
        year = str(venue.year)[-2:] if ylen == 2 else str(venue.year)
        if " " in name and sep == "":
            sep = " "
        head = f"{name}{sep}{year}"
    return " ".join([head, *venue.qualifiers])


def _commonest(house: House, wanted: Callable[[str], bool]) -> tuple[str, int] | None:
    """The commonest (separator, year digits) among the house's tags of wanted venues
    (the first seen wins a tie)."""
    counts: dict[tuple[str, int], int] = {}
    for (name, sep, ylen), n in house.venue_styles.items():
        if wanted(name):
            counts[(sep, ylen)] = counts.get((sep, ylen), 0) + n
    if not counts:
        return None
    best = max(counts.values())
    return next(style for style, n in counts.items() if n == best)


@dataclass
class _Item:
    kind: str  # "sep", "val", "drop", "drop-name", "pipe" (a table's cell boundary), "links"
    text: str = ""
    link: bool = False  # a link or badge the entry ends with


def _date(piece: Piece, paper: Paper, today: datetime.date) -> str:
    match = _DATE_RE.search(piece.text)
    if match is None:
        return piece.text
    year, month = paper.month if paper.month else (today.year, today.month)
    day = None
    if match.group(5) is not None:  # the house writes days: the day the paper is added
        year, month, day = today.year, today.month, today.day
    pad = len(match.group(3)) == 2
    text = f"{year}{match.group(2)}{month:02d}" if pad else f"{year}{match.group(2)}{month}"
    if day is not None:
        dpad = len(match.group(5)) == 2
        text += f"{match.group(4)}{day:02d}" if dpad else f"{match.group(4)}{day}"
    return piece.text[: match.start()] + text + piece.text[match.end() :]


def _url(paper: Paper, role: str) -> str | None:
    if role == "paper":
        return paper.url
    if role == "code":
        return paper.code
    if role == "page":
        return paper.page
    return None


def _repo(url: str | None) -> str | None:
    """``owner/repo`` of a GitHub link, as the link writes it (case kept)."""
    if not url:
        return None
    ident = identify(url)
    if ident is None or ident.kind != "github":
        return None
    match = re.match(r"https?://(?:www\.)?github\.com/([^/?#]+)/([^/?#]+)", url, re.IGNORECASE)
    if match is None:
        return "/".join(ident.value.split("/")[:2])
    return f"{match.group(1)}/{match.group(2).removesuffix('.git')}"


def _badge(
    piece: Piece, paper: Paper, tpl: Template, house: House, vocab: Vocabulary
) -> str | None:
    text = piece.text
    if piece.role == "badge-stars":
        new, old = _repo(paper.code), tpl.repo
        if not new or not old:
            return None
        return re.sub(re.escape(old), new, text, flags=re.IGNORECASE)
    if piece.role == "badge-arxiv":
        new_ids = [i.value for i in paper.ids if i.kind == "arxiv"]
        old_ids = [i.value for i in tpl.ids if i.kind == "arxiv"]
        if not new_ids or not old_ids:
            return None
        return text.replace(old_ids[0], new_ids[0])
    if piece.role == "badge-venue":
        found = shield(text)
        if paper.venue is None or found is None:
            return None
        styles = house.venue_badges  # the list's usual form, else this badge's
        label = styles["label"] > styles["compact"] if styles else found.label is not None
        if label:  # LABEL-MESSAGE: the venue's name, then its year and qualifiers
            rest = " ".join([str(paper.venue.year)] if paper.venue.year else [])
            rest = " ".join(filter(None, [rest, *paper.venue.qualifiers])) or "-"
            encoded = f"{encode_shield(paper.venue.name)}-{encode_shield(rest)}"
        else:
            sample = found.text if found.label is None else None
            encoded = encode_shield(venue_text(paper.venue, House(), sample, vocab))
        return text[: found.start] + encoded + text[found.end :]
    return text if piece.text in house.common_badges else None


def _title(piece: Piece, paper: Paper, with_name: bool) -> str:
    value = paper.title if with_name else paper.full_title
    raw = piece.text[len(piece.prefix) : len(piece.text) - len(piece.suffix)]
    if raw.rstrip().endswith(_TERMINATED) and not value.endswith(_TERMINATED):
        value += "."
    return piece.prefix + escape_inline(value) + piece.suffix


def _items(
    tpl: Template, paper: Paper, house: House, vocab: Vocabulary, today: datetime.date
) -> list[_Item]:
    with_name = bool(paper.name) and tpl.has("name")
    items: list[_Item] = []
    close_role: list[str] = []
    for piece in tpl.pieces:
        kind = piece.kind
        if kind == "text":
            items.append(
                _Item("sep" if not any(c.isalnum() for c in piece.text) else "val", piece.text)
            )
        elif kind == "pipe":
            items.append(_Item("pipe", piece.text))
        elif kind == "unknown":
            items.append(_Item("drop"))
        elif kind == "checkbox":
            char = "x" if paper.checked is None or paper.checked else " "
            if char == "x" and house.checkbox:
                ticked = [c for c, _ in house.checkbox.most_common() if c in "xX"]
                char = ticked[0] if ticked else "x"
            items.append(_Item("val", f"[{char}]"))
        elif kind == "name":
            if with_name:
                assert paper.name is not None
                items.append(_Item("val", piece.prefix + escape_inline(paper.name) + piece.suffix))
            else:
                items.append(_Item("drop-name"))
        elif kind == "title":
            items.append(_Item("val", _title(piece, paper, with_name)))
        elif kind == "venue":
            if piece.text == VERBATIM and paper.venue_text:
                items.append(_Item("val", paper.venue_text))
            elif paper.venue is not None:
                items.append(_Item("val", venue_text(paper.venue, house, piece.text, vocab)))
            elif paper.venue_text:
                items.append(_Item("val", paper.venue_text))
            else:
                items.append(_Item("drop"))
        elif kind == "date":
            items.append(_Item("val", _date(piece, paper, today)))
        elif kind == "link" and paper.links is not None and tpl.kind == "list":
            if not any(it.kind == "links" for it in items):
                items.append(_Item("links"))  # the paper's own links go here
            else:
                items.append(_Item("drop"))
        elif kind == "link":
            url = _url(paper, piece.role)
            items.append(_Item("val", f"[{piece.label}]({url})", True) if url else _Item("drop"))
        elif kind == "open":
            close_role.append(piece.role)
            items.append(_Item("val", "["))
        elif kind == "close":
            url = _url(paper, piece.role) or paper.url
            items.append(_Item("val", f"]({url})"))
        elif kind == "badge":
            text = _badge(piece, paper, tpl, house, vocab)
            items.append(_Item("val", text, True) if text else _Item("drop"))
    if paper.links is not None and tpl.kind == "list":
        _own_links(tpl, paper, items)
    else:
        _extra_links(tpl, paper, house, items)
    return items


def _link_separator(tpl: Template) -> str:
    seps = [
        tpl.pieces[i].text
        for i in range(1, len(tpl.pieces) - 1)
        if tpl.pieces[i].kind == "text"
        and tpl.pieces[i - 1].kind in ("link", "badge")
        and tpl.pieces[i + 1].kind in ("link", "badge")
    ]
    return seps[0] if seps else " "


def _own_links(tpl: Template, paper: Paper, items: list[_Item]) -> None:
    """A source's links (an exported list's), in their order with their labels, where the
    neighbour has its links (else at the end); the title link's target is not repeated."""
    assert paper.links is not None
    used = {it.text[2:-1] for it in items if it.kind == "val" and it.text.startswith("](")}
    links = [(label, url) for label, url in paper.links if url not in used]
    sep = _link_separator(tpl)
    new: list[_Item] = []
    for number, (label, url) in enumerate(links):
        if number:
            new.append(_Item("sep", sep))
        new.append(_Item("val", f"[{escape_inline(label)}]({_dest(url)})", True))
    at = next((i for i, it in enumerate(items) if it.kind == "links"), None)
    if at is None:
        if new:
            items += [_Item("sep", " "), *new]
        return
    items[at : at + 1] = new or [_Item("drop")]


def _extra_links(tpl: Template, paper: Paper, house: House, items: list[_Item]) -> None:
    """Links the paper has but the neighbour lacks: after the neighbour's last link."""
    if tpl.kind != "list":
        return
    have = tpl.roles
    missing = [r for r in ("code", "page") if _url(paper, r) and r not in have]
    if paper.url and not any(paper.url in it.text for it in items if it.kind == "val"):
        missing.insert(0, "paper")  # its only link was a badge it cannot have (no arXiv id)
    if "badge-stars" in have:
        missing = [r for r in missing if r != "code"]
    if not missing:
        return
    last = max((i for i, it in enumerate(items) if it.link), default=None)
    sep = _link_separator(tpl)
    new = []
    for role in missing:
        url = _url(paper, role)
        text = f"[{house.label(role)}]({url})"
        sample = house.samples.get("stars")
        repo = _repo(url)
        if (
            role == "code"
            and sample
            and repo
            and house.code_style["badge"] > house.code_style["link"]
        ):
            text = re.sub(re.escape(sample[1]), repo, sample[0], flags=re.IGNORECASE)
        new += [_Item("sep", sep), _Item("val", text, True)]
    if last is None:
        items.extend(new)
    else:
        items[last + 1 : last + 1] = new


def _resolve(items: list[_Item]) -> str:
    """Drop omitted slots with the separator before them (else the one after)."""
    out = list(items)
    i = 0
    while i < len(out):
        item = out[i]
        if item.kind not in ("drop", "drop-name"):
            i += 1
            continue
        del out[i]
        if item.kind == "drop-name" and i < len(out) and out[i].kind == "sep":
            del out[i]  # "**Name**: " — the separator after the name goes with it
        elif i > 0 and out[i - 1].kind == "sep" and i < len(out) and out[i].kind != "pipe":
            del out[i - 1]
            i -= 1
        elif i < len(out) and out[i].kind == "sep":
            del out[i]
    return "".join(it.text for it in out)


def _resolve_table(items: list[_Item], placeholder: str) -> str:
    """A table row: each cell resolved on its own; a cell left with nothing to show gets
    the table's placeholder ("-"), its padding kept."""
    out: list[str] = []
    cell: list[_Item] = []
    for item in [*items, _Item("pipe", "")]:
        if item.kind != "pipe":
            cell.append(item)
            continue
        if any(it.kind.startswith("drop") for it in cell) and not any(
            it.kind == "val" and it.text.strip() for it in cell
        ):
            lead = cell[0].text if cell[0].kind == "sep" and not cell[0].text.strip() else " "
            trail = cell[-1].text if cell[-1].kind == "sep" and not cell[-1].text.strip() else " "
            out.append(lead + placeholder + trail)
        else:
            out.append(_resolve(cell))
        out.append(item.text)
        cell = []
    return "".join(out)


def render_entry(
    tpl: Template,
    paper: Paper,
    house: House,
    vocab: Vocabulary,
    today: datetime.date | None = None,
) -> str:
    """The new entry's line (a list item's head with its marker, or a table row)."""
    items = _items(tpl, paper, house, vocab, today or datetime.date.today())
    if tpl.kind == "table":
        placeholder = house.placeholders.most_common(1)[0][0] if house.placeholders else "-"
        return _resolve_table(items, placeholder)
    head = _resolve(items)
    head = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", head)  # a dropped slot leaves no gap
    return tpl.prefix + head.rstrip(" \t")


def default_template(paper: Paper, marker: str = "-") -> Template:
    """The default grammar, for a list with no entries to learn from:
    ``- [x] **Name**: Title. VENUE [Label](url) …``."""
    from readme_tools.model import Entry, Span

    pieces: list[Piece] = []
    if paper.checked is not None:
        pieces += [Piece("checkbox", "[x]"), Piece("text", " ")]
    if paper.name:
        pieces += [Piece("name", "**N**", prefix="**", suffix="**"), Piece("text", ": ")]
    pieces.append(Piece("title", "T.", prefix="", suffix=""))
    if paper.venue is not None or paper.venue_text:
        pieces += [Piece("text", " "), Piece("venue", VERBATIM)]
    if paper.links is not None:  # a source's own links go where the first link is
        pieces += [Piece("text", " "), Piece("link", role="paper", label="Paper")]
    else:
        for role, label in (("paper", "Paper"), ("code", "Code"), ("page", "Page")):
            if _url(paper, role):
                pieces += [Piece("text", " "), Piece("link", role=role, label=label)]
    dummy = Entry("list", 0, Span(0, 0), "", Span(0, 0), (), 0)
    return Template("list", pieces, f"{marker} ", dummy)


def _dest(url: str) -> str:
    """A link destination that survives markdown: ``<…>`` around spaces or parentheses."""
    if any(c in url for c in " <>") or url.count("(") != url.count(")"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def variants(tpl: Template) -> list[Template]:
    """The template, and — for a list item without a venue tag — the same with one after
    the title (what the entry grammar asks for, when the list's rules want it)."""
    out = [tpl]
    if tpl.kind == "list" and not tpl.has("venue") and tpl.has("title"):
        pieces: list[Piece] = []
        for piece in tpl.pieces:
            if piece.kind == "title":
                raw = piece.text[len(piece.prefix) : len(piece.text) - len(piece.suffix)]
                text = (
                    piece.prefix
                    + raw.rstrip()
                    + ("" if raw.rstrip().endswith(".") else ".")
                    + piece.suffix
                )
                pieces += [
                    Piece("title", text, piece.prefix, piece.suffix),
                    Piece("text", " "),
                    Piece("venue", ""),
                ]
            else:
                pieces.append(piece)
        out.append(Template(tpl.kind, pieces, tpl.prefix, tpl.source, tpl.ids, tpl.repo))
    return out


def render_variant(
    tpl: Template,
    tpl_variant: int,
    paper: Paper,
    house: House,
    vocab: Vocabulary,
    today: datetime.date,
) -> str | None:
    """``paper``'s entry line in variant ``tpl_variant`` of ``tpl`` (None: no such variant)."""
    chosen = variants(tpl)
    if tpl_variant >= len(chosen):
        return None
    return render_entry(chosen[tpl_variant], paper, house, vocab, today)
