"""Documents as drawn, and one file made of several of them (#17).

A batch's merged file laid every pack out a second time: a third of the batch's work
(bench_reports). Its pages are the packs' pages, so it is now made of them. When a pack is
drawn, its pages' content is kept (``Drawn``: each page's drawing operators as written, and
the fonts their text is encoded for); the merged file takes those pages as they are, with
one change: the text is encoded again for the merged file's own font subsets, so the file
carries one copy of the fonts (a TrueType font is embedded as subsets of the characters a
file uses, numbered by first use: a pack's codes mean other characters in another file).

Only text in a font and drawing operators are carried: a pack drawn with anything else (an
image, a link, a transparency) cannot be merged this way, and says so (``Unmergeable``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from ..files import atomic_path


class Unmergeable(Exception):
    """A document drawn with something a merged file cannot carry from its pages (a bug)."""


@dataclass(frozen=True)
class DrawnFont:
    """A font as a document's pages name it (``internal``, "/F2"). A TrueType font's text is
    encoded per subset: ``subsets[s][code]`` is the character of ``code`` in subset ``s``
    (named "/F2+s"); a standard font has none (its text is in its own encoding)."""

    name: str
    internal: str
    subsets: tuple[tuple[int, ...], ...] = ()


@dataclass(frozen=True)
class DrawnPage:
    width: float
    height: float
    stream: str  # the page's content as written, before compression
    # What the page holds besides text and drawing ("" if nothing): an image, a link... A
    # merged file cannot carry it (refused when merging, never when the document is drawn).
    other: str = ""


@dataclass(frozen=True)
class Drawn:
    """One document's pages as drawn; ``bookmark``: its entry in a merged file's outline."""

    bookmark: str
    pages: tuple[DrawnPage, ...]
    fonts: tuple[DrawnFont, ...]


def drawn(canvas: rl_canvas.Canvas, bookmark: str) -> Drawn:
    """What ``canvas`` has drawn (every page shown, the file not yet written)."""
    doc = canvas._doc
    pages = []
    for page in doc.Pages.pages:
        other = ", ".join(
            what
            for what, held in (
                ("an image", page.XObjects),
                ("a link", page.Annots),
                ("a transparency", page.ExtGState),
                ("a shading", page._shadingUsed),
            )
            if held
        )
        pages.append(DrawnPage(float(page.pagewidth), float(page.pageheight), page.stream, other))
    fonts = []
    for name, internal in doc.fontMapping.items():
        font = pdfmetrics.getFont(name)
        subsets: tuple[tuple[int, ...], ...] = ()
        if font._dynamicFont:
            subsets = tuple(tuple(s) for s in font.state[doc].subsets)
        fonts.append(DrawnFont(name, internal, subsets))
    return Drawn(bookmark, tuple(pages), tuple(fonts))


# A font chosen ("/F2+0 9 Tf 11.5 TL": name, subset, size, leading), or text shown in it.
_OPS = re.compile(r"(/F\d+)(?:\+(\d+))? (\S+) Tf (\S+) TL|\(((?:[^\\)]|\\.)*)\) Tj", re.S)
# What is left of a page's content once the fonts chosen and the text shown (above) are
# taken out must choose no font and show no text: any other way of doing either (a "TJ"
# array, the quote operators) would be carried with its codes unencoded, the wrong letters.
_OTHER_TEXT = re.compile(r"(?<![^\s\]])(?:Tf|Tj|TJ|'|\")(?=\s|$)")
_STRING = re.compile(r"\((?:[^\\)]|\\.)*\)", re.S)  # a string left: shown some other way
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ASCII = tuple(range(32, 127))  # subset 0 of a TrueType font keeps these codes (reportlab's
# ``ttfAsciiReadable``, the default): the merge relies on it
_SPECIAL = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(text: str) -> bytes:
    raw = text.encode("latin-1")
    if b"\\" not in raw:
        return raw

    def one(m: re.Match[bytes]) -> bytes:
        c = m[1]
        if c[:1].isdigit():
            return bytes([int(c, 8) & 0xFF])
        return _SPECIAL.get(c, c)

    return _ESCAPE.sub(one, raw)


class _Applied:
    """One of reportlab's stream filters, applied already (its name, an ``encode`` that
    leaves the data as it is)."""

    def __init__(self, pdfname: str) -> None:
        self.pdfname = pdfname

    @staticmethod
    def encode(data: Any) -> Any:
        return data


class _MergedCanvas(rl_canvas.Canvas):
    """A canvas whose pages are other documents' drawn pages."""

    def add(self, part: Drawn, key: str) -> None:
        fonts = {f.internal: f for f in part.fonts}
        for f in part.fonts:
            if f.subsets and f.subsets[0][32:127] != _ASCII:
                raise Unmergeable(f"{f.name}'s first subset does not keep ASCII's codes")
        for page in part.pages:
            if page.other:
                raise Unmergeable(f"a page holds more than text and drawing ({page.other})")
        for i, page in enumerate(part.pages):
            if i == 0:
                self.bookmarkPage(key)
                self.addOutlineEntry(part.bookmark, key, level=0)
            self.setPageSize((page.width, page.height))
            text = self._encoded(page.stream, fonts)
            # The stream is "preamble\n<operators>\n \n": shown with this canvas's showPage,
            # which writes its preamble, the operators and the closing " " again.
            head, _, body = text.partition("\n")
            if not body.endswith("\n \n"):
                raise Unmergeable("a page's content does not end as a drawn page's does")
            self._preamble = head
            self._code = [body[:-3]]
            self.showPage()
            self._compress(self._doc.Pages.pages[-1])

    @staticmethod
    def _compress(page: Any) -> None:
        """Encode a page's content now with the filters writing the file would apply (the
        same bytes): a batch's pages, held as drawn till the end, were a quarter of this
        process's memory."""
        if page.compression:
            filters = [pdfdoc.PDFZCompress]
            if rl_config.useA85:
                filters.insert(0, pdfdoc.PDFBase85Encode)
            data = page.stream
            for f in reversed(filters):
                data = f.encode(data)
            stream = pdfdoc.PDFStream(content=data)
            stream.filters = [_Applied(f.pdfname) for f in filters]
            stream.__Comment__ = "page stream"
            page.Contents, page.stream = stream, None

    def _encoded(self, stream: str, fonts: dict[str, DrawnFont]) -> str:
        """``stream`` with its fonts named and its text encoded as in this file."""
        doc = self._doc
        ops = list(_OPS.finditer(stream))
        # What lies between the operators read below (read once, not parsed again)
        ends = [0, *(x for m in ops for x in (m.start(), m.end())), len(stream)]
        rest = " ".join(stream[a:b] for a, b in zip(ends[::2], ends[1::2], strict=True))
        if _OTHER_TEXT.search(rest) or _STRING.search(rest):
            raise Unmergeable("a page shows text in a way the merge does not encode again")
        out: list[str] = []
        pos = 0
        font: DrawnFont | None = None  # the TrueType font in use (None: a standard one)
        chars: tuple[int, ...] = ()
        tmpl = ""  # "<size> Tf <leading> TL"
        current = -1  # this file's subset last chosen
        split: dict[int, list[tuple[int, str]]] = {}  # text ops' pieces, worked out ahead

        def pieces(k: int) -> list[tuple[int, str]]:
            """Text op ``k`` as this file's (subset, escaped text) pieces."""
            got = split.get(k)
            if got is None:
                assert font is not None
                shown = ops[k][5]
                if chars is font.subsets[0] and "\\" not in shown:
                    got = [(0, shown)]  # printable ASCII: the same codes in every file
                else:
                    text = "".join(
                        chr(chars[c]) if c < len(chars) else "\0" for c in _unescape(shown)
                    )
                    ttf = pdfmetrics.getFont(font.name)
                    got = [(s, self._escape(b)) for s, b in ttf.splitString(text, doc)]
                split[k] = got
            return got

        for k, m in enumerate(ops):
            out.append(stream[pos : m.start()])
            pos = m.end()
            name, subset, size, leading, shown = m.groups()
            if shown is None:  # a font chosen
                f = fonts[name]
                if not f.subsets:
                    font = None
                    out.append(f"{doc.getInternalFontName(f.name)} {size} Tf {leading} TL")
                    continue
                font, chars, tmpl = f, f.subsets[int(subset or 0)], f"{size} Tf {leading} TL"
                # Named with the subset of the text that follows (as reportlab names it).
                after = ops[k + 1] if k + 1 < len(ops) else None
                nxt = pieces(k + 1) if after is not None and after[5] is not None else []
                current = nxt[0][0] if nxt else 0
                ttf = pdfmetrics.getFont(f.name)
                out.append(f"{ttf.getSubsetInternalName(current, doc)} {tmpl}")
            elif font is None:
                out.append(m[0])
            else:
                ttf = pdfmetrics.getFont(font.name)
                parts = []
                for s, escaped in pieces(k):
                    if s != current:
                        parts.append(f"{ttf.getSubsetInternalName(s, doc)} {tmpl}")
                        current = s
                    parts.append(f"({escaped}) Tj")
                out.append(" ".join(parts))
        out.append(stream[pos:])
        return "".join(out)


