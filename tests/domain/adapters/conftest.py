"""A real S3-compatible server for the storage tests: moto's, over HTTP on a free loopback port."""

import uuid

import pytest
from moto.server import ThreadedMotoServer

from domain.adapters.storage import S3Storage
from domain.config import S3Settings


@pytest.fixture(scope='session')
def s3_endpoint():
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f'http://{host}:{port}'
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint) -> S3Settings:
    """A bucket of this test's own, not created yet: the adapter makes it."""
    return S3Settings(
        bucket=f'kinroll-{uuid.uuid4().hex[:12]}',
        endpoint_url=s3_endpoint,
        region='us-east-1',
        access_key_id='test-key',
        secret_access_key='test-secret',
    )


@pytest.fixture
async def s3_storage(s3_settings) -> S3Storage:
    bucket = S3Storage(s3_settings)
    await bucket.ensure_bucket()
    return bucket
