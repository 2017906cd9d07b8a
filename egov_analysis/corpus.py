"""The raw corpus: ``data/raw/articles/`` plus ``data/raw/sources.csv``.

``data/raw`` is immutable: articles are only ever added (``egov add``), never edited.
This module reads sources.csv (validated), checks it agrees with the files on disk,
decodes raw bytes in whatever encoding a Vietnamese scraper produced, and ingests new
articles (plain text, or saved HTML pages whose main text trafilatura extracts).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from . import config
from .errors import CorpusError, DecodeError, InputError
from .io import atomic_write_text
from .language import vietnamese_share
from .schemas import SOURCES, validate

SOURCE_COLUMNS = list(SOURCES.columns)
TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}

_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html\b|<head\b|<body\b)|<(div|p|meta|script)\b[^>]*>", re.I)
# C0 control characters other than tab/newline/carriage return never occur in article text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RawText:
    """Decoded raw article text and how it was decoded."""

    text: str
    encoding: str
    sha256: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_like_html(data: bytes) -> bool:
    """True when the bytes are an HTML page rather than article text."""
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    return bool(_HTML_SNIFF.search(head)) and head.count(b"<") >= 3


def decode_bytes(data: bytes, where: str | Path) -> tuple[str, str]:
    """Decode article bytes: UTF-8 (with/without BOM), UTF-16 (BOM or NUL pattern), Windows-1258.

    Returns (text, encoding). Raises :class:`DecodeError` naming ``where`` for empty,
    binary or undecodable input. Nothing is guessed silently: a Windows-1258 decoding is
    accepted only when the result reads as Vietnamese.

    >>> decode_bytes("Cà Mau".encode("cp1258"), "x.txt")
    ('Cà Mau', 'cp1258')
    """
    if not data.strip(b" \t\r\n\x00") or not data.replace(codecs.BOM_UTF8, b"").strip():
        raise DecodeError("the file is empty", where=where, fix="save the article text again, or remove the file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, enc, where), enc
    if b"\x00" in data:
        # UTF-16 without BOM: NULs on every other byte for Latin-script text.
        even, odd = data[0::2].count(0), data[1::2].count(0)
        half = len(data) / 2
        if odd > 0.3 * half and even < 0.05 * half:
            return _strict(data, "utf-16-le", where), "utf-16-le"
        if even > 0.3 * half and odd < 0.05 * half:
            return _strict(data, "utf-16-be", where), "utf-16-be"
        raise DecodeError(
            "the file is binary (it contains NUL bytes), not article text",
            where=where,
            fix="save the article as plain text (UTF-8) or as an .html page",
        )
    try:
        return _strict(data, "utf-8", where), "utf-8"
    except DecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROL.search(text) and vietnamese_share(text) >= 0.6:
        return text, "cp1258"
    raise DecodeError(
        "the bytes are not text in UTF-8, UTF-16 or Windows-1258",
        where=where,
        fix="re-save the article as UTF-8 text (e.g. `iconv -f <encoding> -t utf-8`)",
    )


def _strict(data: bytes, encoding: str, where) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not valid {encoding} (byte {exc.start}: {exc.reason})",
            where=where,
            fix="re-save the article as UTF-8 text",
        ) from None
    if _CONTROL.search(text):
        raise DecodeError(
            f"decoded as {encoding} but contains control characters: the file is binary",
            where=where,
            fix="save the article as plain text (UTF-8) or as an .html page",
        )
    return text


def html_main_text(data: bytes, where: str | Path) -> tuple[str, dict]:
    """Main text and metadata of a saved HTML page, extracted by trafilatura."""
    import trafilatura

    html, _ = decode_bytes(data, where)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True, deduplicate=False)
    if not text or not text.strip():
        raise DecodeError(
            "no article text could be extracted from this HTML page",
            where=where,
            fix="save the article page itself (not a listing or a login page), or paste its text into a .txt file",
        )
    meta = trafilatura.extract_metadata(html)
    info = {}
    if meta is not None:
        info = {"title": meta.title, "published": meta.date, "outlet": meta.sitename, "url": meta.url}
    return text, info


def read_raw(path: Path) -> RawText:
    """Decoded raw text of one article file (.txt decoded; .html main text extracted)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("article file is missing", where=path, fix="restore it from git, or remove its row from data/raw/sources.csv") from None
    digest = sha256_bytes(data)
    if path.suffix.lower() in HTML_SUFFIXES:
        text, _ = html_main_text(data, path)
        return RawText(text, "html", digest)
    if looks_like_html(data):
        raise DecodeError(
            "this .txt file holds an HTML page, not article text",
            where=path,
            fix="rename it to .html and ingest it with `egov add`, which extracts the main text",
        )
    text, enc = decode_bytes(data, path)
    return RawText(text, enc, digest)


