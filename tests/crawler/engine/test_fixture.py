"""`pobi crawl fixture`: a real crawl's archived pages become fixtures (bytes as archived, a
sidecar with provenance and a ground-truth stub the page tests refuse until a person fills it)."""

from __future__ import annotations

import json
from pathlib import Path

from pobi.sandbox.world import encode_1258
from tests.conftest import run_pobi
from tests.crawler.engine.helpers import crawl, crawl_env, one_site_round
from tests.crawler.engine.websites import Site

FILLER = "<p>" + "Sở Tài chính tỉnh công khai ngân sách. " * 12 + "</p>"
CONTACT = (
    "<html><head><title>Liên hệ</title></head><body>" + FILLER
    + "<table><tr><td>Email</td><td>vanphong @ stc.tinh.test</td></tr></table></body></html>"
)  # fmt: skip


def test_fixture_from_a_crawl(tmp_path: Path) -> None:
    contact = encode_1258(CONTACT)  # windows-1258 needs tone marks as combining characters
    site = Site(
        {
            "/": (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                (FILLER + "<a href='/lien-he'>Liên hệ</a>").encode(),
            ),
            "/lien-he": (200, {"Content-Type": "text/html; charset=windows-1258"}, contact),
        }
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{site.base}/")
        r = crawl(home, sites_file, "--render", "never")
        assert r.returncode == 0, r.stdout + r.stderr
        out = tmp_path / "fx"
        env = crawl_env(home)
        made = run_pobi(
            "crawl",
            "fixture",
            "--round",
            "t",
            "--site",
            f"{site.base}/",
            "--out",
            str(out),
            env=env,
        )
        assert made.returncode == 0, made.stdout + made.stderr
        sidecars = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
        assert len(sidecars) == 2
        (name,) = [n for n, s in sidecars.items() if s["url"].endswith("/lien-he")]
        spec = sidecars[name]
        assert (out / f"{name}.html").read_bytes() == contact  # the archived bytes, unedited
        assert spec["encoding"] in ("cp1258", "windows-1258")
        assert spec["expected"]["email"] == ["vanphong@stc.tinh.test"]
        assert "stub" in spec and spec["provenance"]["captured"] is True
        assert len(spec["provenance"]["warc_sha256"]) == 64

        missing = run_pobi(
            "crawl", "fixture", "--round", "t", "--site", "http://nowhere.test/", "--out",
            str(out), env=env,
        )  # fmt: skip
        assert missing.returncode != 0 and site.base in missing.stdout + missing.stderr
        bare = run_pobi("crawl", "fixture", "--round", "t", env=env)
        assert bare.returncode != 0 and "--site" in bare.stdout + bare.stderr
    finally:
        site.stop()
