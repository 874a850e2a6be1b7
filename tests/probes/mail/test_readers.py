from __future__ import annotations

import mailbox
from pathlib import Path

import pytest

from pobi.errors import InputError
from probes.readers import plan_sources

RAW = [
    b"From: a@b.vn\nMessage-ID: <1@x>\nSubject: one\n\nFrom the start of a line\n",
    b"From: c@d.vn\nMessage-ID: <2@x>\nSubject: two\n\nbody two\n",
    b"From: e@f.vn\nMessage-ID: <3@x>\nSubject: three\n\nbody three\n",
]


def make_mbox(path: Path) -> None:
    box = mailbox.mbox(path)
    for raw in RAW:
        box.add(raw)
    box.flush()
    box.close()


def make_maildir(path: Path) -> None:
    box = mailbox.Maildir(path)
    box.add(RAW[0])
    sub = box.add_folder("Junk")
    sub.add(RAW[1])
    box.close()


def test_eml_mbox_maildir_and_folders(tmp_path: Path) -> None:
    (tmp_path / "emls" / "sub").mkdir(parents=True)
    (tmp_path / "emls" / "a.eml").write_bytes(RAW[0])
    (tmp_path / "emls" / "sub" / "b.EML").write_bytes(RAW[1])
    (tmp_path / "emls" / "notes.docx").write_bytes(b"ignored")
    make_mbox(tmp_path / "export.mbox")
    make_mbox(tmp_path / "Inbox")  # no suffix, starts with "From "
    make_maildir(tmp_path / "Maildir")
    single = tmp_path / "single.eml"
    single.write_bytes(RAW[2])

    sources = plan_sources(
        [
            tmp_path / "emls",
            tmp_path / "export.mbox",
            tmp_path / "Inbox",
            tmp_path / "Maildir",
            single,
        ]
    )
    kinds = [(s.path.name, s.kind, s.count) for s in sources]
    assert kinds == [
        ("a.eml", "eml", 1),
        ("b.EML", "eml", 1),
        ("export.mbox", "mbox", 3),
        ("Inbox", "mbox", 3),
        ("Maildir", "maildir", 2),
        ("single.eml", "eml", 1),
    ]
    mbox_msgs = list(sources[2].messages())
    assert [src for src, _ in mbox_msgs] == [f"{tmp_path / 'export.mbox'}#{i}" for i in (1, 2, 3)]
    assert all(b"Message-ID: <%d@x>" % i in raw for i, (_, raw) in enumerate(mbox_msgs, 1))
    assert not mbox_msgs[0][1].startswith(b"From ")  # the mbox separator line is not part of it
    maildir_msgs = list(sources[4].messages())
    assert {raw for _, raw in maildir_msgs} == {RAW[0], RAW[1]}  # exact bytes, Junk included
    assert all(Path(src).is_file() for src, _ in maildir_msgs)
    assert list(sources[0].messages()) == [(str(tmp_path / "emls" / "a.eml"), RAW[0])]


def test_missing_paths_and_empty_folders_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Not found: .*nope\.eml"):
        plan_sources([tmp_path / "nope.eml"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no \.eml files"):
        plan_sources([tmp_path / "empty"])


def test_a_file_vanishing_during_import_is_named(tmp_path: Path) -> None:
    f = tmp_path / "a.eml"
    f.write_bytes(RAW[0])
    (source,) = plan_sources([f])
    f.unlink()
    with pytest.raises(InputError, match=r"a\.eml: cannot read"):
        list(source.messages())


def test_mbox_files_without_suffix_inside_folders(tmp_path: Path) -> None:
    """Apple Mail exports Inbox.mbox/mbox; Thunderbird keeps 'Inbox' next to 'Inbox.msf'."""
    (tmp_path / "Inbox.mbox").mkdir()
    make_mbox(tmp_path / "Inbox.mbox" / "mbox")
    (tmp_path / "Inbox.mbox" / "table_of_contents").write_bytes(b"\x00\x01binary")
    (tmp_path / "tb").mkdir()
    make_mbox(tmp_path / "tb" / "Inbox")
    (tmp_path / "tb" / "Inbox.msf").write_text('// <!-- <mdb:mork:z v="1.4"/> -->')
    sources = plan_sources([tmp_path])
    assert [(s.path.relative_to(tmp_path).as_posix(), s.kind, s.count) for s in sources] == [
        ("Inbox.mbox/mbox", "mbox", 3),
        ("tb/Inbox", "mbox", 3),
    ]


def test_an_eml_file_is_an_eml_file_even_with_a_from_line(tmp_path: Path) -> None:
    """Its raw bytes (what raw_sha256 hashes) are the file's bytes, From_ line included."""
    f = tmp_path / "one.eml"
    data = b"From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n" + RAW[0]
    f.write_bytes(data)
    (source,) = plan_sources([f])
    assert source.kind == "eml" and list(source.messages()) == [(str(f), data)]
