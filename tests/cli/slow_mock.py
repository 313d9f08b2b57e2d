#!/usr/bin/env python3
"""A vod-mock slow to start, for conform run --mock --mock-binary: it writes its fixtures file
at once (vod-mock writes it before it listens), then waits SLOW_MOCK_SECONDS (default 30)
before it becomes the real vod-mock, $VOD_MOCK. Ctrl-C to conform meanwhile must stop it and
remove the file."""
import os
import sys
import time

args = sys.argv[1:]
with open(args[args.index("--fixtures-out") + 1], "w") as out:
    out.write('{"project_id": "p", "assets": {}}\n')
time.sleep(float(os.environ.get("SLOW_MOCK_SECONDS", "30")))
os.execv(os.environ["VOD_MOCK"], [os.environ["VOD_MOCK"]] + args)
