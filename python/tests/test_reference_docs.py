"""Reference docs generated from the model: every operation's docstring (at run time, so
`help(client.create_channel)` shows it, and in client.pyi, which editors show) names each
parameter's type, whether it is required, its constraints and enum values, the errors and the
AWS API Reference page."""

import ast
import inspect
import pathlib
import pydoc

import libivs
from libivs._operations import OPERATIONS

STUB = pathlib.Path(libivs.__file__).parent / "client.pyi"
URL = "https://docs.aws.amazon.com/ivs/latest/LowLatencyAPIReference/API_{}.html"


def test_help_shows_parameters_constraints_errors_and_the_reference_page(emu):
    with emu.client() as ivs:
        # Words as shown, whatever the wrapping.
        text = " ".join(pydoc.render_doc(ivs.create_channel, renderer=pydoc.plaintext).split())
    assert "Creates a new channel and an associated stream key" in text
    assert "name (string, optional; length 0-128; pattern [a-zA-Z0-9-_]*): Channel name." in text
    assert 'latencyMode (string, optional; one of "NORMAL", "LOW")' in text
    assert "tags (map of string to string, optional; length 0-50)" in text
    assert "CreateChannelResponseTypeDef" in text
    assert "ServiceQuotaExceededException" in text and "ValidationException" in text
    assert URL.format("CreateChannel") in text
    required = " ".join(pydoc.render_doc(libivs.IVSClient.get_channel, renderer=pydoc.plaintext).split())
    assert "arn (string, required; length 1-128; pattern" in required


def test_every_method_sync_async_and_stub_is_documented():
    stub = ast.parse(STUB.read_text())
    stub_docs = {
        (cls.name, fn.name): ast.get_docstring(fn)
        for cls in stub.body if isinstance(cls, ast.ClassDef)
        for fn in cls.body if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    for snake, name in OPERATIONS.items():
        for cls in (libivs.IVSClient, libivs.AsyncIVSClient):
            doc = getattr(cls, snake).__doc__
            assert URL.format(name) in doc, (cls, snake)
            assert f"IVS ``{name}``" in doc, (cls, snake)
            # The stub (what editors show) holds the same text.
            assert stub_docs[(cls.__name__, snake)] == inspect.cleandoc(doc), (cls, snake)
