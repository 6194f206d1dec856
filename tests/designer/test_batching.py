"""The one thread-to-GUI helper: items posted from any thread arrive in order, in batches, on the GUI
thread; ``max_batch`` slices a flood; ``flush`` delivers everything at once."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from designer.batching import GuiBatcher


def test_items_posted_from_threads_arrive_in_order_on_the_gui_thread_in_batches(qtbot) -> None:
    batcher = GuiBatcher()
    received: list[object] = []
    threads: list[QThread] = []

    def take(batch: list[object]) -> None:
        threads.append(QThread.currentThread())
        received.extend(batch)

    batcher.delivered.connect(take)
    worker = threading.Thread(target=lambda: [batcher.post(n) for n in range(1000)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(received) == 1000)
    assert received == list(range(1000))
    assert all(thread is batcher.thread() for thread in threads)
    assert len(threads) < 10, "one wake-up per burst, not one per item"


def test_max_batch_slices_a_flood_and_flush_delivers_everything_now(qtbot) -> None:
    batcher = GuiBatcher(max_batch=100)
    sizes: list[int] = []
    batcher.delivered.connect(lambda batch: sizes.append(len(batch)))
    for n in range(250):
        batcher.post(n)
    qtbot.waitUntil(lambda: sum(sizes) == 250)
    assert sizes == [100, 100, 50]
    sizes.clear()
    for n in range(30):
        batcher.post(n)
    batcher.flush()
    assert sizes == [30], "flush does not wait for the event loop"
    qtbot.wait(20)
    assert sizes == [30], "nothing is delivered twice"
    batcher.post("after a flush")
    qtbot.waitUntil(lambda: sizes == [30, 1])
