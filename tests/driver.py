"""The Python face's driver of the cross-language suite (tests/run_cross.py runs it).

Usage: driver.py <emulator URL>. Reads one step a line on stdin,
``<OperationName> <snake_name> <request JSON>``, calls ``client.<snake_name>(**request)`` on a
``libivs.client("ivs", ...)``, and writes one line a step: ``{"ok": <response>}`` (datetimes as
``{"$timestamp": "<ISO-8601>"}``, so the runner can tell them from strings) or
``{"error": {...}}`` with the exception's code, kind, status, message and retryable flag. The
runner resolves references, normalises and compares; this only translates.
"""

import datetime
import json
import sys
from typing import Any, Dict

import libivs


def tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"$timestamp": value.isoformat()}
    raise TypeError(f"libivs returned a {type(value).__name__}, which JSON cannot hold")


def run_step(client: libivs.IVSClient, snake_name: str, request: Dict[str, Any]) -> Dict[str, Any]:
    method = getattr(client, snake_name, None)
    if method is None:
        return {"error": {"code": "MissingMethod", "kind": "driver", "message": snake_name}}
    try:
        return {"ok": method(**request)}
    except libivs.IvsError as error:
        return {
            "error": {
                "code": error.code,
                "kind": error.kind,
                "status": error.http_status,
                "message": error.message,
                "retryable": error.retryable,
            }
        }


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: driver.py <emulator URL>", file=sys.stderr)
        return 2
    # The emulator's default region and the only credentials it accepts.
    with libivs.client(
        "ivs",
        region_name="us-west-2",
        endpoint_url=sys.argv[1],
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ) as client:
        for line in sys.stdin:
            _operation, snake_name, request = line.rstrip("\n").split(" ", 2)
            result = run_step(client, snake_name, json.loads(request))
            print(json.dumps(result, default=tagged), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
