"""The releases a run has read so far, by id, with the first 64 bits of their content hash.

A run over a million releases must tell the second copy of a release from the first. A dict of Python ints
holds about 130 bytes per release (132 MB at a million, measured); this open-addressing table holds 16 to 32
bytes per release in two flat arrays of unsigned 64-bit integers. Release ids are hex digests (etl/inputs/readers.py),
so their low bits are already uniform and index the table directly.
"""

from __future__ import annotations

from array import array


class SeenReleases:
    """release id (as an unsigned 64-bit integer) -> digest, insert and look up only."""

    _MIN_SLOTS = 1 << 10

    def __init__(self) -> None:
        self._keys = array("Q", bytes(8 * self._MIN_SLOTS))
        self._digests = array("Q", bytes(8 * self._MIN_SLOTS))
        self._used = bytearray(self._MIN_SLOTS)  # 1 where a slot holds an entry (0 is a possible key)
        self._mask = self._MIN_SLOTS - 1
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def get(self, key: int) -> int | None:
        """The digest stored for `key`, or None."""
        keys, used, mask = self._keys, self._used, self._mask
        slot = key & mask
        while used[slot]:
            if keys[slot] == key:
                return self._digests[slot]
            slot = (slot + 1) & mask
        return None

    def add(self, key: int, digest: int) -> None:
        """Store `digest` for `key`, which must not be stored yet (`get` says)."""
        if 2 * (self._count + 1) > len(self._used):  # at most half full, so probes stay short
            self._grow()
        self._put(key, digest)
        self._count += 1

    def _put(self, key: int, digest: int) -> None:
        keys, used, mask = self._keys, self._used, self._mask
        slot = key & mask
        while used[slot]:
            slot = (slot + 1) & mask
        keys[slot] = key
        self._digests[slot] = digest
        used[slot] = 1

    def _grow(self) -> None:
        """Twice the slots, entries moved one by one (no list of them: that would cost what the table saves)."""
        keys, digests, used = self._keys, self._digests, self._used
        slots = 2 * len(used)
        self._keys = array("Q", bytes(8 * slots))
        self._digests = array("Q", bytes(8 * slots))
        self._used = bytearray(slots)
        self._mask = slots - 1
        slot = used.find(1)
        while slot >= 0:
            self._put(keys[slot], digests[slot])
            slot = used.find(1, slot + 1)