# ---------------------------------------------------------------- sources.csv


def read_sources(p: config.Paths | None = None) -> pd.DataFrame:
    """sources.csv, validated; raises with every failure listed."""
    p = p or config.paths()
    if not p.sources_csv.exists():
        raise CorpusError("sources.csv is missing", where=p.sources_csv, fix="restore it from git, or create it with `egov add data/raw/articles/*`")
    df = pd.read_csv(p.sources_csv, dtype=str, keep_default_na=False)
    df = df.replace({"": None})
    missing = [c for c in SOURCE_COLUMNS if c not in df.columns]
    if missing:
        raise CorpusError(f"missing column(s) {missing}", where=p.sources_csv, fix=f"the header must be: {','.join(SOURCE_COLUMNS)}")
    return validate(df, SOURCES, str(p.sources_csv))


def write_sources(df: pd.DataFrame, p: config.Paths) -> None:
    df = validate(df[SOURCE_COLUMNS].sort_values("article_id").reset_index(drop=True), SOURCES, str(p.sources_csv))
    atomic_write_text(p.sources_csv, df.to_csv(index=False, lineterminator="\n"))


def check_corpus(p: config.Paths | None = None) -> pd.DataFrame:
    """Validated sources.csv after checking it matches data/raw/articles exactly."""
    p = p or config.paths()
    src = read_sources(p)
    listed = {Path(f).name for f in src["file"]}
    on_disk = {f.name for f in p.articles.iterdir() if f.is_file() and not f.name.startswith(".")} if p.articles.exists() else set()
    problems = []
    for name in sorted(listed - on_disk):
        problems.append(f"articles/{name} is listed in sources.csv but the file is missing (restore it, or delete its row)")
    for name in sorted(on_disk - listed):
        problems.append(f"articles/{name} is in data/raw/articles but not listed in sources.csv (ingest it with `egov add`, or remove it)")
    for row in src.itertuples():
        f = p.raw / row.file
        if f.exists():
            digest = sha256_bytes(f.read_bytes())
            if digest != row.sha256:
                problems.append(f"{row.file} changed since it was added (sha256 {digest[:12]}… != {row.sha256[:12]}…); data/raw is immutable: restore it, or add the new version as a new article")
    if problems:
        raise CorpusError("the corpus does not match sources.csv:\n  - " + "\n  - ".join(problems), where=p.sources_csv, fix="see each line above")
    return src


# ---------------------------------------------------------------- egov add


