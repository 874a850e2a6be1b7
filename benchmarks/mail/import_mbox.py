"""Import a large generated mbox with `pobi probe import` and measure time and peak memory.

    .venv/bin/python benchmarks/mail/import_mbox.py [--mib 1024] [--keep DIR]

Generates, in a temporary directory, an mbox of about ``--mib`` MiB: the 207 real messages of
../shared/corpora repeated (each copy made distinct by its own Message-ID and a line of text), and
every 10th message a reply carrying a 1 MiB attached "budget document" (random bytes, base64), the
way provinces answer with PDFs. A fresh POBI_HOME (SQLite, evidence store on disk) gets round
2026, then the real console script ``pobi probe import --round 2026 FILE`` runs as a child process
under ``/usr/bin/time -v``; its wall time and maximum resident set size are printed, with the
counts the command reports. A second import of the same file measures the duplicate path.
Not a timed test: copy the figures into benchmarks/mail/README.md with the machine and its load.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"
POBI = ROOT / ".venv" / "bin" / "pobi"


def real_messages() -> list[bytes]:
    return [
        f.read_bytes().lstrip()
        for d in sorted(CORPORA.iterdir())
        if d.is_dir()
        for f in sorted(d.iterdir())
        if f.is_file() and f.name not in {"LICENSE", "README.md"}
    ]


def with_attachment(n: int) -> bytes:
    data = base64.encodebytes(os.urandom(1024 * 1024))
    return (
        (
            f"From: Van phong So <vanphong@stc{n % 63}.example.gov.vn>\n"
            f"To: pobi+2026-{n % 63}@pobi-research.example.org\n"
            f"Subject: Re: De nghi cung cap thong tin du toan 2026 ({n})\n"
            f"Date: Tue, 03 Nov 2026 09:00:00 +0700\nMessage-ID: <bench-att-{n}@example.gov.vn>\n"
            'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
            "--b\nContent-Type: text/plain; charset=utf-8\n\nSo gui kem du toan ngan sach 2026.\n"
            '--b\nContent-Type: application/pdf; name="du-toan.pdf"\n'
            "Content-Transfer-Encoding: base64\n"
            'Content-Disposition: attachment; filename="du-toan.pdf"\n\n'
        ).encode()
        + data
        + b"--b--\n"
    )


def distinct(raw: bytes, n: int) -> bytes:
    raw = re.sub(rb"(?im)^message-id:[^\n]*\n", b"", raw, count=1)
    head, sep, body = raw.partition(b"\n\n")
    return (
        head
        + f"\nMessage-ID: <bench-{n}@pobi.invalid>".encode()
        + sep
        + body
        + (f"\n[bench copy {n}]\n".encode())
    )


def build(path: Path, mib: int) -> tuple[int, int]:
    target = mib * 1024 * 1024
    reals = real_messages()
    n = size = 0
    with path.open("wb") as fh:
        while size < target:
            raw = with_attachment(n) if n % 10 == 9 else reals[n % len(reals)]
            raw = raw.replace(b"\r\n", b"\n")
            raw = distinct(raw, n) if n % 10 != 9 else raw
            raw = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
            chunk = (
                b"From bench@pobi.invalid Tue Nov  3 09:00:00 2026\n" + raw.rstrip(b"\n") + b"\n\n"
            )
            fh.write(chunk)
            size += len(chunk)
            n += 1
    return n, size


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-v", str(POBI), *args], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if p.returncode != 0:
        print(p.stdout[-2000:], p.stderr[-3000:])
        raise SystemExit(p.returncode)
    summary = next((ln for ln in p.stdout.splitlines() if ln.startswith("Stored")), "")
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    summary += f" [CPU {cpu:.0f} s]"
    return wall, int(m.group(1)) if m else -1, summary


def main() -> None:
    mib = int(sys.argv[sys.argv.index("--mib") + 1]) if "--mib" in sys.argv else 1024
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    with tempfile.TemporaryDirectory(prefix="pobi-mbox-", dir=keep) as tmp:
        d = Path(tmp)
        box = d / "replies.mbox"
        t0 = time.perf_counter()
        count, size = build(box, mib)
        print(
            f"generated {count} messages, {size / 2**20:.0f} MiB in {time.perf_counter() - t0:.0f} s"
        )
        home = d / "home"
        home.mkdir()
        env = {**os.environ, "POBI_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1"}
        env.pop("POBI_DATABASE_URL", None)
        code = (
            "from pobi.config import load_config\nfrom pobi.store import Store\n"
            "from pobi.rounds import create_round\ns = Store.open(load_config())\n"
            "with s.session() as x:\n    create_round(x, '2026', 'current')\ns.close()\n"
        )
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
        for label in ("first import", "re-import (all duplicates)"):
            wall, rss, summary = run(["probe", "import", "--round", "2026", str(box)], env)
            print(
                f"{label}: {wall:.0f} s, {count / wall:.0f} messages/s, "
                f"{size / 2**20 / wall:.1f} MiB/s, peak RSS {rss / 1024:.0f} MiB"
            )
            print("   ", summary)
        print(f"load average {os.getloadavg()}, CPUs {os.cpu_count()}")


if __name__ == "__main__":
    main()