def merge_drawn(
    parts: Iterable[Drawn], out: Path | str | IO[bytes], *, title: str, **meta: Any
) -> int:
    """Several drawn documents as one PDF: a bookmark for each (the viewer opens with them
    showing), each page as its document drew it (its own header and "Page x of y"), and one
    copy of the fonts. ``parts`` may be a generator: each is added as it comes (the file is
    written after the last; an error raised by the generator writes nothing). ``meta``: the
    file's author, subject, creator and keywords. Returns the pages."""
    it = iter(parts)
    first = next(it, None)
    if first is None:
        raise ValueError("nothing to merge")

    def write(target: Any) -> int:
        c = _MergedCanvas(target, pagesize=(first.pages[0].width, first.pages[0].height))
        c.setAuthor(meta.get("author"))
        c.setTitle(title)
        c.setSubject(meta.get("subject"))
        c.setCreator(meta.get("creator"))
        c.setProducer(None)
        c.setKeywords(meta.get("keywords"))
        c.add(first, "doc0")
        for i, part in enumerate(it, start=1):
            c.add(part, f"doc{i}")
        pages = c.getPageNumber() - 1
        c.showOutline()
        c.save()
        return pages

    if isinstance(out, Path | str):
        with atomic_path(out) as tmp:
            return write(str(tmp))
    return write(out)
