"""Race tests' harness: calls run in threads of their own, each with its own database connection, started
together (tests/*/test_concurrency.py; tests/test_guards.py says how each race test is proven)."""

import threading
import time

from django.db import close_old_connections, connection


def run_together(*calls, stagger=0.0):
    """Runs each call in its own thread, started together by a barrier (or each ``stagger`` seconds after the
    previous one); returns what each returned or raised, in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            time.sleep(index * stagger)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 -- the test inspects what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert not any(thread.is_alive() for thread in threads)
    return results


def meeting_point(parties, timeout=0.5):
    """A place where concurrent writers wait for each other inside their critical section, after their checks and
    before their write: without the guard, every writer gets there and all have checked before any writes, so the
    race happens whatever the machine's load (a sleep only makes it likely). Under the guard the writers cannot all
    get there (the lock holds them back): the first waits ``timeout`` seconds, then everyone goes on at once."""
    barrier = threading.Barrier(parties)

    def meet():
        try:
            barrier.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            pass

    return meet
