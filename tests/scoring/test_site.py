"""`pobi publish`: the static site of a scored synthetic round (real store, real evidence files).

What is checked: every page and link of the site exists and stays inside it; the map has one
shape per unit; the numbers on the pages are the exported ones; public mode (no personal data in
any page or download); byte-identical re-publish; the WACZ is valid for Webrecorder's own
validator, replayable through its index, and checked against the store; bad input is refused
clearly and never replaces a good site.
"""

from __future__ import annotations

import csv
import filecmp
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pobi.webarchive import verify_wacz
from scoring.site.build import publish_round
from tests.scoring.conftest import AS_OF, AS_OF_TEXT, Built, build


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.codes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name] or "")
        if tag == "path" and a.get("data-province-code"):
            self.codes.append(a["data-province-code"] or "")


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(scored: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("site") / "site"
    with scored.store.session() as s:
        publish_round(s, "2026", out, scored.cfg, scored.evidence, at=AS_OF)
    yield out


def test_every_page_exists_and_every_link_stays_inside_the_site(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    # index, methodology, downloads + 34 provinces, in two languages
    assert len(pages) == 2 * (3 + 34)
    assert (site / "index.html").exists() and (site / "en" / "index.html").exists()
    for page in pages:
        for link in _parse(page).links:
            assert not re.match(r"^[a-z]+:", link), f"{page}: external or absolute link {link}"
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.exists(), f"{page}: broken link {link}"
            assert site.resolve() in target.parents, f"{page}: link leaves the site {link}"


def test_index_has_the_map_the_ranking_and_the_headline(site: Path, scored: Built) -> None:
    index = site / "index.html"
    assert sorted(_parse(index).codes) == sorted(
        r["province_code"] for r in csv.DictReader((site / "downloads/rankings.csv").open())
    )
    assert len(_parse(index).codes) == 34
    html = index.read_text(encoding="utf-8")
    stats = list(csv.DictReader((site / "downloads/statistics.csv").open(encoding="utf-8")))
    any_reply = next(
        s
        for s in stats
        if s["group"] == "all" and s["unit"] == "province" and s["measure"] == "any_reply_rate"
    )
    pct = f"{float(any_reply['value']) * 100:.0f}%"
    assert f"{any_reply['k']} trên {any_reply['n']}" in html and pct in html
    first = next(csv.DictReader((site / "downloads/rankings.csv").open(encoding="utf-8")))
    # the ranking is HTML table text: a screen reader or a text search finds the names
    assert f'<a href="provinces/{first["province_code"]}.html">{first["province_name"]}</a>' in html


def test_province_page_shows_indicators_evidence_and_aggregates(site: Path) -> None:
    html = (site / "en" / "provinces" / "01.html").read_text(encoding="utf-8")
    scores = [
        r
        for r in csv.DictReader((site / "downloads/scores.csv").open(encoding="utf-8"))
        if r["province_code"] == "01"
    ]
    for r in scores:
        assert (
            escape(r["explanation_en"]).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")
            in html
        )
    links = _parse(site / "en" / "provinces" / "01.html").links
    warcs = [x for x in links if "/evidence/" in x and ".warc" in x]
    shots = [x for x in links if "/evidence/" in x and x.endswith(".png")]
    assert warcs and shots
    assert "pobi-2026.wacz" in html
    assert "Requests" in html


def test_public_mode_no_personal_data_anywhere(site: Path, scored: Built) -> None:
    personal = scored.summary.personal_strings
    assert personal  # the synthetic store does hold personal data
    for path in site.rglob("*"):
        if path.suffix in {".html", ".csv", ".json", ".md", ".jsonl"}:
            text = path.read_text(encoding="utf-8")
            leaked = [p for p in personal if p in text]
            assert not leaked, f"{path.relative_to(site)} leaks {leaked}"
    recipients = [r["recipient"] for r in csv.DictReader((site / "downloads/requests.csv").open())]
    assert recipients and all(r == "" or r.startswith("…@") for r in recipients)
    replies = list(csv.DictReader((site / "downloads/replies.csv").open()))
    assert replies and all(r["source"] == "" and r["raw_sha256"] == "" for r in replies)


def test_public_scores_carry_references_not_email_hashes(site: Path, scored: Built) -> None:
    """scores.csv keeps its columns and the web evidence's hashes (WARCs and screenshots, checked
    by the WACZ and `pobi evidence verify`), but an e-mail's hash (request as sent, raw reply)
    appears in no public file: its opaque reference (request:<id>, reply:<id>) stands in."""
    from sqlalchemy import select

    from pobi.store.tables import Finding, Message, ProbeRequest
    from scoring import columns as cols
    from scoring.export import export_round

    with scored.store.session() as s:
        emails = {h for h in s.scalars(select(ProbeRequest.eml_sha256)) if h}
        emails |= {h for h in s.scalars(select(Message.raw_sha256)) if h}
        web = {h for f in s.scalars(select(Finding).where(Finding.round_id == "2026"))
               for h in (f.evidence_sha256, f.screenshot_sha256) if h}  # fmt: skip
        request_ids = set(s.scalars(select(ProbeRequest.id)))
    assert len(emails) > 20 and web
    with (site / "downloads" / cols.SCORES.filename).open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == [c.name for c in cols.SCORES.columns]
        rows = list(reader)
    items = [x for r in rows for x in r["evidence"].split(";") if x]
    refs = [x for x in items if ":" in x]
    assert {x.split(":")[0] for x in refs} == {"request", "reply"}
    assert {x.split(":", 1)[1] for x in refs} <= request_ids
    assert {x for x in items if ":" not in x} <= web  # every other item is web evidence
    assert web & set(items)  # which stays, hash for hash
    for path in (site / "downloads").iterdir():
        if path.suffix in {".csv", ".json", ".md"}:
            text = path.read_text(encoding="utf-8")
            leaked = [h for h in emails if h in text]
            assert not leaked, f"{path.name}: an e-mail's SHA-256 in a public file"
    # the researcher's own export keeps every hash
    with scored.store.session() as s:
        export_round(s, "2026", site.parent / "researcher", scored.cfg, at=AS_OF)
    private = (site.parent / "researcher" / cols.SCORES.filename).read_text(encoding="utf-8")
    assert emails & set(re.findall(r"[0-9a-f]{64}", private))


def test_republish_is_byte_identical(site: Path, scored: Built, tmp_path: Path) -> None:
    again = tmp_path / "again"
    with scored.store.session() as s:
        publish_round(s, "2026", again, scored.cfg, scored.evidence, at=AS_OF)
    cmp = filecmp.dircmp(site, again)

    def same(c: filecmp.dircmp) -> bool:  # type: ignore[type-arg]
        if c.left_only or c.right_only:
            return False
        _match, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        return not mismatch and not errors and all(same(sub) for sub in c.subdirs.values())

    assert same(cmp)


def test_wacz_is_valid_replayable_and_matches_the_store(site: Path, scored: Built) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        from wacz.main import main as wacz_main

    wacz = site / "downloads" / "pobi-2026.wacz"
    assert wacz_main(["validate", "-f", str(wacz)]) == 0
    assert verify_wacz(wacz, scored.evidence).ok
    # Replay as a player does: find a finding's page in the CDXJ index, read its record.
    from warcio.archiveiterator import ArchiveIterator

    with zipfile.ZipFile(wacz) as zf:
        index = zf.read("indexes/index.cdx").decode().splitlines()
        pages = [json.loads(x) for x in zf.read("pages/pages.jsonl").decode().splitlines()[1:]]
        archives = {n: zf.read(n) for n in zf.namelist() if n.startswith("archive/")}
    assert pages and index
    url = pages[0]["url"]
    entry = next(json.loads(line.split(" ", 2)[2]) for line in index if f'"{url}"' in line)
    data = archives["archive/" + entry["filename"]]
    chunk = data[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
    import io

    record = next(iter(ArchiveIterator(io.BytesIO(chunk))))
    assert record.rec_headers.get_header("WARC-Target-URI") == url
    assert record.content_stream().read()


def test_wacz_check_catches_a_tampered_package(site: Path, scored: Built, tmp_path: Path) -> None:
    src = site / "downloads" / "pobi-2026.wacz"
    bad = tmp_path / "bad.wacz"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("archive/"):
                data = data.replace(b"WARC/1.0", b"WARC/1.1", 1)
            zout.writestr(info, data)
    report = verify_wacz(bad, scored.evidence)
    assert not report.ok
    assert any("does not match" in p for p in report.problems)


@pytest.fixture
def unscored(tmp_path: Path) -> Iterator[Built]:
    from pobi.models import Era

    home = tmp_path / "home"
    built = build(
        home, f"sqlite:///{home / 'pobi.sqlite'}", score=False, rounds=(("2026", Era.CURRENT),)
    )
    yield built
    built.store.close()


def test_bad_input_is_refused_clearly(
    scored: Built, unscored: Built, tmp_path: Path, invoke: Callable[..., object]
) -> None:
    res = invoke("publish", "--round", "1999", "--out", str(tmp_path / "a"), env=scored.env())
    assert res.returncode == 3 and "No round '1999'" in res.stderr  # type: ignore[attr-defined]
    res = invoke("publish", "--round", "2026", "--out", str(tmp_path / "a"), env=unscored.env())
    assert res.returncode == 5 and "pobi score --round 2026" in res.stderr  # type: ignore[attr-defined]
    res = invoke(
        "publish", "--round", "2026", "--out", str(tmp_path / "a"), "--lang", "fr", env=scored.env()
    )
    assert res.returncode == 2 and "--lang" in res.stderr  # type: ignore[attr-defined]
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    res = invoke("publish", "--round", "2026", "--out", str(full), env=scored.env())
    assert res.returncode == 2 and "not empty" in res.stderr and "--force" in res.stderr  # type: ignore[attr-defined]
    assert (full / "keep.txt").read_text() == "mine"
    assert not list(tmp_path.glob(".*tmp-*"))


def test_force_replaces_and_a_failed_build_keeps_the_old_site(
    scored: Built, tmp_path: Path, invoke: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    env = {**scored.env(), "POBI_NOW": AS_OF_TEXT}
    res = invoke("publish", "--round", "2026", "--out", str(out), "--lang", "en", env=env)
    assert res.returncode == 0, res.stderr  # type: ignore[attr-defined]
    assert (out / "index.html").exists() and not (out / "en").exists()
    before = (out / "index.html").read_bytes()

    import scoring.site.build as site_build

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_build, "build_wacz", broken)
    res = invoke("publish", "--round", "2026", "--out", str(out), "--force", env=env)
    assert res.returncode != 0
    assert (out / "index.html").read_bytes() == before  # the good site is still there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder
    monkeypatch.undo()
    res = invoke("publish", "--round", "2026", "--out", str(out), "--force", env=env)
    assert res.returncode == 0 and (out / "en" / "index.html").exists()  # type: ignore[attr-defined]


class _Text(HTMLParser):
    """Everything a reader sees or hears: text nodes (not scripts or styles) and the titles,
    alternative texts and labels of elements."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


RAW_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
NOT_WORDS = re.compile(
    r"(https?://\S+|[\w.+-]+@[\w.-]+|\b[0-9a-f]{64}\b|\S+\.(csv|json|jsonl|md|xlsx|wacz)\b"
    r"|\b\S+@\d[\w.]*)"
)


def english_strings() -> set[str]:
    from scoring.rubric import load_rubric
    from scoring.site import texts

    out: set[str] = set()
    for table in (texts.UI, texts.BANDS, texts.CHANNELS, texts.SITE_KINDS, texts.DEADLINES,
                  texts.REPLY_KINDS, texts.CODINGS, texts.MEASURES):  # fmt: skip
        # a technical term both languages use ("SHA-256" in "Mã băm SHA-256") is not English
        out |= {v["en"] for v in table.values() if v["en"] not in v["vi"] and len(v["en"]) > 3}
    rub = load_rubric("participation-v1")
    out |= {i.question_en for i in rub.indicators}
    out |= {p.name_en for p in rub.pillars.values()}
    out |= {o.en for i in rub.indicators for o in i.options.values()}
    out |= {e for i in rub.indicators for e in i.evidence}  # the methodology's evidence lists
    return out


def test_vietnamese_pages_have_no_english_and_no_raw_ids(site: Path) -> None:
    english = english_strings()
    pages = [p for p in site.rglob("*.html") if "en" not in p.relative_to(site).parts]
    assert len(pages) == 3 + 34
    for page in pages:
        text = visible_text(page)
        words = NOT_WORDS.sub(" ", text)
        ids = sorted(set(RAW_ID.findall(words)))
        assert not ids, f"{page.relative_to(site)}: raw ids {ids}"
        found = sorted(e for e in english if e in text)
        assert not found, f"{page.relative_to(site)}: English text {found}"
    # and the check can fail: the English pages do contain English
    assert any(e in visible_text(site / "en" / "index.html") for e in english)
    # the methodology's evidence lists are read in Vietnamese (and in English on its English page)
    from scoring.rubric import load_rubric

    rub = load_rubric("participation-v1")
    vi, en = visible_text(site / "methodology.html"), visible_text(site / "en" / "methodology.html")
    for ind in rub.indicators:
        assert "; ".join(ind.evidence_vi) in vi, ind.id
        assert "; ".join(ind.evidence) in en and "; ".join(ind.evidence) not in vi, ind.id
    assert "Bằng chứng sử dụng" in vi


def test_evidence_verify_checks_the_package(
    site: Path, scored: Built, tmp_path: Path, invoke: Callable[..., object]
) -> None:
    wacz = site / "downloads" / "pobi-2026.wacz"
    res = invoke("evidence", "verify", "--wacz", str(wacz), env=scored.env())
    assert res.returncode == 0, res.stderr  # type: ignore[attr-defined]
    assert "page WARCs match the evidence store" in res.stdout  # type: ignore[attr-defined]
    bad = tmp_path / "bad.wacz"
    bad.write_bytes(wacz.read_bytes()[:-200])  # truncated download
    res = invoke("evidence", "verify", "--wacz", str(bad), env=scored.env())
    assert res.returncode == 4  # type: ignore[attr-defined]


def test_base_url_adds_replay_links_to_the_hosted_wacz(
    scored: Built, tmp_path: Path, invoke: Callable[..., object]
) -> None:
    out = tmp_path / "hosted"
    res = invoke(
        "publish", "--round", "2026", "--out", str(out), "--lang", "vi",
        "--base-url", "https://example.org/pobi/2026/", env=scored.env(),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr  # type: ignore[attr-defined]
    links = [x for x in _parse(out / "provinces" / "01.html").links if "replayweb.page" in x]
    assert links
    assert all(
        x.startswith(
            "https://replayweb.page/?source=https%3A%2F%2Fexample.org%2Fpobi%2F2026%2F"
            "downloads%2Fpobi-2026.wacz#view=pages&url=https%3A%2F%2F"
        )
        for x in links
    )
    res = invoke(
        "publish", "--round", "2026", "--out", str(tmp_path / "x"), "--base-url",
        "javascript:alert(1)", env=scored.env(),
    )  # fmt: skip
    assert res.returncode == 2  # type: ignore[attr-defined]


def test_hostile_portal_text_stays_text(fresh: Built, tmp_path: Path) -> None:
    """A crawled value or URL carrying markup is shown as text: no tag, no script, no link."""
    from sqlalchemy import select

    from pobi.store.tables import Finding

    evil = '<img src="http://198.51.100.7/beacon" onerror="alert(1)">'
    with fresh.store.session() as s:
        f = s.scalars(select(Finding).where(Finding.province_code == "01")).first()
        assert f is not None
        f.value = evil
        f.found_on = "javascript:alert(document.cookie)"
    out = tmp_path / "site"
    with fresh.store.session() as s:
        publish_round(s, "2026", out, fresh.cfg, fresh.evidence, langs=("en",), at=AS_OF)
    html = (out / "provinces" / "01.html").read_text(encoding="utf-8")
    assert evil not in html and "&lt;img src=&#34;http://198.51.100.7/beacon&#34;" in html
    links = _parse(out / "provinces" / "01.html").links
    assert not any(x.startswith(("javascript:", "http://198.51.100.7")) for x in links)
