"""The boto3 drop-in promise: botocore's Config and exception classes, ProfileNotFound at client
creation, PageIterator.search, and one version everywhere."""

import asyncio
import importlib.metadata

import pytest

import libivs
from conftest import run_python

botocore_config = pytest.importorskip("botocore.config")
import botocore.exceptions  # noqa: E402


def test_a_botocore_config_is_mapped(emu):
    config = botocore_config.Config(
        region_name="us-west-2",
        retries={"max_attempts": 2, "mode": "adaptive"},
        connect_timeout=4,
        read_timeout=9,
        user_agent_appid="dropin-test",
        parameter_validation=False,
    )
    ivs = libivs.client("ivs", endpoint_url=emu.url, aws_access_key_id="test",
                        aws_secret_access_key="test", config=config)
    described = ivs._inner.describe()
    assert ivs.meta.region_name == "us-west-2"
    assert described["max_attempts"] == 3  # botocore's max_attempts counts retries
    assert described["retry_mode"] == "adaptive"
    assert (described["connect_timeout"], described["read_timeout"]) == (4, 9)
    assert described["validate_input"] is False
    assert ivs.list_channels()["ResponseMetadata"]["HTTPStatusCode"] == 200
    total = emu.client(config=botocore_config.Config(retries={"total_max_attempts": 5}))
    assert total._inner.describe()["max_attempts"] == 5


def test_botocore_options_libivs_does_not_implement_are_refused_by_name(emu):
    config = botocore_config.Config(proxies={"https": "http://proxy:3128"}, read_timeout=3,
                                    max_pool_connections=4)
    with pytest.raises(libivs.ConfigError) as caught:
        emu.client(config=config)
    assert "max_pool_connections, proxies" in str(caught.value)
    assert "read_timeout" not in str(caught.value).split("(")[0]
    with pytest.raises(TypeError, match="botocore.config.Config"):
        emu.client(config={"read_timeout": 3})


def test_boto3_except_clauses_catch_libivs_errors(emu, ivs):
    missing = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        ivs.get_channel(arn=missing)
    assert isinstance(caught.value, libivs.exceptions.ResourceNotFoundException)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.operation_name == "GetChannel"
    with pytest.raises(botocore.exceptions.ParamValidationError):
        ivs.get_channel()
    with pytest.raises(botocore.exceptions.OperationNotPageableError):
        ivs.get_paginator("get_channel")
    with pytest.raises(botocore.exceptions.UnknownServiceError):
        libivs.client("s3")
    for libivs_class, botocore_class in [
        (libivs.NoCredentialsError, botocore.exceptions.NoCredentialsError),
        (libivs.NoRegionError, botocore.exceptions.NoRegionError),
        (libivs.EndpointConnectionError, botocore.exceptions.EndpointConnectionError),
        (libivs.ProfileNotFound, botocore.exceptions.ProfileNotFound),
    ]:
        assert issubclass(libivs_class, botocore_class)
        assert issubclass(libivs_class, libivs.IvsError)


def test_without_botocore_the_classes_stand_alone():
    # A finder that hides botocore: libivs imports and its errors have only libivs's bases.
    result = run_python(
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'botocore' or name.startswith('botocore.'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "import libivs\n"
        "print([c.__module__ for c in libivs.ClientError.__mro__ if c.__module__.startswith('boto')])\n"
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_a_missing_profile_raises_profile_not_found_at_client_creation(tmp_path):
    # Passes once the core raises the config error ProfileNotFound from Client::new.
    config_file = tmp_path / "config"
    config_file.write_text("[profile present]\nregion = us-west-2\n")
    result = run_python(
        "import botocore.exceptions, libivs\n"
        "try:\n"
        "    libivs.Session(profile_name='absent', region_name='us-west-2').client('ivs')\n"
        "except botocore.exceptions.ProfileNotFound as e:\n"
        "    print(type(e).__name__, isinstance(e, libivs.ConfigError))\n",
        env={"AWS_CONFIG_FILE": str(config_file),
             "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
             "AWS_PROFILE": None, "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
    )
    assert result.stdout.strip() == "ProfileNotFound True", result.stderr


def test_page_iterator_search(emu, ivs):
    for name in ("alpha", "beta", "gamma"):
        ivs.create_channel(name=name)
    pages = ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2})
    assert sorted(pages.search("channels[].name")) == ["alpha", "beta", "gamma"]
    # A non-list result is yielded once per page (boto3's behaviour).
    assert len(list(pages.search("length(channels)"))) == 2
    assert sum(pages.search("length(channels)")) == 3


def test_async_page_iterator_search(emu):
    async def main():
        async with libivs.async_client("ivs", **emu.client_kwargs()) as ivs:
            await ivs.create_channel(name="async-search")
            pages = ivs.get_paginator("list_channels").paginate()
            return [name async for name in pages.search("channels[].name")]

    assert asyncio.run(main()) == ["async-search"]


def test_one_version():
    assert libivs.__version__ == importlib.metadata.version("libivs")
