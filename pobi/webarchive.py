"""A round's web evidence as one WACZ file, and the check of a WACZ against the evidence store.

WACZ 1.1.1 (https://specs.webrecorder.net/wacz/1.1.1/) is what ReplayWeb.page and pywb open:
a ZIP (every entry stored, not deflated) with

- ``archive/data.warc.gz`` — the round's gzipped page WARCs (the crawler stores one small
  gzipped WARC per page, see ``crawler/archive.py``) concatenated; a multi-member gzip is a valid
  ``.warc.gz``; ``archive/data.warc`` — the uncompressed ones, if any (imported or simulated);
- ``indexes/index.cdx`` — the CDXJ index of those files (``cdxj-indexer``, Webrecorder's);
- ``pages/pages.jsonl`` — one line per archived page (URL, timestamp), the player's page list;
- ``datapackage.json`` — every file with its SHA-256 and size, and ``pobi_evidence``: for each
  page WARC its SHA-256 (its name in ``$POBI_HOME/evidence``), file, offset and length, so the package can be checked against the store record by record;
- ``datapackage-digest.json`` — the SHA-256 of ``datapackage.json``.

Deterministic: the same round and store give the same bytes (fixed ZIP dates, sorted content,
``created`` = the newest WARC date).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pobi import __version__
from pobi.errors import EvidenceError, InputError, NotFoundError
from pobi.evidence import EvidenceStore, sha256_bytes
from pobi.store.tables import Page

WACZ_VERSION = "1.1.1"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ARCHIVE_GZ = "archive/data.warc.gz"
ARCHIVE_PLAIN = "archive/data.warc"
INDEX = "indexes/index.cdx"
PAGES = "pages/pages.jsonl"


@dataclass
class ArchivedPage:
    url: str
    ts: str  # WARC-Date, ISO 8601
    warc_sha256: str


@dataclass
class WaczResult:
    path: Path
    pages: list[ArchivedPage] = field(default_factory=list)
    warcs: int = 0
    unreadable: list[str] = field(default_factory=list)  # recorded, but missing or corrupt

    def page_for(self, warc_sha256: str) -> ArchivedPage | None:
        for p in self.pages:
            if p.warc_sha256 == warc_sha256:
                return p
        return None


@dataclass
class WaczReport:
    path: Path
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _responses(data: bytes) -> list[tuple[str, str]]:
    """(WARC-Target-URI, WARC-Date) of the response records of one page WARC."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for rec in ArchiveIterator(io.BytesIO(data)):
        if rec.rec_type == "response":
            out.append(
                (
                    rec.rec_headers.get_header("WARC-Target-URI") or "",
                    rec.rec_headers.get_header("WARC-Date") or "",
                )
            )
    return out


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _cdxj(archives: dict[str, bytes]) -> bytes:
    import warnings

    with warnings.catch_warnings():  # surt (a dependency of the indexer) has old escapes
        warnings.simplefilter("ignore", SyntaxWarning)
        from cdxj_indexer.main import CDXJIndexer

    with tempfile.TemporaryDirectory(prefix="pobi-wacz-") as tmp:
        paths = []
        for name, data in sorted(archives.items()):
            path = Path(tmp) / name.rsplit("/", 1)[1]
            path.write_bytes(data)
            paths.append(str(path))
        out = io.StringIO()
        CDXJIndexer(output=out, inputs=paths, sort=True).process_all()
        return out.getvalue().encode("utf-8")


