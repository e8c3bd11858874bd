"""The Redis cache keeps one client per server (common/redis_cache.py) and still answers as
Django's backend does, from several threads at once."""

import threading

from django.core.cache import caches

from common.redis_cache import SharedClientRedisCache


def test_the_default_cache_shares_one_client_and_round_trips_values():
    cache = caches["default"]
    assert isinstance(cache, SharedClientRedisCache)
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    cache.set_many({"redis-cache-test:a": {"x": 1}, "redis-cache-test:b": 7}, 30)
    assert cache.get_many(["redis-cache-test:a", "redis-cache-test:b"]) == {
        "redis-cache-test:a": {"x": 1},
        "redis-cache-test:b": 7,
    }
    assert cache.incr("redis-cache-test:b") == 8
    cache.delete_many(["redis-cache-test:a", "redis-cache-test:b"])
    assert cache.get("redis-cache-test:a") is None


def test_threads_sharing_the_client_read_their_own_values():
    cache = caches["default"]
    errors = []

    def work(n):
        try:
            for i in range(50):
                key = f"redis-cache-test:t{n}:{i}"
                cache.set(key, (n, i), 30)
                if cache.get(key) != (n, i):
                    errors.append((n, i))
                cache.delete(key)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
