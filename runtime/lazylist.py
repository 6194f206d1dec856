"""Sequences whose items are made when first read: what a run keeps per step is cheaper than what it shows.

The journal (:class:`runtime.engine.instance.Journal`) and the history's kept events
(:class:`runtime.history.record.KeptEvents`) keep each step as the engine had it, and most of those are never
read; a subclass says how many items it holds (``__len__``) and how to make one (:meth:`_made`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class MadeWhenRead(Sequence[T]):
    """A read-only sequence over :meth:`_made`: indexing (negative too), slices and iteration."""

    __slots__ = ()

    def __len__(self) -> int:
        raise NotImplementedError

    def _made(self, index: int) -> T:
        """Item ``index`` (0 <= index < len), made if it is not yet."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        size = len(self)
        if isinstance(index, slice):
            return [self._made(i) for i in range(*index.indices(size))]
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._made(index)

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self)):
            yield self._made(index)
