"""Fixtures: one embedded emulator for the session (reset before each test), libivs clients on
it, and a boto3 client on the same emulator that knows all 46 operations (botocore's bundled IVS
model lags; AWS_DATA_PATH points it at the project's model)."""

import json
import os
import pathlib
import sys
import subprocess

import pytest

import libivs

REPO = pathlib.Path(__file__).resolve().parents[2]
MODEL = REPO / "model" / "ivs-2020-07-14.json"

# P-384 public keys (public material, no secret) for ImportPlaybackKeyPair.
PUBLIC_KEYS = [
    """-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEjNMFqs3EATXoBc+efteiDCmHVgrJbfW9
5HAaz6zVkbFL7TJ1pPG46Hyt4UuPWztiXMW2hepW2kaeGklW84c1HdmD/zZzR3h/
2aD3nKtpe/OpO3mKrhCDUobTQf49uhjk
-----END PUBLIC KEY-----
""",
    """-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEqooYy30X2z183AjwJDRaqF3H31uCrYQ8
gvSRt6l9hwKH1HaJ0e7aMcEMrkyIMMV9Wb3attQnYoEFD1PMMG8UFCNRKP+Ztw1M
jVw9fEppNJ3B/Z0mU6zdlBASikZ/pIPm
-----END PUBLIC KEY-----
""",
    """-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAESk1Jp4mJQPzvF33ypfBSHZo7nO8ZZFAO
isfFmVM1YMqXeZ2ygh/hp7WVVlKBvDq7Cq4QFtlwr8qJTfb9VBc+wFjPCF4tB+DG
Iqu4shR7RH87PZZt8U1W54jckdnCqn6b
-----END PUBLIC KEY-----
""",
]


@pytest.fixture(scope="session")
def emulator():
    with libivs.Emulator() as emulator:
        yield emulator


@pytest.fixture
def emu(emulator):
    emulator.reset()
    return emulator


@pytest.fixture
def ivs(emu):
    with emu.client() as client:
        yield client


@pytest.fixture(scope="session")
def boto3_data_path(tmp_path_factory):
    """A botocore data directory holding the project's IVS model (all 46 operations)."""
    root = tmp_path_factory.mktemp("botocore-data")
    model = json.loads(MODEL.read_text())
    target = root / "ivs" / "2020-07-14"
    target.mkdir(parents=True)
    paginators = model.pop("paginators")
    (target / "service-2.json").write_text(json.dumps(model))
    (target / "paginators-1.json").write_text(json.dumps({"pagination": paginators}))
    return str(root)


@pytest.fixture
def boto3_ivs(emu, boto3_data_path, monkeypatch):
    boto3 = pytest.importorskip("boto3")
    import botocore.session

    monkeypatch.setenv("AWS_DATA_PATH", boto3_data_path)
    session = boto3.session.Session(botocore_session=botocore.session.get_session())
    client = session.client("ivs", **emu.client_kwargs())
    assert len(client.meta.service_model.operation_names) == 46
    return client


def run_python(code, env=None, timeout=60, **kwargs):
    """Runs `code` in a fresh interpreter with the same libivs; answers the CompletedProcess."""
    full_env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true", **(env or {})}
    # None removes a variable.
    full_env = {k: v for k, v in full_env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )
