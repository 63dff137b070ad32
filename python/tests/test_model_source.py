"""The imported model (model/ivs-2020-07-14.json) against botocore's IVS model, member for member.

The model is botocore 1.44.8's `service-2.json` without its documentation prose
(`cargo run -p xtask -- import-model model/botocore-1.44.8/ivs/2020-07-14`; model/README.md).
That file is kept, as botocore ships it, in model/botocore-1.44.8/, and botocore itself loads and
parses it here: every shape, member, type, location and locationName (header-bound members
included), required list, enum, min/max/pattern and every operation must agree, documentation
aside. When the installed botocore is that version, its own bundled file must also be the kept one.
"""

import pathlib

import pytest

botocore = pytest.importorskip("botocore")
from botocore.loaders import Loader  # noqa: E402
from botocore.model import ServiceModel  # noqa: E402

from conftest import MODEL, REPO  # noqa: E402

SOURCE_VERSION = "1.44.8"
SOURCE = REPO / "model" / f"botocore-{SOURCE_VERSION}"
#: Paginators aws-sdk-ivs generates that botocore's paginators-1.json lacks (added by the import).
EXTRA_PAGINATORS = {"ListPlaybackRestrictionPolicies", "ListStreamSessions"}


def load(data_dir, kind):
    loader = Loader(extra_search_paths=[str(data_dir)], include_default_search_paths=False)
    return loader.load_service_model("ivs", kind, "2020-07-14")


def without_docs(value):
    if isinstance(value, dict):
        return {k: without_docs(v) for k, v in value.items()
                if k not in ("documentation", "documentationUrl")}
    if isinstance(value, list):
        return [without_docs(v) for v in value]
    return value


def differences(ours, theirs, path=""):
    """Every path at which two JSON values differ (a missing key names the side lacking it)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found = []
        for key in sorted(set(ours) | set(theirs)):
            where = f"{path}.{key}" if path else key
            if key not in ours:
                found.append(f"{where}: missing from the imported model")
            elif key not in theirs:
                found.append(f"{where}: not in botocore's model")
            else:
                found.extend(differences(ours[key], theirs[key], where))
        return found
    if ours != theirs:
        return [f"{path}: {ours!r} != botocore's {theirs!r}"]
    return []


@pytest.fixture(scope="module")
def models():
    import json

    ours = json.loads(MODEL.read_text())
    return ours, load(SOURCE, "service-2"), load(SOURCE, "paginators-1")


def test_every_shape_member_and_operation_is_botocores(models):
    ours, theirs, _ = models
    service = {k: v for k, v in ours.items() if k != "paginators"}
    reference = without_docs({k: theirs[k] for k in ("metadata", "operations", "shapes")})
    assert differences(service, reference) == []


def test_botocore_reads_both_alike(models):
    """Through botocore's own parser: what boto3 makes of each shape and operation."""
    ours, theirs, _ = models
    mine, botos = ServiceModel(ours), ServiceModel(theirs)
    assert sorted(mine.shape_names) == sorted(botos.shape_names)
    assert sorted(mine.operation_names) == sorted(botos.operation_names)
    seen = []
    for name in botos.shape_names:
        a, b = mine.shape_for(name), botos.shape_for(name)
        assert a.type_name == b.type_name, name
        meta_a = {k: v for k, v in a.metadata.items() if k != "documentation"}
        meta_b = {k: v for k, v in b.metadata.items() if k != "documentation"}
        assert meta_a == meta_b, name  # required, enum, min, max, pattern, sensitive, error...
        members_a = getattr(a, "members", {})
        members_b = getattr(b, "members", {})
        assert list(members_a) == list(members_b), name
        for member, spec in members_b.items():
            assert members_a[member].name == spec.name, f"{name}.{member}"
            assert members_a[member].serialization == spec.serialization, f"{name}.{member}"
            if spec.serialization.get("location") == "header":
                seen.append(f"{name}.{member}")
    for name in botos.operation_names:
        a, b = mine.operation_model(name), botos.operation_model(name)
        assert a.http == b.http, name
        for side in ("input_shape", "output_shape"):
            sa, sb = getattr(a, side), getattr(b, side)
            assert (sa and sa.name) == (sb and sb.name), f"{name} {side}"
        assert [e.name for e in a.error_shapes] == [e.name for e in b.error_shapes], name
    # The header-bound members the first import dropped: 7 on each batch output, 8 on each error.
    assert len([m for m in seen if m.endswith("Response." + m.split(".")[-1])]) == 21
    assert len(seen) == 21 + 8 * len([n for n in botos.shape_names
                                      if botos.shape_for(n).metadata.get("exception")])


def test_paginators_are_botocores_plus_the_rust_sdks_two(models):
    ours, _, paginators = models
    theirs = paginators["pagination"]
    assert {k: v for k, v in ours["paginators"].items() if k in theirs} == theirs
    assert set(ours["paginators"]) - set(theirs) == EXTRA_PAGINATORS


def test_the_kept_source_is_botocores_own_file():
    """Where the installed botocore is the version imported, it ships the very file kept here."""
    if botocore.__version__ != SOURCE_VERSION:
        pytest.skip(f"botocore {botocore.__version__} installed; the model is {SOURCE_VERSION}'s")
    bundled = pathlib.Path(botocore.__file__).parent / "data"
    for kind in ("service-2", "paginators-1"):
        assert load(bundled, kind) == load(SOURCE, kind), kind
