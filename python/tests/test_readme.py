"""Every Python example of the top-level README runs as written: the ```python blocks are taken
from README.md, the first one (which makes the client `ivs` the others use) run, then each other
one in a copy of what the first defined, with the AWS environment pointing at the embedded
emulator. The one name supplied is `arn` (the error example's channel): the first example's
channel."""

import asyncio
import logging
import re

from conftest import REPO


def python_blocks():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_every_python_example_of_the_readme_runs(emu, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_IVS", emu.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", emu.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", emu.secret_access_key)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    blocks = python_blocks()
    assert len(blocks) >= 6, "the README's Python examples were not found"
    libivs_logger = logging.getLogger("libivs")
    handlers, level = list(libivs_logger.handlers), libivs_logger.level
    first = {"__name__": "readme"}
    ran = []
    try:
        for index, block in enumerate(blocks):
            namespace = first if index == 0 else dict(first)
            exec(compile(block, f"README.md python example {index + 1}", "exec"), namespace)
            if index == 0:
                # The first example defines the asyncio example too: run it.
                asyncio.run(namespace["main"]())
                namespace["arn"] = namespace["created"]["channel"]["arn"]
            ran.append(namespace)
    finally:
        for handler in libivs_logger.handlers[len(handlers):]:
            libivs_logger.removeHandler(handler)
        libivs_logger.setLevel(level)
    # What the examples made is what they say.
    assert first["created"]["channel"]["latencyMode"] == "LOW"
    assert any(isinstance(n.get("everything", {}).get("channels"), list) for n in ran)
    playback = next(n for n in ran if "token" in n)
    assert playback["channel"]["authorized"] is True
    claims = playback["libivs"].verify_playback_token(playback["keys"].public_key_pem, playback["token"])
    assert claims["aws:channel-arn"] == playback["channel"]["arn"]
    assert claims["aws:viewer-id"] == "user-42"
