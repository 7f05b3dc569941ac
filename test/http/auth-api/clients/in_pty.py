"""Runs a command in a pseudo-terminal, as a person at a terminal would, and answers its prompts.

Used by test/http/auth-api/login-duo.test.ts to drive Debian's login_duo unchanged. Arguments: the
command and its arguments. The environment variable PTY_ANSWERS holds a JSON list of
[pattern, answer] pairs: when what the terminal showed since the last answer matches a pattern (a Python regular expression),
the answer and a newline are typed, and the next pair is awaited. Prints one JSON object:
{"exit": <exit status>, "output": <everything the terminal showed>}.
"""
import json
import os
import pty
import re
import select
import sys

answers = json.loads(os.environ.get("PTY_ANSWERS", "[]"))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

output = b""
answered_at = 0
pending = list(answers)
while True:
    readable, _, _ = select.select([fd], [], [])
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    output += chunk
    # Each pattern is looked for in what the terminal showed since the last answer.
    if pending and re.search(pending[0][0], output[answered_at:].decode("utf-8", "replace")):
        os.write(fd, (pending.pop(0)[1] + "\n").encode())
        answered_at = len(output)

_, status = os.waitpid(pid, 0)
print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "output": output.decode("utf-8", "replace")}))
