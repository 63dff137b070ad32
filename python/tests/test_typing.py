"""The generated stubs: mypy knows every method, argument, response field and enum."""

import pathlib
import shutil
import subprocess
import sys

import pytest

GOOD = '''
import asyncio
import datetime
import libivs
from libivs.type_defs import ChannelLatencyModeType, GetChannelResponseTypeDef

ivs = libivs.client("ivs", region_name="us-west-2", config=libivs.Config(retries={"max_attempts": 3}))
mode: ChannelLatencyModeType = "LOW"
created = ivs.create_channel(name="x", latencyMode=mode, tags={"a": "b"})
arn: str = created["channel"]["arn"]
got: GetChannelResponseTypeDef = ivs.get_channel(arn=arn)
status: int = got["ResponseMetadata"]["HTTPStatusCode"]
for page in ivs.get_paginator("list_channels").paginate(PaginationConfig={"PageSize": 2}):
    names = [c["name"] for c in page["channels"]]
for item in ivs.get_paginator("list_streams").paginate().items():
    started: datetime.datetime = item["startTime"]
try:
    ivs.delete_channel(arn=arn)
except ivs.exceptions.ConflictException as error:
    code: str = error.response["Error"]["Code"]
except libivs.ClientError:
    pass

async def main() -> None:
    async with libivs.async_client("ivs", region_name="us-west-2") as aivs:
        channel = (await aivs.get_channel(arn="x"))["channel"]
        async for p in aivs.get_paginator("list_channels").paginate():
            print(p["channels"], channel["latencyMode"])

with libivs.Emulator() as emulator:
    emulator.start_stream("sk")
'''

BAD = '''
import libivs
ivs = libivs.client("ivs", region_name="us-west-2")
ivs.create_channel(name="x", latencyMode="FAST")
ivs.get_channel(arnn="x")
ivs.get_channel()
x: int = ivs.get_channel(arn="x")["channel"]["name"]
ivs.get_paginator("list_channels").paginate(maxResults=3)
ivs.get_paginator("get_channel")
'''


def mypy(tmp_path, source):
    script = tmp_path / "script.py"
    script.write_text(source)
    package_root = pathlib.Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(script)],
        capture_output=True, text=True, cwd=package_root, timeout=300,
    )
    return result.returncode, result.stdout


@pytest.fixture(scope="module")
def has_mypy():
    pytest.importorskip("mypy")


def test_typed_code_checks_clean(tmp_path, has_mypy):
    code, out = mypy(tmp_path, GOOD)
    assert code == 0, out


def test_mistakes_are_caught(tmp_path, has_mypy):
    code, out = mypy(tmp_path, BAD)
    assert code == 1
    for line in (4, 5, 6, 7, 8, 9):
        assert f"script.py:{line}:" in out, out
