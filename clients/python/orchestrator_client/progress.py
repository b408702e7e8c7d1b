"""Progress for uploads and waits: tqdm when installed (and wanted), else one plain line on stderr; nothing when quiet."""
from __future__ import annotations

import sys
import time


def _tqdm():
    try:
        from tqdm import tqdm
        return tqdm
    except ImportError:
        return None


class Progress:
    """`update(n)` advances by n, `set(n, total, text)` jumps there; `close()` ends the line. Plain mode rewrites one
    line on a terminal and, elsewhere (CI logs), prints a line at most every `every` seconds and at the end."""

    def __init__(self, total: float | None = None, desc: str = "", unit: str = "it", *, quiet: bool = False,
                 use_tqdm: bool | None = None, stream=None, every: float = 5.0):
        self.quiet = quiet
        self.total = total
        self.n = 0
        self.desc = desc
        self.unit = unit
        self.text = ""
        self.stream = stream or sys.stderr
        self.every = every
        self._last_print = 0.0
        self._last_line = ""
        self._bar = None
        self._tqdm = _tqdm() if use_tqdm is not False and not quiet else None

    def _open_bar(self):
        """The tqdm bar, made at the first update (so a wait shows its total from the start, not "0it")."""
        if self._bar is None and self._tqdm is not None:
            scale = self.unit == "B"
            terminal = hasattr(self.stream, "isatty") and self.stream.isatty()
            self._bar = self._tqdm(total=self.total, desc=self.desc, unit=self.unit, unit_scale=scale,
                                   unit_divisor=1024 if scale else 1000, file=self.stream, leave=True,
                                   dynamic_ncols=True, mininterval=0.1 if terminal else self.every)
        return self._bar

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def update(self, n: float) -> None:
        self.set(self.n + n)

    def set(self, n: float, total: float | None = None, text: str | None = None) -> None:
        if total is not None:
            self.total = total
        if text is not None:
            self.text = text
        delta, self.n = n - self.n, n
        if self.quiet:
            return
        if self._open_bar() is not None:
            if total is not None and self._bar.total != total:
                self._bar.total = total
                self._bar.refresh()
            if text is not None:
                self._bar.set_postfix_str(text, refresh=False)
            self._bar.update(delta)
            return
        self._plain()

    def _format(self) -> str:
        def amount(v):
            if self.unit != "B":
                return f"{v:g}"
            for suffix in ("B", "KiB", "MiB", "GiB"):
                if v < 1024 or suffix == "GiB":
                    return f"{v:.0f} {suffix}" if suffix == "B" else f"{v:.1f} {suffix}"
                v /= 1024
        part = amount(self.n) + (f"/{amount(self.total)}" if self.total else "")
        if self.total:
            part += f" ({100 * self.n / self.total:.0f}%)"
        line = f"{self.desc}: {part}" if self.desc else part
        return f"{line} {self.text}".rstrip()

    def _plain(self, final: bool = False) -> None:
        line = self._format()
        if self.stream.isatty() if hasattr(self.stream, "isatty") else False:
            self.stream.write("\r" + line.ljust(len(self._last_line)))
            if final:
                self.stream.write("\n")
            self.stream.flush()
            self._last_line = line
            return
        now = time.monotonic()
        if line != self._last_line and (final or now - self._last_print >= self.every):
            self.stream.write(line + "\n")
            self.stream.flush()
            self._last_print, self._last_line = now, line

    def close(self) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._tqdm is None:
            self._plain(final=True)
        self.quiet = True
