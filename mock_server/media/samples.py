"""Small, real files of common types, made from a value: what a binary answer carries.

A frontend that shows an `image/png` download needs bytes an `<img>` can draw, and an SDK that
saves a PDF needs a PDF. Each file is built from the value the generator (or an example) gave, so
the same value gives the same bytes and different values give different files. Built with the
standard library only (zlib, zipfile, wave); no file is read from disk.
"""

from __future__ import annotations

import hashlib
import io
import struct
import wave
import zipfile
import zlib
from collections.abc import Callable

PNG_SIZE = 8  # pixels a side


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def png(text: str) -> bytes:
    """An 8×8 RGB image in two colours drawn from the value: a checkerboard, visibly an image."""
    digest = _digest(text)
    first, second = digest[0:3], digest[3:6]
    rows = b"".join(
        b"\x00" + b"".join(first if (x + y) % 2 == 0 else second for x in range(PNG_SIZE)) for y in range(PNG_SIZE)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", PNG_SIZE, PNG_SIZE, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def gif(text: str) -> bytes:
    """A 1×1 GIF whose one colour comes from the value."""
    colour = _digest(text)[0:3]
    return (
        b"GIF89a" + struct.pack("<HH", 1, 1) + b"\x80\x00\x00" + colour + b"\x00\x00\x00"
        + b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x00"
        + b"\x02\x02\x44\x01\x00" + b"\x3b"
    )


# A 1×1 grey baseline JPEG (JFIF): quantisation table, Huffman tables and one block coding a flat
# 8×8. The value goes in a comment segment (COM), which every decoder skips.
_JPEG_HEAD = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000"
    "ffdb004300" + "01" * 64
    + "ffc0000b080001000101011100"
    "ffc4001f0000010501010101010100000000000000000102030405060708090a0b"
    "ffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433"
    "627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a"
    "838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2"
    "e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"
)
_JPEG_SCAN = bytes.fromhex("ffda0008010100003f00" "2b" "ffd9")  # DC 0 (mid grey), then end of block


def jpeg(text: str) -> bytes:
    comment = text.encode("utf-8")[:60000]
    return _JPEG_HEAD + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + _JPEG_SCAN


def pdf(text: str) -> bytes:
    """A one-page PDF that shows the value as a line of text (offsets in its xref table exact)."""
    line = "".join(ch for ch in text if 32 <= ord(ch) < 127).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 720 Td ({line[:200]}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def zip_file(text: str) -> bytes:
    """A ZIP archive holding `content.txt` with the value (a fixed date: same value, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("content.txt", date_time=(2024, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def wav(text: str) -> bytes:
    """A tenth of a second of 8 kHz mono sound whose samples come from the value."""
    buffer = io.BytesIO()
    digest = _digest(text)
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(8000)
        sound.writeframes(bytes(digest[i % len(digest)] for i in range(800)))
    return buffer.getvalue()


# Media type → (what its files start with, how to make one).
SAMPLES: dict[str, tuple[bytes, Callable[[str], bytes]]] = {
    "image/png": (b"\x89PNG", png),
    "image/gif": (b"GIF8", gif),
    "image/jpeg": (b"\xff\xd8\xff", jpeg),
    "image/jpg": (b"\xff\xd8\xff", jpeg),
    "application/pdf": (b"%PDF-", pdf),
    "application/zip": (b"PK\x03\x04", zip_file),
    "audio/wav": (b"RIFF", wav),
    "audio/x-wav": (b"RIFF", wav),
}
# What a range (`image/*`) is answered with: a type within it that has a sample.
FOR_RANGE = {"image/*": "image/png", "audio/*": "audio/wav"}


def sample(media_type: str, value: str | bytes) -> bytes | None:
    """A file of `media_type` made from `value`; `value` itself when it already is one; None when
    the type has no sample (the caller sends the value's bytes)."""
    known = SAMPLES.get(media_type)
    if known is None:
        return None
    magic, make = known
    data = value.encode("utf-8") if isinstance(value, str) else value
    if data.startswith(magic):
        return data
    return make(value if isinstance(value, str) else value.hex())
