"""The cross-language suite: one scenario (tests/scenario.json) through all 46 IVS operations,
driven from C, Python and Node against one emulator.

The runner starts one ``ivs-emulator`` on a free loopback port and, for each face in turn, resets
the emulator (``POST /_emulator/reset``) and feeds that face's driver (tests/driver.c,
tests/driver.py, tests/driver.mjs) the scenario one step a line, resolving each step's
``${step.path}`` references against that face's own earlier outputs. The drivers only translate;
normalising and comparing happen here, once, so the three faces are judged by the same rule:

* a success becomes ``{"status": <HTTP status>, "output": ...}`` without the face's metadata
  envelope (``ResponseMetadata`` in C and Python, ``$metadata`` in Node); a failure becomes
  ``{"error": {"code", "kind", "status", "message", "retryable"}}``;
* timestamps become ``"<timestamp>"``, but only in each face's own form: ISO-8601 strings from C,
  ``datetime`` from Python and ``Date`` from Node (which the drivers tag as ``{"$timestamp"}``),
  so a face handing back a string where it owes a date object still shows up as a difference;
* values the emulator makes up (resource ids, stream ids, stream-key values, hosts, SRT
  passphrases, request ids) become placeholders numbered by first appearance (``<id:3>``), so
  "the ARN GetChannel returns is the one CreateChannel made" is still compared.

Each face step must meet the scenario's ``expect`` (``ok`` or an error code) in every face, and
the three normalised results must be equal. Every operation of the generated table
(crates/model/src/operations.rs) must appear in the scenario. The last line is
``N passed, N failed``; the normalised results are written to ``--out``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import re
import selectors
import subprocess
import sys
import time
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "scenario.json"
OPERATION_TABLE = ROOT / "crates" / "model" / "src" / "operations.rs"
MODEL = ROOT / "model" / "ivs-2020-07-14.json"
# Generous bounds: a step is one loopback call; the emulator starts in well under a second.
STEP_TIMEOUT_SECONDS = 60.0
START_TIMEOUT_SECONDS = 30.0
FACES = ("c", "python", "node")

# Values the emulator draws at random, by pattern (group 1, or the whole match, is the value).
VOLATILE_PATTERNS: List[Tuple[str, "re.Pattern[str]"]] = [
    ("id", re.compile(r"arn:aws:ivs:[a-z0-9-]+:\d{12}:[a-z-]+/([A-Za-z0-9]+)")),
    ("stream", re.compile(r"\bst-[A-Za-z0-9]{23}\b")),
    ("stream-key", re.compile(r"\bsk_[a-z0-9-]+_[A-Za-z0-9]{12}_[A-Za-z0-9]{30}\b")),
    # The first label of a hostname (not the account id inside a playback URL's path).
    ("host", re.compile(r"(?:(?<=//)|^)[0-9a-f]{12}(?=\.)")),
    ("request", re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")),
]
# Members whose whole value is drawn at random.
VOLATILE_MEMBERS = {"passphrase": "secret"}
REFERENCE = re.compile(r"\$\{([^}]+)\}")


class ScenarioError(Exception):
    """The scenario itself is wrong (a bad reference, an unknown operation)."""


def operation_table() -> Dict[str, str]:
    """The generated table's operations: PascalCase name -> snake_case name."""
    text = OPERATION_TABLE.read_text()
    pairs = re.findall(r'name: "(\w+)",\s*snake_name: "(\w+)"', text)
    if not pairs:
        raise ScenarioError(f"no operations found in {OPERATION_TABLE}")
    return dict(pairs)


def timestamp_members() -> set[str]:
    """Names of every structure member whose shape is a timestamp, from the model."""
    shapes = json.loads(MODEL.read_text())["shapes"]
    return {
        member
        for shape in shapes.values()
        if shape["type"] == "structure"
        for member, target in shape["members"].items()
        if shapes[target["shape"]]["type"] == "timestamp"
    }


