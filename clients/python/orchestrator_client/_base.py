"""What every result shares: parsing from the API's JSON (tolerant: unknown fields stay in `raw`, missing ones are
None), attribute access by snake_case name, item access by the API's own name, and `to_frame()` for tables."""
from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, ClassVar, Iterable


def pandas_or_none():
    try:
        import pandas  # noqa: F401
        return pandas
    except ImportError:
        return None


def _convert(spec: tuple, value: Any) -> Any:
    if value is None:
        return None
    kind = spec[0]
    try:
        if kind == "model":
            return parse(spec[1], value)
        if kind == "list":
            return [_convert(spec[1], v) for v in value] if isinstance(value, list) else value
        if kind == "dict":
            return {k: _convert(spec[1], v) for k, v in value.items()} if isinstance(value, dict) else value
        if kind == "int":
            return value if isinstance(value, int) else int(value)
        if kind == "float":
            return float(value)
        if kind == "datetime":
            return datetime.fromisoformat(value) if isinstance(value, str) else value
    except (TypeError, ValueError):
        return value
    return value


def parse(schema: str, data: Any) -> Any:
    """The JSON `data` as the dataclass of schema `schema` (a union picks the variant whose required fields it has)."""
    from ._generated import MODELS, UNIONS
    if not isinstance(data, dict):
        return data
    if schema in UNIONS:
        variants = UNIONS[schema]
        chosen = next((v for v in variants if all(r in data for r in v._required)), variants[0])
        return chosen.from_json(data)
    return MODELS[schema].from_json(data)


@dataclasses.dataclass(repr=False)
class Model:
    """Base of the result dataclasses. `raw` keeps the JSON as received."""
    _fields: ClassVar[dict] = {}
    _required: ClassVar[tuple] = ()
    _frame_of: ClassVar[str | None] = None

    @classmethod
    def from_json(cls, data: dict):
        values = {py: _convert(spec, data.get(json_name)) for py, (json_name, spec) in cls._fields.items()}
        obj = cls(**values)
        object.__setattr__(obj, "raw", data)
        return obj

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def to_dict(self) -> dict:
        """The JSON object as the API answered it."""
        return getattr(self, "raw", None) or {
            json_name: getattr(self, py) for py, (json_name, _) in self._fields.items()}

    def __repr__(self) -> str:
        shown = []
        for py in self._fields:
            value = getattr(self, py)
            if value is None or isinstance(value, (list, dict, Model)):
                continue
            shown.append(f"{py}={value!r}")
            if len(shown) == 6:
                break
        return f"{type(self).__name__}({', '.join(shown)})"

    def table(self) -> list:
        """The items of the table this result holds (`to_frame()` without pandas)."""
        if not self._frame_of:
            raise TypeError(f"{type(self).__name__} holds no table")
        return list(getattr(self, self._frame_of) or [])

    def to_frame(self):
        """A pandas DataFrame of the table this result holds (nested fields flattened: `metrics.microAccuracy`), or the
        list of dataclasses when pandas is not installed."""
        return to_frame(self.table())


def _row(item: Any) -> Any:
    return item.to_dict() if isinstance(item, Model) else item


def to_frame(items: Iterable, extra: dict | None = None):
    """Items (dataclasses or dicts) as a DataFrame when pandas is installed, else the list itself."""
    items = list(items)
    pd = pandas_or_none()
    if pd is None:
        return items
    frame = pd.json_normalize([_row(i) for i in items]) if items else pd.DataFrame()
    first = items[0] if items else None
    if isinstance(first, Model):
        for py, (json_name, spec) in first._fields.items():
            if spec == ("datetime",) and json_name in frame.columns:
                frame[json_name] = pd.to_datetime(frame[json_name], errors="coerce", utc=True)
    return frame


class MonitoringFrames:
    """`to_frame()` of the monitoring view: one row per window and feature (long form, ready to plot or pivot), with the
    window's start and end; `windows_frame()` one row per window."""

    def table(self) -> list:
        rows = []
        windows = self.windows or []
        for feature, points in (self.series or {}).items():
            for window, point in zip(windows, points):
                row = {"feature": feature, "windowStart": window.window_start, "windowEnd": window.window_end}
                row.update(_row(point) if point is not None else {"score": None})
                rows.append(row)
        return rows

    def to_frame(self):
        pd = pandas_or_none()
        rows = self.table()
        if pd is None:
            return rows
        frame = pd.DataFrame(rows)
        for column in ("windowStart", "windowEnd"):
            if column in frame.columns:
                frame[column] = pd.to_datetime(frame[column], utc=True)
        return frame

    def windows_frame(self):
        return to_frame(self.windows or [])


class MonitoringReportFrames:
    """`to_frame()` of one monitoring report: its per-feature drift."""

    def table(self) -> list:
        return list((self.drift.features if self.drift else None) or [])

    def to_frame(self):
        return to_frame(self.table())
