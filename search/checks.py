"""Start-up check: pg_trgm only splits Chinese text into trigrams under a real locale.

Under LC_CTYPE "C" (or "POSIX") PostgreSQL does not count CJK characters as letters, so trigram
indexes hold nothing for them and a search for a three-character word finds nothing fast.
"""

from django.core import checks
from django.db import DatabaseError, connection


@checks.register()
def database_ctype(app_configs=None, **kwargs):
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            row = cursor.fetchone()
    except DatabaseError:
        return []  # no database yet: the service check says so in its own words
    ctype = row[0] if row else ""
    if ctype.upper() not in {"C", "POSIX"}:
        return []
    return [
        checks.Warning(
            f"数据库的 LC_CTYPE 为 {ctype}：全文搜索的三字及以上词语无法使用 pg_trgm 索引。"
            f" The database's LC_CTYPE is {ctype}: pg_trgm cannot index Chinese text.",
            hint="用 C.UTF-8 或 zh_CN.UTF-8 创建数据库，例如 "
            "CREATE DATABASE portal LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0. "
            "Create the database with LC_CTYPE 'C.UTF-8' or 'zh_CN.UTF-8'.",
            id="search.W001",
        )
    ]
