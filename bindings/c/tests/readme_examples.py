"""Writes each C and C++ example of README.md as a program that runs it as written, for
`make test-c` to compile and run: the example's statements go into `main`, after an embedded
emulator is started and the AWS environment pointed at it; its function definitions and
includes stay at file scope. An example that uses `client` or `error` without declaring them
gets them as the README's first C example makes them (`ivs_client_new` from the environment).

Usage: python3 readme_examples.py README.md <out dir>   (prints the files written)"""

import pathlib
import re
import sys

FENCE = re.compile(r"^( *)```(c|cpp)\n(.*?)^\1```", re.S | re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)

PRELUDE = """\
    ivs_emulator *readme_emulator = NULL;
    ivs_error *readme_error = NULL;
    if (ivs_emulator_start(NULL, &readme_emulator, &readme_error) != IVS_OK) {
        fprintf(stderr, "emulator: %s\\n", ivs_error_message(readme_error));
        return 2;
    }
    setenv("AWS_ENDPOINT_URL_IVS", ivs_emulator_url(readme_emulator), 1);
    setenv("AWS_ACCESS_KEY_ID", "test", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
    setenv("AWS_REGION", "us-west-2", 1);
"""


def split(body):
    """(file-scope lines, statement lines): includes, and definitions from a `static` line at
    column 0 to the next `}` at column 0."""
    outer, inner, in_definition = [], [], False
    for line in body.splitlines():
        if line.startswith("#include") or in_definition or line.startswith("static "):
            outer.append(line)
            if line.startswith("static "):
                in_definition = not line.rstrip().endswith(";")
            elif in_definition and line.startswith("}"):
                in_definition = False
        else:
            inner.append(line)
    return outer, inner


def program(language, body):
    outer, inner = split(body)
    code = COMMENT.sub("", "\n".join(inner))
    declares = lambda name: re.search(rf"\*\s*{name}\s*=|\b{name}\s*\(|::\w+\s+{name}\b", code)
    setup = []
    if re.search(r"\berror\b", code) and not declares("error"):
        setup.append("    ivs_error *error = NULL;")
    if re.search(r"\bclient\b", code) and not declares("client"):
        setup.append("    ivs_client *client = ivs_client_new(NULL, &error);")
        setup.append('    if (!client) { fprintf(stderr, "client: %s\\n", ivs_error_message(error)); return 2; }')
    header = '#include "ivs.hpp"' if language == "cpp" else '#include "ivs.h"'
    lines = ["#include <stdio.h>", "#include <stdlib.h>", header, *outer, ""]
    lines.append("int main(void) {" if language == "c" else "int main() {")
    lines.append(PRELUDE.rstrip("\n"))
    lines.extend(setup)
    lines.append("    {")
    lines.extend("        " + line if line else "" for line in inner)
    lines.append("    }")
    if any("ivs_client *client = ivs_client_new(NULL" in line for line in setup):
        lines.append("    ivs_client_free(client);")
    lines.append("    ivs_emulator_stop(readme_emulator);")
    lines.append('    puts("readme example: ok");')
    lines.append("    return 0;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    readme, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    examples = FENCE.findall(readme.read_text(encoding="utf-8"))
    if len(examples) < 4:
        sys.exit(f"{readme}: the C and C++ examples were not found")
    for number, (indent, language, body) in enumerate(examples, 1):
        body = "\n".join(line[len(indent):] for line in body.splitlines())
        path = out / f"readme_{number}.{language}"
        path.write_text(program(language, body), encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