def add_articles(
    paths_in: list[Path],
    p: config.Paths | None = None,
    *,
    url: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    detect=None,
    today: date | None = None,
) -> pd.DataFrame:
    """Ingest new article files; return the rows added.

    All files are checked before anything is written (all or nothing). A file whose
    bytes or decoded text equal an article already present is refused. ``detect(text)``
    returns a dict of metadata guessed from the text (title, published, outlet); explicit
    arguments win over it.
    """
    p = p or config.paths()
    if published is not None:
        _check_iso(published, "--published")
    src = read_sources(p) if p.sources_csv.exists() else pd.DataFrame(columns=SOURCE_COLUMNS)
    known_hashes = set(src["sha256"])
    known_texts = {}
    for row in src.itertuples():
        f = p.raw / row.file
        if f.exists():
            known_texts[_text_key(read_raw(f).text)] = row.article_id
    next_no = 1 + max([int(a.split("_")[0]) for a in src["article_id"] if a.split("_")[0].isdigit()], default=-1)
    staged = []
    for path in paths_in:
        path = Path(path)
        if not path.is_file():
            raise InputError("no such file", where=path, fix="check the path")
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise InputError(f"unsupported file type {suffix!r}", where=path, fix="save the article as .txt (plain text) or .html (the saved page)")
        data = path.read_bytes()
        digest = sha256_bytes(data)
        if digest in known_hashes:
            dup = src.loc[src["sha256"] == digest, "article_id"]
            first = dup.iloc[0] if len(dup) else "another file in this command"
            raise CorpusError(f"this article is already in the corpus as {first} (same sha256)", where=path, fix="nothing to do; remove it from the command")
        info = {}
        if suffix in HTML_SUFFIXES:
            text, info = html_main_text(data, path)
        else:
            if looks_like_html(data):
                raise DecodeError("this .txt file holds an HTML page, not article text", where=path, fix="rename it to .html and run `egov add` on it again: the main text is then extracted")
            text, _ = decode_bytes(data, path)
        key = _text_key(text)
        if key in known_texts:
            raise CorpusError(f"the same text is already in the corpus as {known_texts[key]}", where=path, fix="nothing to do; remove it from the command")
        in_place = path.resolve().parent == p.articles.resolve()
        if in_place:
            # Registering a file already saved in data/raw/articles: its name is its id.
            article_id = path.stem
        else:
            article_id = f"{next_no:03d}_{digest[:16]}"
            next_no += 1
        guessed = detect(text) if detect else {}
        title = (info.get("title") or guessed.get("title") or "").strip()
        if not title:
            raise InputError("the article has no title line", where=path, fix="make the first line of the file the article title")
        lines = [line for line in text.strip().splitlines() if line.strip()]
        if len(lines) < (1 if suffix in HTML_SUFFIXES else 2):
            raise InputError("the article has a title but no text under it: nothing could be extracted from it", where=path,
                             fix="save the whole article: its title on the first line, its paragraphs below")
        row = {
            "article_id": article_id,
            "file": f"articles/{path.name}" if in_place else f"articles/{article_id}{'.html' if suffix in HTML_SUFFIXES else '.txt'}",
            "title": title,
            "published": published or _iso_or_none(info.get("published")) or guessed.get("published"),
            "outlet": outlet or guessed.get("outlet") or info.get("outlet"),
            "url": url or info.get("url"),
            "language": "vi",
            "sha256": digest,
            "retrieved": (today or date.today()).isoformat(),
        }
        staged.append((path, row))
        known_hashes.add(digest)
        known_texts[key] = article_id
    if url and len(staged) > 1:
        raise InputError("--url names one page but several files were given", where="--url", fix="add the files one at a time with their own --url")
    p.articles.mkdir(parents=True, exist_ok=True)
    copied = []
    try:
        for path, row in staged:
            dest = p.raw / row["file"]
            if dest.resolve() == path.resolve():
                continue
            if dest.exists():
                raise CorpusError("a different file already has this name", where=dest, fix="report this: article ids are unique by construction")
            shutil.copyfile(path, dest)
            copied.append(dest)
        new = pd.DataFrame([r for _, r in staged], columns=SOURCE_COLUMNS)
        write_sources(pd.concat([src, new], ignore_index=True) if len(src) else new, p)
    except Exception:
        for dest in copied:
            dest.unlink(missing_ok=True)
        raise
    return pd.DataFrame([r for _, r in staged], columns=SOURCE_COLUMNS)


def _text_key(text: str) -> str:
    import unicodedata

    return hashlib.sha256(" ".join(unicodedata.normalize("NFC", text).split()).encode()).hexdigest()


def _check_iso(value: str, where: str) -> None:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date", where=where, fix="give the date as YYYY-MM-DD, e.g. 2017-06-27") from None


def _iso_or_none(value) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None
