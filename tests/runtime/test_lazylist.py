"""A sequence made when read makes an item once it is read, and only that item."""

from __future__ import annotations

import pytest

from runtime.lazylist import MadeWhenRead


class Squares(MadeWhenRead[int]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.made: list[int] = []

    def __len__(self) -> int:
        return self.size

    def _made(self, index: int) -> int:
        self.made.append(index)
        return index * index


def test_an_item_is_made_when_it_is_read_by_index_slice_or_iteration() -> None:
    squares = Squares(5)
    assert squares[-1] == 16 and squares.made == [4]
    assert squares[1:4:2] == [1, 9] and squares.made == [4, 1, 3]
    assert list(squares) == [0, 1, 4, 9, 16] and len(squares.made) == 8
    assert 9 in squares and squares.index(4) == 2 and list(reversed(squares))[0] == 16
    with pytest.raises(IndexError, match="Squares index out of range"):
        squares[5]
    with pytest.raises(IndexError):
        squares[-6]
