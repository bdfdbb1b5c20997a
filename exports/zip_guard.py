"""The parts of an xlsx file, opened with bounds: no ZIP bomb gets past the counters.

:class:`GuardedZip` checks the ZIP's central directory against :class:`ReadLimits`
before anything is decompressed (declared sizes, their sum, the compression ratio,
encryption, the compression method), then streams a part with its own decompressor
and counters: more output than the part declared, a ratio above the limit, or a bad
CRC stops the read at once with a Vietnamese message. Only the bytes of the part's
compressed data are read, so another reader (python-calamine) that reads the same
compressed bytes gets exactly the text that was checked here.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from exports.errors import SpreadsheetError
from exports.limits import ReadLimits

__all__ = ["CHUNK", "GuardedZip"]

#: Bytes of compressed input read at a time, and of output produced at a time.
CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


class GuardedZip:
    """An xlsx file's ZIP, checked against ``limits`` when opened.

    Raises :class:`SpreadsheetError` (``file.corrupt``, ``file.encrypted``, ``limit.*``).
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | Path, limits: ReadLimits) -> None:
        self.path = Path(path)
        self.limits = limits
        self._file: BinaryIO = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        try:
            self._zip = zipfile.ZipFile(self._file)
            self._infos = {info.filename: info for info in self._zip.infolist()}
            self._check_directory()
        except SpreadsheetError:
            self._file.close()
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                struct.error) as exc:
            self._file.close()
            raise SpreadsheetError("file.corrupt", path=self.path.name) from exc
        self.read_bytes = 0

    def __enter__(self) -> GuardedZip:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def names(self) -> set[str]:
        """The names of the parts."""
        return set(self._infos)

    def size(self, name: str) -> int:
        """The declared uncompressed size of part ``name``."""
        return self._infos[name].file_size

    def _refuse(self, code: str, **values: object) -> SpreadsheetError:
        return SpreadsheetError(code, path=self.path.name, **values)

    def _check_directory(self) -> None:
        limits = self.limits
        if len(self._infos) > limits.max_parts:
            raise self._refuse("limit.parts", count=len(self._infos), limit=limits.max_parts)
        total = 0
        for info in self._infos.values():
            if info.flag_bits & 0x1:
                raise SpreadsheetError("file.encrypted", path=self.path.name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self._refuse("file.corrupt")
            if info.file_size > limits.max_part_bytes:
                raise self._refuse("limit.part_size", part=info.filename[:80],
                                   size=_mb(info.file_size), limit=_mb(limits.max_part_bytes))
            if _ratio_exceeded(info.file_size, info.compress_size, limits):
                raise self._refuse("limit.ratio", part=info.filename[:80],
                                   ratio=info.file_size // max(1, info.compress_size),
                                   limit=limits.max_ratio)
            total += info.file_size
        if total > limits.max_total_bytes:
            raise self._refuse("limit.total_size", size=_mb(total),
                               limit=_mb(limits.max_total_bytes))

    def stream(self, name: str) -> Iterator[bytes]:
        """Yield the uncompressed bytes of part ``name`` in pieces of at most :data:`CHUNK`.

        Stops with :class:`SpreadsheetError` as soon as the part gives more than it
        declared, more than the limits allow in all, or a ratio above the limit; checks
        the CRC at the end.
        """
        info = self._infos[name]
        limits = self.limits
        try:
            self._file.seek(info.header_offset)
            header = self._file.read(_LOCAL_HEADER.size)
            fields = _LOCAL_HEADER.unpack(header)
        except (OSError, struct.error) as exc:
            raise self._refuse("file.corrupt") from exc
        if fields[0] != _LOCAL_SIGNATURE:
            raise self._refuse("file.corrupt")
        name_length, extra_length = fields[9], fields[10]
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        deflated = info.compress_type == zipfile.ZIP_DEFLATED
        decompressor = zlib.decompressobj(-15) if deflated else None
        remaining = info.compress_size
        consumed = produced = 0
        crc = 0
        position = start
        while remaining > 0 or (decompressor is not None and decompressor.unconsumed_tail):
            if decompressor is not None and decompressor.unconsumed_tail:
                data = decompressor.unconsumed_tail
            else:
                self._file.seek(position)
                data = self._file.read(min(CHUNK, remaining))
                if not data:
                    raise self._refuse("file.corrupt")
                position += len(data)
                remaining -= len(data)
                consumed += len(data)
            try:
                out = decompressor.decompress(data, CHUNK) if decompressor is not None else data
            except zlib.error as exc:
                raise self._refuse("file.corrupt") from exc
            if not out:
                if decompressor is not None and decompressor.eof:
                    break
                continue
            produced += len(out)
            self.read_bytes += len(out)
            if produced > info.file_size:
                raise self._refuse("limit.part_declared", part=name[:80],
                                   declared=_mb(info.file_size))
            if self.read_bytes > limits.max_total_bytes:
                raise self._refuse("limit.total_size", size=f"> {_mb(self.read_bytes)}",
                                   limit=_mb(limits.max_total_bytes))
            if _ratio_exceeded(produced, consumed, limits):
                raise self._refuse("limit.ratio", part=name[:80],
                                   ratio=produced // max(1, consumed), limit=limits.max_ratio)
            crc = zlib.crc32(out, crc)
            yield out
        if decompressor is not None and not decompressor.eof:
            raise self._refuse("file.corrupt")
        if produced != info.file_size or crc != info.CRC:
            raise self._refuse("file.corrupt")

    def read(self, name: str, cap: int) -> bytes:
        """The whole of a small part, refused above ``cap`` bytes."""
        if self._infos[name].file_size > cap:
            raise self._refuse("limit.part_size", part=name[:80],
                               size=_mb(self._infos[name].file_size), limit=_mb(cap))
        return b"".join(self.stream(name))


def _ratio_exceeded(size: int, compressed: int, limits: ReadLimits) -> bool:
    return size > limits.ratio_floor and size > limits.max_ratio * max(1, compressed)


def _mb(size: int) -> str:
    """A size for a message: ``"12,3 MB"``, ``"5 KB"`` (Vietnamese decimal comma).

    >>> _mb(1_073_741_824), _mb(5_000)
    ('1 073,7 MB', '5 KB')
    """
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1e6:,.1f} MB".replace(",", " ").replace(".", ",")
