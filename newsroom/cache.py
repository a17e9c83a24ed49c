"""Django's Redis cache, with one client per connection pool.

Django's ``RedisCache`` builds a new ``redis.Redis`` for every operation,
and redis-py's constructor registers a few hundred response callbacks each
time: about 0.2 ms, more than the round trip itself. A client is thread-safe
and holds no connection of its own (the pool does), so one per pool is kept.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