# ---------------------------------------------------------------------------------------------
# References


def lookup(outputs: Dict[str, Any], reference: str) -> Any:
    step_id, *path = reference.split(".")
    if step_id not in outputs:
        raise ScenarioError(f"${{{reference}}}: step {step_id!r} has no output (it failed or is later)")
    value = outputs[step_id]
    for segment in path:
        try:
            value = value[int(segment)] if isinstance(value, list) else value[segment]
        except (KeyError, IndexError, ValueError, TypeError):
            raise ScenarioError(f"${{{reference}}}: no {segment!r} in step {step_id!r}'s output") from None
    return value


def resolve(value: Any, outputs: Dict[str, Any]) -> Any:
    """``value`` with every ``${step.path}`` replaced: a whole-string reference by the value
    itself (any JSON type), a reference inside a longer string by its text."""
    if isinstance(value, dict):
        return {key: resolve(item, outputs) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, outputs) for item in value]
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            return lookup(outputs, whole.group(1))
        return REFERENCE.sub(lambda match: str(lookup(outputs, match.group(1))), value)
    return value


# ---------------------------------------------------------------------------------------------
# Normalisation


def parses_as_iso8601(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


class Normaliser:
    """Turns one face's raw step results into comparable ones; placeholders are numbered per
    face, in the order the values first appear (objects are walked in sorted key order, so
    member order does not matter)."""

    def __init__(self, face: str, timestamps: set[str]) -> None:
        self.face = face
        self.timestamps = timestamps
        self.placeholders: Dict[str, str] = {}
        self.counts: Dict[str, int] = {}
        self.known: Optional["re.Pattern[str]"] = None

    def placeholder(self, kind: str, value: str) -> None:
        if value not in self.placeholders:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.placeholders[value] = f"<{kind}:{self.counts[kind]}>"
            by_length = sorted(self.placeholders, key=len, reverse=True)
            self.known = re.compile("|".join(re.escape(token) for token in by_length))

    def text(self, value: str) -> str:
        for kind, pattern in VOLATILE_PATTERNS:
            for match in pattern.finditer(value):
                self.placeholder(kind, match.group(1) if pattern.groups else match.group(0))
        if self.known is None:
            return value
        return self.known.sub(lambda match: self.placeholders[match.group(0)], value)

    def timestamp(self, value: Any) -> Any:
        """``"<timestamp>"`` for this face's own form of a timestamp; anything else unchanged."""
        if self.face == "c":
            native = value if isinstance(value, str) else None
        else:
            native = value.get("$timestamp") if isinstance(value, dict) and len(value) == 1 else None
        return "<timestamp>" if parses_as_iso8601(native) else self.value(value)

    def value(self, value: Any, member: Optional[str] = None) -> Any:
        if member in self.timestamps:
            return self.timestamp(value)
        if member in VOLATILE_MEMBERS and isinstance(value, str):
            self.placeholder(VOLATILE_MEMBERS[member], value)
        if isinstance(value, dict):
            return {key: self.value(value[key], key) for key in sorted(value)}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def result(self, raw: Dict[str, Any]) -> Dict[str, Any]:
        """One step's driver line, as ``{"status", "output"}`` or ``{"error"}``."""
        if "not_run" in raw:
            return raw
        if "ok" in raw:
            output = dict(raw["ok"])
            if self.face == "node":
                status = output.pop("$metadata", {}).get("httpStatusCode")
            else:
                status = output.pop("ResponseMetadata", {}).get("HTTPStatusCode")
            return {"status": status, "output": self.value(output)}
        if self.face == "c":
            wire = raw.get("error") or {}
            error = {
                "code": wire.get("Error", {}).get("Code"),
                "kind": raw.get("kind"),
                # 0 is the C face's "no HTTP status" (nothing was sent).
                "status": wire.get("ResponseMetadata", {}).get("HTTPStatusCode") or None,
                "message": wire.get("Error", {}).get("Message"),
                "retryable": wire.get("Error", {}).get("Retryable"),
            }
        else:
            error = {key: raw["error"].get(key) for key in ("code", "kind", "status", "message", "retryable")}
        return {"error": self.value(error)}


# ---------------------------------------------------------------------------------------------
# Running


class Emulator:
    """One ``ivs-emulator`` process on a free loopback port."""

    def __init__(self, binary: str) -> None:
        self.process = subprocess.Popen(
            [binary, "--host", "127.0.0.1", "--port", "0", "--worker-threads", "1",
             # Free ingest ports, and the embedded emulators' instant lifecycles: the scenario
             # stops a stream and deletes its channel at once.
             "--rtmp-port", "0", "--rtmps-port", "0",
             "--stream-end-delay-ms", "0", "--recording-configuration-delay-ms", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = read_line(self.process, START_TIMEOUT_SECONDS) or ""
        match = re.search(r"(http://\S+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"ivs-emulator did not say where it listens: {line!r}")
        self.url = match.group(1)

    def control(self, route: str, body: Dict[str, Any]) -> Any:
        request = urllib.request.Request(
            f"{self.url}/_emulator/{route}",
            data=json.dumps(body).encode(),
            headers={"content-type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=STEP_TIMEOUT_SECONDS) as response:
            return json.loads(response.read() or b"{}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# The emulator steps a scenario may hold: action -> control route.
EMULATOR_ACTIONS = {"start_stream": "streams", "stop_stream": "streams/stop"}


def read_line(process: "subprocess.Popen[str]", timeout: float) -> Optional[str]:
    """The next line of ``process``'s stdout, or None at its end or after ``timeout`` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return None
    line = process.stdout.readline()
    return line or None


def run_face(
    face: str, command: List[str], emulator: Emulator, steps: List[Dict[str, Any]], snake: Dict[str, str]
) -> Tuple[Dict[str, Dict[str, Any]], Optional[str]]:
    """The raw results of one face by step id, and why its driver stopped early or failed (None
    when it did not). Once the driver has stopped, the remaining steps are ``{"not_run"}``."""
    emulator.control("reset", {})
    driver = subprocess.Popen(command + [emulator.url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert driver.stdin is not None
    outputs: Dict[str, Any] = {}
    results: Dict[str, Dict[str, Any]] = {}
    stopped: Optional[str] = None
    for step in steps:
        if stopped:
            results[step["id"]] = {"not_run": stopped}
            continue
        try:
            request = resolve(step["input"], outputs)
        except ScenarioError as problem:
            results[step["id"]] = {"not_run": str(problem)}
            continue
        if "emulator" in step:
            try:
                outputs[step["id"]] = emulator.control(EMULATOR_ACTIONS[step["emulator"]], request)
            except OSError as problem:
                results[step["id"]] = {"not_run": f"the emulator refused {step['emulator']}: {problem}"}
            continue
        operation = step["operation"]
        started = time.monotonic()
        try:
            driver.stdin.write(f"{operation} {snake[operation]} {json.dumps(request)}\n")
            driver.stdin.flush()
            line = read_line(driver, STEP_TIMEOUT_SECONDS)
        except BrokenPipeError:
            line = None
        if line is None:
            stopped = (
                f"the {face} driver gave no answer to step {step['id']} within "
                f"{time.monotonic() - started:.0f} s (exit status {driver.poll()})"
            )
            results[step["id"]] = {"not_run": stopped}
            continue
        raw = json.loads(line)
        results[step["id"]] = raw
        if "ok" in raw:
            outputs[step["id"]] = raw["ok"]
    try:
        driver.stdin.close()
    except BrokenPipeError:
        pass
    try:
        status = driver.wait(timeout=STEP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        driver.kill()
        status = driver.wait()
    if not stopped and status != 0:
        stopped = f"the {face} driver exited with status {status}"
    return results, stopped


def first_difference(left: Any, right: Any, path: str = "") -> Optional[str]:
    """Where two normalised results first differ, and how."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                side = "first" if key not in left else "second"
                return f"{path}.{key}: missing from the {side}"
            found = first_difference(left[key], right[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items against {len(right)}"
        for index, (a, b) in enumerate(zip(left, right)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    if left != right:
        return f"{path or '.'}: {json.dumps(left)} against {json.dumps(right)}"
    return None


def outcome(result: Dict[str, Any]) -> str:
    if "not_run" in result:
        return "not run"
    if "error" in result:
        return str(result["error"].get("code"))
    return "ok"


def check_coverage(steps: List[Dict[str, Any]], table: Dict[str, str]) -> List[str]:
    """Problems with the scenario's operations against the generated table."""
    used = {step["operation"] for step in steps if "operation" in step}
    problems = [f"{name} is not in the scenario" for name in sorted(set(table) - used)]
    problems += [f"{name} is not an IVS operation" for name in sorted(used - set(table))]
    return problems


def compare(
    steps: List[Dict[str, Any]], normalised: Dict[str, Dict[str, Dict[str, Any]]], report: Callable[[bool, str], None]
) -> None:
    for step in steps:
        if "emulator" in step:
            continue
        step_id, expected = step["id"], step["expect"]
        results = {face: normalised[face][step_id] for face in normalised}
        problems = [
            f"{face}: expected {expected}, got {outcome(result)}"
            + (f" ({result.get('error', {}).get('message') or result.get('not_run')})" if "output" not in result else "")
            for face, result in results.items()
            if outcome(result) != expected
        ]
        faces = list(results)
        for other in faces[1:]:
            difference = first_difference(results[faces[0]], results[other])
            if difference:
                problems.append(f"{faces[0]} and {other} differ at {difference}")
        label = f"{step_id} ({step['operation']} -> {expected})"
        report(not problems, label + "".join(f"\n    {problem}" for problem in problems))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emulator", required=True, help="the ivs-emulator binary")
    parser.add_argument("--c-driver", required=True, help="tests/driver.c, built against libivs.so")
    parser.add_argument("--python", required=True, help="a Python with libivs installed")
    parser.add_argument("--node", default="node", help="the node binary")
    parser.add_argument("--out", required=True, help="directory for each face's normalised results")
    parser.add_argument("--faces", default=",".join(FACES), help="faces to run (default: all three)")
    arguments = parser.parse_args()

    scenario = json.loads(SCENARIO.read_text())
    steps = scenario["steps"]
    table = operation_table()
    timestamps = timestamp_members()
    tally = {True: 0, False: 0}

    def report(passed: bool, label: str) -> None:
        tally[passed] += 1
        print(f"{'ok' if passed else 'FAILED'} - {label}", flush=True)

    coverage = check_coverage(steps, table)
    report(not coverage, f"the scenario covers all {len(table)} operations" + "".join(f"\n    {p}" for p in coverage))

    commands = {
        "c": [arguments.c_driver],
        "python": [arguments.python, str(ROOT / "tests" / "driver.py")],
        "node": [arguments.node, str(ROOT / "tests" / "driver.mjs")],
    }
    out = pathlib.Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(arguments.emulator)
    normalised: Dict[str, Dict[str, Dict[str, Any]]] = {}
    try:
        for face in arguments.faces.split(","):
            raw, stopped = run_face(face, commands[face], emulator, steps, table)
            report(not stopped, f"the {face} driver ran every step" + (f"\n    {stopped}" if stopped else ""))
            normaliser = Normaliser(face, timestamps)
            normalised[face] = {step_id: normaliser.result(result) for step_id, result in raw.items()}
            (out / f"{face}.json").write_text(json.dumps(normalised[face], indent=2) + "\n")
    finally:
        emulator.stop()
    compare(steps, normalised, report)
    print(f"{tally[True]} passed, {tally[False]} failed")
    return 0 if tally[False] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
