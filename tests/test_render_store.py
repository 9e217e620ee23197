"""The render cache's pack store, on real files: what survives a failed build,
what a second build at the same time gets, compaction, damaged files."""

import hashlib

import pytest

from render_cache.store import Store, StoreBusy, index_keys


def key(n) -> bytes:
    return hashlib.blake2b(str(n).encode(), digest_size=16).digest()


def test_a_failed_build_leaves_the_last_successful_one(tmp_path):
    store = Store(tmp_path)
    store.put(key(1), "Straße – Bürgeramt")
    store.finish()
    store = Store(tmp_path)
    assert store.lookup(key(1)) == "Straße – Bürgeramt"
    store.put(key(2), "aus einem Build, der scheitert")
    store.close()  # no finish(): the build failed
    store = Store(tmp_path)
    assert store.lookup(key(2)) is None
    assert store.lookup(key(1)) == "Straße – Bürgeramt"
    store.finish()
    assert index_keys(tmp_path) == {key(1)}


def test_pages_a_build_did_not_use_are_dropped_and_found_by_binary_search(tmp_path):
    store = Store(tmp_path)
    for n in range(1000):
        store.put(key(n), f"Seite {n}")
    store.finish()
    store = Store(tmp_path)
    assert all(store.lookup(key(n)) == f"Seite {n}" for n in range(0, 1000, 2))
    assert store.lookup(key(5000)) is None
    store.finish()
    assert index_keys(tmp_path) == {key(n) for n in range(0, 1000, 2)}


def test_a_second_build_at_the_same_time_is_refused(tmp_path):
    first = Store(tmp_path)
    with pytest.raises(StoreBusy):
        Store(tmp_path)
    first.close()
    Store(tmp_path).close()


def test_a_mostly_unused_pack_is_compacted(tmp_path):
    body = "x" * 100_000
    for build in range(3):  # every build renders 20 new pages of 100 KB
        store = Store(tmp_path)
        for n in range(20):
            store.put(key((build, n)), body + str(n))
        store.finish()
    packs = sorted(p.name for p in tmp_path.glob("pages-*.pack"))
    assert packs == ["pages-2.pack"]  # 6 MB with 2 MB in use: copied, the old one deleted
    assert (tmp_path / "pages-2.pack").stat().st_size == sum(len(body + str(n)) for n in range(20))
    store = Store(tmp_path)
    assert all(store.lookup(key((2, n))) == body + str(n) for n in range(20))
    assert store.lookup(key((1, 0))) is None
    store.close()


def test_damaged_files_mean_rendering_again(tmp_path, caplog):
    store = Store(tmp_path)
    store.put(key(1), "eins")
    store.put(key(2), "zwei")
    store.finish()
    with open(tmp_path / "pages-1.pack", "r+b") as pack:
        pack.truncate(5)  # e.g. a full disk
    store = Store(tmp_path)
    assert store.lookup(key(1)) == "eins"
    assert store.lookup(key(2)) is None
    store.close()
    (tmp_path / "index").write_bytes(b"kaputt")
    store = Store(tmp_path)
    assert store.lookup(key(1)) is None
    assert "unreadable" in caplog.text
    store.put(key(3), "drei")
    store.finish()
    assert index_keys(tmp_path) == {key(3)}
