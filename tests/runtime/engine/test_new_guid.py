"""Instance and correlation ids: Elsa's 32-hex-digit version-4 GUIDs, from a pooled secure source."""

from __future__ import annotations

import os
import sys
import uuid

import pytest

from runtime.engine.instance import _RandomPool, new_guid


def test_ids_are_version_4_guids_in_elsas_n_format() -> None:
    for _ in range(500):
        guid = new_guid()
        assert len(guid) == 32 and guid == guid.lower()
        parsed = uuid.UUID(hex=guid)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_ids_do_not_repeat_across_many_pool_blocks() -> None:
    ids = [new_guid() for _ in range(20_000)]  # 80 blocks of the pool
    assert len(set(ids)) == len(ids)


def test_the_pool_hands_out_each_byte_once_then_reads_a_new_block() -> None:
    pool = _RandomPool()
    taken = [pool.take(16) for _ in range(pool.BLOCK // 16)]
    assert b"".join(taken) == pool._block
    following = pool.take(16)
    assert following == pool._block[:16] and following not in taken
    assert len(pool.take(pool.BLOCK * 2)) == pool.BLOCK * 2


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs os.fork")
def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    new_guid()  # the parent has a block in use
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.close(read_end)
        os.write(write_end, new_guid().encode())
        os._exit(0)
    os.close(write_end)
    from_child = os.read(read_end, 64).decode()
    os.close(read_end)
    os.waitpid(child, 0)
    assert from_child != new_guid()