def _entry(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def round_warcs(session: Session, round_id: str) -> list[str]:
    """The round's page WARC hashes, in crawl order (fetch time, URL), each once."""
    rows = session.execute(
        select(Page.warc_sha256, Page.fetched_at, Page.url)
        .where(Page.round_id == round_id, Page.warc_sha256 != "")
        .order_by(Page.fetched_at, Page.url, Page.warc_sha256)
    ).all()
    seen: dict[str, None] = {}
    for sha, _at, _url in rows:
        seen.setdefault(sha, None)
    return list(seen)


def build_wacz(
    session: Session, evidence: EvidenceStore, round_id: str, out: Path, *, title: str = ""
) -> WaczResult:
    """Write ``out`` (a .wacz) with every page WARC of the round. A WARC the store records but
    cannot produce intact is left out and listed in ``unreadable``; it never stops the package."""
    result = WaczResult(Path(out))
    buffers = {ARCHIVE_GZ: io.BytesIO(), ARCHIVE_PLAIN: io.BytesIO()}
    members: list[dict[str, Any]] = []
    for sha in round_warcs(session, round_id):
        try:
            data = evidence.read(sha)
        except (NotFoundError, EvidenceError):
            result.unreadable.append(sha)
            continue
        if sha256_bytes(data) != sha:
            result.unreadable.append(sha)
            continue
        name = ARCHIVE_GZ if is_gzip(data) else ARCHIVE_PLAIN
        archive = buffers[name]
        members.append({"sha256": sha, "file": name, "offset": archive.tell(), "length": len(data)})
        archive.write(data)
        for url, ts in _responses(data):
            result.pages.append(ArchivedPage(url, ts, sha))
    result.warcs = len(members)
    archives = {name: buf.getvalue() for name, buf in buffers.items() if buf.tell()}
    if not archives:  # a round without pages still makes a valid (empty) package
        archives = {ARCHIVE_GZ: b""}
    index = _cdxj({k: v for k, v in archives.items() if v}) if any(archives.values()) else b""
    pages = [{"format": "json-pages-1.0", "id": "pages", "title": title or f"pobi {round_id}"}]
    pages += [
        {"id": f"{p.warc_sha256[:32]}", "url": p.url, "ts": p.ts, "title": p.url}
        for p in result.pages
    ]
    pages_bytes = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages).encode()
    files = {**archives, INDEX: index, PAGES: pages_bytes}
    created = max((p.ts for p in result.pages), default="1980-01-01T00:00:00Z")
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title or f"pobi round {round_id}",
        "created": created,
        "software": f"pobi {__version__}",
        "resources": [
            {
                "name": name.rsplit("/", 1)[1].replace(".", "-"),
                "path": name,
                "hash": "sha256:" + sha256_bytes(data),
                "bytes": len(data),
            }
            for name, data in sorted(files.items())
        ],
        "pobi_round": round_id,
        "pobi_evidence": members,
    }
    package_bytes = (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode()
    digest = {"path": "datapackage.json", "hash": "sha256:" + sha256_bytes(package_bytes)}
    try:
        result.path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(result.path, "w") as zf:
            for name, data in sorted(files.items()):
                _entry(zf, name, data)
            _entry(zf, "datapackage.json", package_bytes)
            _entry(zf, "datapackage-digest.json", (json.dumps(digest) + "\n").encode())
    except OSError as exc:
        raise InputError(f"Cannot write {result.path}: {exc.strerror or exc}") from exc
    return result


def verify_wacz(path: Path, evidence: EvidenceStore) -> WaczReport:
    """Check a WACZ made by :func:`build_wacz`: every file matches the hash its data package
    gives, and every page WARC inside is byte for byte the evidence file of the same SHA-256."""
    report = WaczReport(Path(path))
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(f"{path}: not a readable WACZ (ZIP) file: {exc}")
        return report
    with zf:
        names = set(zf.namelist())
        try:
            package_bytes = zf.read("datapackage.json")
            package = json.loads(package_bytes)
        except (KeyError, ValueError) as exc:
            report.problems.append(f"{path}: datapackage.json missing or unreadable: {exc}")
            return report
        if "datapackage-digest.json" in names:
            digest = json.loads(zf.read("datapackage-digest.json"))
            if digest.get("hash") != "sha256:" + sha256_bytes(package_bytes):
                report.problems.append("datapackage.json does not match datapackage-digest.json")
        for res in package.get("resources", []):
            name = res.get("path", "")
            if name not in names:
                report.problems.append(f"{name}: listed in datapackage.json, not in the package")
                continue
            if res.get("hash") != "sha256:" + sha256_bytes(zf.read(name)):
                report.problems.append(f"{name}: content does not match its datapackage hash")
        archives = {n: zf.read(n) for n in (ARCHIVE_GZ, ARCHIVE_PLAIN) if n in names}
        for member in package.get("pobi_evidence", []):
            sha = member["sha256"]
            archive = archives.get(member.get("file", ARCHIVE_GZ), b"")
            chunk = archive[member["offset"] : member["offset"] + member["length"]]
            report.checked += 1
            if sha256_bytes(chunk) != sha:
                report.problems.append(f"{sha}: the package's copy does not match its hash")
                continue
            try:
                stored = evidence.read(sha)
            except (NotFoundError, EvidenceError):
                report.problems.append(f"{sha}: in the package, not in the evidence store")
                continue
            if stored != chunk:
                report.problems.append(f"{sha}: the evidence store's file differs (corrupt)")
    return report
