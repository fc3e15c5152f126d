#!/usr/bin/env python3
"""Times `mcred revoke` + `mcred status publish` on a register whose lists are full (issue #12, item 4).

Usage: python3 spec/tools/register_timing.py [MCRED] [RUNS]   (default .build/release/mcred, 10 runs)

Makes a register with `mcred register init` (list size 131,072), fills one revocation and one suspension list
with 131,072 made-up credential rows through Python's sqlite3 (issuing that many through the CLI would take
minutes), then, RUNS times, revokes one credential and publishes both lists, timing each command from process
start to exit. Prints the median and the worst of each and of the pair.
"""
import os, random, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

MCRED = sys.argv[1] if len(sys.argv) > 1 else ".build/release/mcred"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
KEY = "keys-example/issuer.key.pem"
ISSUER = "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"
SIZE = 131072

folder = tempfile.mkdtemp(prefix="mcred-register-timing-")
register = os.path.join(folder, "awards.db")
subprocess.run([MCRED, "register", "init", register, "--status-base-url", "https://uni.example/status"], check=True)
db = sqlite3.connect(register)
now = "2026-01-01T00:00:00Z"
db.execute("UPDATE settings SET issuer = ?", (ISSUER,))
db.execute("INSERT INTO status_lists VALUES (1, 'https://uni.example/status/1', 'revocation', ?, ?)", (SIZE, now))
db.execute("INSERT INTO status_lists VALUES (2, 'https://uni.example/status/2', 'suspension', ?, ?)", (SIZE, now))
revocation, suspension = list(range(SIZE)), list(range(SIZE))
random.shuffle(revocation)
random.shuffle(suspension)
db.executemany(
    "INSERT INTO credentials VALUES (?, ?, ?, NULL, ?, 1, ?, 2, ?, 'issued')",
    ((f"urn:test:{i}", ISSUER, "0" * 64, now, revocation[i], suspension[i]) for i in range(SIZE)))
db.commit()
db.close()

def timed(arguments):
    start = time.perf_counter()
    subprocess.run([MCRED] + arguments, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

revoke, publish = [], []
for run in range(RUNS):
    revoke.append(timed(["revoke", "--register", register, f"urn:test:{run * 997}", "--reason", "timing"]))
    publish.append(timed(["status", "publish", "--register", register, "--key", KEY, "--out-dir", os.path.join(folder, "lists")]))
pairs = [a + b for a, b in zip(revoke, publish)]
for name, values in [("revoke", revoke), ("status publish (2 lists)", publish), ("revoke + publish", pairs)]:
    print(f"{name:26} median {statistics.median(values):6.1f} ms   worst {max(values):6.1f} ms   ({RUNS} runs)")
print(f"list files: {sorted(os.listdir(os.path.join(folder, 'lists')))}, "
      f"{os.path.getsize(os.path.join(folder, 'lists', '1'))} bytes each (about)")
shutil.rmtree(folder)
