"""Writers for legacy files no free tool here can write: a RAR (v4) archive and a Word 97 .doc.

RAR: no free program creates RAR archives (``rar`` is non-free), so this writes the RAR 1.5–4.x
container as its technical note ("technote.txt", RAR 4) lays it out — marker block, archive
header, one file header per member with its CRC-32, the member's bytes stored uncompressed
(method 0x30, "store"), end-of-archive block. Real readers (libarchive/bsdtar, unrar) accept it;
only stored members can be made, so decompression itself is not exercised by these files.

DOC: a minimal Word 97-2003 binary document ([MS-DOC]): a Compound File Binary ([MS-CFB],
version 3, 512-byte sectors) holding a ``WordDocument`` stream (the FIB and the text, UTF-16LE)
and a ``1Table`` stream (the piece table, one piece). Enough for antiword and catdoc to find the
text; there is no formatting.

Both are test tools: the project reads such files, it never writes them.
"""

from __future__ import annotations

import struct
import zlib

# ---------------------------------------------------------------------------------------- RAR


def _rar_block(head_type: int, flags: int, body: bytes) -> bytes:
    size = 7 + len(body)
    rest = struct.pack("<BHH", head_type, flags, size) + body
    crc = zlib.crc32(rest) & 0xFFFF
    return struct.pack("<H", crc) + rest


def rar4(members: list[tuple[str, bytes]], *, encrypted: bool = False) -> bytes:
    """A RAR 4 archive of ``members`` (ASCII names), stored; ``encrypted`` marks every member as
    password-protected (its bytes are then not really encrypted: readers must refuse it anyway)."""
    out = bytearray(b"Rar!\x1a\x07\x00")
    out += _rar_block(0x73, 0x0000, b"\x00\x00" + b"\x00\x00\x00\x00")
    dos_time = (2025 - 1980) << 25 | 12 << 21 | 15 << 16 | 9 << 11  # 2025-12-15 09:00
    for name, data in members:
        raw_name = name.encode("ascii")
        flags = 0x8000 | (0x0004 if encrypted else 0)
        body = (
            struct.pack(
                "<IIBIIBBHI",
                len(data),  # packed size (stored: the same)
                len(data),  # unpacked size
                2,  # host OS: Windows
                zlib.crc32(data) & 0xFFFFFFFF,
                dos_time,
                20,  # version needed to extract: 2.0
                0x30,  # method: store
                len(raw_name),
                0x20,  # attributes: archive
            )
            + raw_name
        )
        out += _rar_block(0x74, flags, body) + data
    out += _rar_block(0x7B, 0x4000, b"")
    return bytes(out)


# ---------------------------------------------------------------------------------------- DOC

SECTOR = 512
FREE, END, FAT_SECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
TEXT_AT = 0x400  # where the text starts in the WordDocument stream


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * (size - len(data))


STSH_AT = 0x40  # where the (empty) stylesheet starts in the 1Table stream
# the stylesheet: cbStshi, an Stshi (1 style slot, built-in names version 0) and one empty STD;
# antiword reads the stylesheet whether or not the FIB gives it a length
STSH = struct.pack("<H9H", 18, 1, 10, 0, 0x5B, 0x0F, 0, 0, 0, 0) + struct.pack("<H", 0)


def _fib(ccp_text: int, stream_size: int, lcb_clx: int) -> bytes:
    base = struct.pack(
        "<HHHHHHHIBBHHII",
        0xA5EC,  # wIdent
        0x00C1,  # nFib: Word 97
        0,
        0x042A,  # lid: Vietnamese
        0,
        0x0200 | 0x1000,  # fWhichTblStm (1Table) | fExtChar
        0x00BF,  # nFibBack
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    )
    rg_w = struct.pack("<H", 14) + b"\x00" * 28
    lw = [0] * 22
    lw[0] = stream_size  # cbMac
    lw[3] = ccp_text  # ccpText
    rg_lw = struct.pack("<H", 22) + struct.pack("<22I", *lw)
    pairs = [0] * (93 * 2)
    pairs[33 * 2] = 0  # fcClx: the piece table at the start of 1Table
    pairs[33 * 2 + 1] = lcb_clx
    for i in (0, 1):  # fcStshfOrig, fcStshf
        pairs[i * 2], pairs[i * 2 + 1] = STSH_AT, len(STSH)
    rg_fclcb = struct.pack("<H", 93) + struct.pack(f"<{93 * 2}I", *pairs)
    return base + rg_w + rg_lw + rg_fclcb + struct.pack("<H", 0)


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, start: int,
               size: int) -> bytes:  # fmt: skip
    if not name:
        return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                           b"", 0, 0, 0, 0, 0)  # fmt: skip
    raw = (name + "\x00").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, left, right, child, b"", 0, 0, 0, start, size
    )


def word97(text: str) -> bytes:
    """A Word 97 .doc whose main text is ``text`` (paragraphs separated by newlines)."""
    body = text.replace("\r\n", "\n").replace("\n", "\r")
    if not body.endswith("\r"):
        body += "\r"
    encoded = body.encode("utf-16-le")
    ccp = len(encoded) // 2
    clx = b"\x02" + struct.pack("<I", 16) + struct.pack("<II", 0, ccp)
    clx += struct.pack("<HIH", 0, TEXT_AT, 0)  # one piece: UTF-16 text at TEXT_AT
    word_len = max(4096, -(-(TEXT_AT + len(encoded)) // SECTOR) * SECTOR)
    table = _pad(_pad(clx, STSH_AT) + STSH, 4096)  # >= 4096 bytes: regular sectors, no mini stream
    fib = _fib(ccp, word_len, len(clx))
    word = _pad(_pad(fib, TEXT_AT) + encoded, word_len)
    # layout: sector 0 FAT, sector 1 directory, then WordDocument, then 1Table
    word_start, word_n = 2, word_len // SECTOR
    table_start, table_n = word_start + word_n, len(table) // SECTOR
    total = table_start + table_n
    if total > SECTOR // 4:
        raise ValueError("text too long for this one-FAT-sector writer")
    fat = [FREE] * (SECTOR // 4)
    fat[0], fat[1] = FAT_SECT, END
    for start, n in ((word_start, word_n), (table_start, table_n)):
        for i in range(n):
            fat[start + i] = start + i + 1 if i < n - 1 else END
    directory = (
        _dir_entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1, END, 0)
        + _dir_entry("WordDocument", 2, 2, NOSTREAM, NOSTREAM, word_start, len(word))
        + _dir_entry("1Table", 2, NOSTREAM, NOSTREAM, NOSTREAM, table_start, len(table))
        + _dir_entry("", 0, 0, 0, 0, 0, 0)
    )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"",
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"",
        0,  # directory sectors (v3: 0)
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,  # mini stream cutoff
        END,  # first mini FAT sector
        0,
        END,  # first DIFAT sector
        0,
    ) + struct.pack("<109I", 0, *([FREE] * 108))
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + word + table
