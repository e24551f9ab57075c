"""The run's table of releases read so far answers as a dict would (etl/store/seen.py)."""

from __future__ import annotations

import random

from etl.store.seen import SeenReleases


def test_answers_as_a_dict_through_growth_and_colliding_keys() -> None:
    rng = random.Random(5)
    table, expected = SeenReleases(), {}
    # random ids, ids sharing their low bits (the slot they hash to), and 0, a possible id
    keys = [rng.getrandbits(64) for _ in range(5000)] + [(i << 40) | 7 for i in range(300)] + [0]
    for key in keys:
        if table.get(key) is None:
            digest = rng.getrandbits(64)
            table.add(key, digest)
            expected[key] = digest
    assert len(table) == len(expected)
    assert all(table.get(key) == digest for key, digest in expected.items())
    assert all(table.get(rng.getrandbits(64) | 1 << 63) is None for _ in range(1000))
