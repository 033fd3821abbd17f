"""Where files are kept is read from the environment: a folder unless PORTAL_S3_BUCKET names a bucket."""

import pytest

from domain.config import Config, ConfigError, S3Settings

KEYS = {'PORTAL_S3_ACCESS_KEY_ID': 'AKIAEXAMPLE', 'PORTAL_S3_SECRET_ACCESS_KEY': 'very-secret'}


def test_without_a_bucket_files_stay_in_the_data_folder():
    assert Config.from_env(demo=True, env={}).storage is None
    assert S3Settings.from_env(KEYS) is None  # keys alone choose nothing


def test_a_bucket_with_its_keys_chooses_s3_in_the_default_region():
    settings = Config.from_env(demo=True, env={'PORTAL_S3_BUCKET': 'studio-files', **KEYS}).storage
    assert settings == S3Settings('studio-files', '', 'us-east-1', 'AKIAEXAMPLE', 'very-secret')
    assert 'very-secret' not in repr(settings)  # a logged config does not give the key away


def test_an_s3_compatible_server_and_region_are_read():
    env = {
        'PORTAL_S3_BUCKET': 'studio-files',
        'PORTAL_S3_ENDPOINT_URL': 'https://minio.internal:9000/',
        'PORTAL_S3_REGION': 'eu-central-1',
        **KEYS,
    }
    settings = S3Settings.from_env(env)
    assert settings is not None
    assert (settings.endpoint_url, settings.region) == ('https://minio.internal:9000', 'eu-central-1')


@pytest.mark.parametrize('left_out', sorted(KEYS))
def test_a_bucket_without_a_key_refuses_to_start_and_names_it(left_out):
    env = {'PORTAL_S3_BUCKET': 'studio-files', **KEYS}
    del env[left_out]
    with pytest.raises(ConfigError, match=f'PORTAL_S3_BUCKET is set.*needs {left_out}'):
        Config.from_env(demo=True, env=env)


def test_a_bucket_without_either_key_names_both():
    with pytest.raises(ConfigError, match='PORTAL_S3_ACCESS_KEY_ID and PORTAL_S3_SECRET_ACCESS_KEY'):
        S3Settings.from_env({'PORTAL_S3_BUCKET': 'studio-files'})


@pytest.mark.parametrize('name', ['Studio_Files', 'ab', 'files/photos', '-studio'])
def test_a_name_that_cannot_be_a_bucket_is_refused(name):
    with pytest.raises(ConfigError, match='PORTAL_S3_BUCKET'):
        S3Settings.from_env({'PORTAL_S3_BUCKET': name, **KEYS})
