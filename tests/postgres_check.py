"""Is the PostgreSQL server for the second test pass reachable? Prints why not, for `make test`."""

import asyncio
import os
import sys

URL = os.environ.get('KINROLL_TEST_POSTGRES_URL', 'postgres://postgres@127.0.0.1:5432').rstrip('/')


async def reachable() -> str | None:
    try:
        import asyncpg

        connection = await asyncio.wait_for(asyncpg.connect(URL + '/postgres'), timeout=5)
        await connection.close()
    except Exception as exc:
        return f'{type(exc).__name__}: {exc}'
    return None


if __name__ == '__main__':
    reason = asyncio.run(reachable())
    if reason:
        print(f'PostgreSQL pass skipped: no server at {URL} ({reason}).', file=sys.stderr)
        sys.exit(2 if os.environ.get('KINROLL_REQUIRE_POSTGRES') else 1)
