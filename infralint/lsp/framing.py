"""The base protocol's framing (``Content-Length: N``, a blank line, N bytes
of JSON) read from a byte stream that may be damaged.

pygls reads a header line at a time and trusts the length it finds: after
one bad frame (``Content-Length: abc``, a negative length, a length shorter
or longer than the body) the next header is read as part of a body, and
every later message is lost. Here a frame that cannot be read is logged
with its reason and skipped, and reading starts again at the next
``Content-Length`` header found after the bad frame's start. A raw CR LF CR
LF cannot occur inside a JSON text's strings (they escape line breaks), so a
header block found that way belongs to a real frame, not to the text of a
document.

No pygls here: the reader runs before the server's imports are done.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator, Union

# The start of a frame: the header's name, anywhere (after garbage too).
_FRAME_START = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_DIGITS = re.compile(rb"[0-9]{1,12}")

# A header block longer than this is garbage, not a header.
MAX_HEADER_BYTES = 16 * 1024
# A larger body is refused (its length is taken as damaged): no editor
# sends a buffer this size, and reading it would hold the memory.
MAX_BODY_BYTES = 256 * 1024 * 1024
READ_SIZE = 1 << 16


class FrameError:
    """A frame that was skipped, and why (for the log)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"FrameError({self.reason!r})"


# What the reader yields: a decoded JSON message, or a skipped frame.
Frame = Union[Any, FrameError]


class FrameReader:
    """Frames from ``read(n)`` (returns at most n bytes, b"" at the end)."""

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self._read = read
        self._buffer = bytearray()
        self._ended = False
        # Bytes dropped since the last frame that were not blank.
        self._skipped = 0
        # After a bad frame: the bytes up to the next header are its own.
        self._resynchronising = False

    def frames(self) -> Iterator[Frame]:
        """Each message in order, and a FrameError for each frame skipped;
        ends with the stream (after a FrameError when it ends inside a frame)."""
        while True:
            start = self._next_frame_start()
            if self._skipped and not self._resynchronising:
                yield FrameError(f"{self._skipped} bytes that are not a message")
            self._skipped, self._resynchronising = 0, False
            if start is None:
                return
            del self._buffer[:start]
            header_end = self._find_header_end()
            if header_end is None:
                if self._ended:
                    if self._buffer.strip():
                        yield FrameError("the stream ended inside a header")
                    return
                # No header end within the limit: skip this "header".
                yield FrameError(f"a header longer than {MAX_HEADER_BYTES} bytes")
                self._resynchronise()
                continue
            block_end, body_start = header_end
            length = _content_length(bytes(self._buffer[:block_end]))
            if isinstance(length, FrameError):
                yield length
                self._resynchronise()
                continue
            if not self._fill(body_start + length):
                # The length may be the damaged part: frames after it are read.
                yield FrameError(f"the stream ended inside a body ({len(self._buffer) - body_start} of {length} bytes)")
                self._resynchronise()
                continue
            body = bytes(self._buffer[body_start : body_start + length])
            try:
                message = json.loads(body)
            except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
                yield FrameError(f"a body of {length} bytes that is not JSON ({_short(error)}): wrong Content-Length?")
                self._resynchronise()
                continue
            del self._buffer[: body_start + length]
            yield message

    # Buffer ---------------------------------------------------------------
    def _more(self, wanted: int = READ_SIZE) -> bool:
        if self._ended:
            return False
        data = self._read(max(wanted, READ_SIZE))
        if not data:
            self._ended = True
            return False
        self._buffer += data
        return True

    def _fill(self, size: int) -> bool:
        while len(self._buffer) < size:
            if not self._more(size - len(self._buffer)):
                return False
        return True

    def _next_frame_start(self) -> "int | None":
        """Where the next header starts in the buffer, reading as needed;
        bytes before it are garbage. None at the end of the stream."""
        while True:
            found = _FRAME_START.search(self._buffer)
            if found is not None:
                self._drop(found.start())
                return 0
            # Keep a tail that may be the start of a header name.
            self._drop(max(0, len(self._buffer) - len(b"content-length:")))
            if not self._more():
                self._drop(len(self._buffer))
                return None

    def _resynchronise(self) -> None:
        """Look for the next header after the start of the bad frame."""
        del self._buffer[:1]
        self._resynchronising = True

    def _drop(self, size: int) -> None:
        dropped = bytes(self._buffer[:size])
        if dropped.strip():
            self._skipped += size
        del self._buffer[:size]

    def _find_header_end(self) -> "tuple[int, int] | None":
        while True:
            found = _HEADER_END.search(self._buffer, 0, MAX_HEADER_BYTES)
            if found is not None:
                return found.start(), found.end()
            if len(self._buffer) >= MAX_HEADER_BYTES or not self._more():
                return None


def _content_length(header: bytes) -> "int | FrameError":
    found = _CONTENT_LENGTH.search(header)
    if found is None:  # the block starts with the name: cannot happen, kept for safety
        return FrameError("a header without Content-Length")
    value = found.group(1)
    if not _DIGITS.fullmatch(value):
        shown = value[:40].decode("ascii", "backslashreplace")
        return FrameError(f"Content-Length {shown!r} is not a byte count")
    length = int(value)
    if length > MAX_BODY_BYTES:
        return FrameError(f"Content-Length {length} is over the limit of {MAX_BODY_BYTES} bytes")
    return length


def _short(error: BaseException) -> str:
    return str(error).split("\n", 1)[0][:80]


def encode_frame(message: Any) -> bytes:
    """A message as the base protocol frames it (ASCII JSON, so the length
    in bytes is the length in characters)."""
    body = json.dumps(message, separators=(",", ":")).encode("ascii")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
