#!/usr/bin/env python3
"""Load and hostile-input benchmark of `mcred serve` (issue #14), against `mcred verify` measured in the same run.

Usage: python3 Benchmarks/serve_load.py [MCRED] [--seconds 10] [--connections 32] [--files 2000]
       (MCRED defaults to .build/release/mcred; build it with `swift build -c release` first)

1. Issues FILES micro-credentials (eddsa-jcs-2022, keys-example/; ~3.5 KB without indentation) with
   `mcred issue --learners` and times
   `mcred verify --offline` over all of them (median of 3 runs): the reference rate, in files/s.
2. Starts `mcred serve --port 0 --offline` and runs `wrk -c CONNECTIONS -d SECONDS --latency` (Debian's wrk) with
   POST /v1/verify of one of those credentials. Reports requests/s as a ratio to the reference, the 99th
   percentile latency, non-2xx answers and socket errors, and the server's resident memory (sampled every 0.5 s)
   at the start, its peak and the end. Targets: ≥ 0.8× the reference, p99 ≤ 25 ms, no non-2xx, RSS steady.
3. Hostile input against the same server: 10,000 random byte bodies, deeply nested JSON, 3 MB bodies, and slow
   senders trickling a byte a second (cut off by the read time-out, 10 s by default). Every answer must be a 4xx,
   the server must still answer GET /healthz, and its memory must stay bounded.

Exit status: 0 every target met, 1 some target missed, 2 a step could not run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

KEY = "keys-example/issuer.key.pem"
COURSE = "spec/examples/course.json"


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """Samples a process's resident memory every half second."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.running = pid, [], True

    def run(self) -> None:
        while self.running:
            self.samples.append(rss_kib(self.pid))
            time.sleep(0.5)

    def stop(self) -> list[int]:
        self.running = False
        self.join()
        return self.samples


def issue(mcred: str, folder: str, count: int) -> list[str]:
    csv = os.path.join(folder, "learners.csv")
    with open(csv, "w", encoding="utf-8") as out:
        out.write("name,email,awardedDate\r\n")
        for row in range(count):
            out.write(f"Learner {row},learner{row}@example.org,2026-06-30\r\n")
    out_dir = os.path.join(folder, "credentials")
    subprocess.run([mcred, "issue", "--key", KEY, "--achievement", COURSE, "--learners", csv, "--out-dir", out_dir,
                    "--cryptosuite", "eddsa-jcs-2022", "--created", "2026-06-30T09:00:00Z"],
                   check=True, stdout=subprocess.DEVNULL)
    paths = sorted(os.path.join(out_dir, name) for name in os.listdir(out_dir))
    for path in paths:  # without indentation, as a wallet would send it (the signatures do not depend on it)
        with open(path, encoding="utf-8") as file:
            credential = json.load(file)
        with open(path, "w", encoding="utf-8") as file:
            json.dump(credential, file, ensure_ascii=False, separators=(",", ":"))
    return paths


def verify_rate(mcred: str, files: list[str]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([mcred, "verify", "--offline", "--at", "2027-01-01T00:00:00Z"] + files,
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return len(files) / statistics.median(times)


def start_server(mcred: str) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen([mcred, "serve", "--port", "0", "--offline"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    match = re.search(r":(\d+)/$", line.strip())
    if not match:
        server.kill()
        raise RuntimeError(f"mcred serve did not start: {line!r}")
    return server, int(match.group(1))


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(port: int, body_file: str, seconds: int, connections: int, folder: str) -> dict:
    script = os.path.join(folder, "post.lua")
    with open(script, "w", encoding="utf-8") as out:
        out.write('local f = io.open(os.getenv("MCRED_BODY"), "rb")\n'
                  'wrk.method = "POST"\nwrk.body = f:read("*a")\nf:close()\n'
                  'wrk.headers["Content-Type"] = "application/json"\n')
    environment = dict(os.environ, MCRED_BODY=body_file)
    result = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script,
                             f"http://127.0.0.1:{port}/v1/verify"], check=True, capture_output=True, text=True,
                            env=environment)
    text = result.stdout
    figures = {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p99_ms": milliseconds(re.search(r"\s99%\s+([\d.]+\w+)", text).group(1)),
        "p50_ms": milliseconds(re.search(r"\s50%\s+([\d.]+\w+)", text).group(1)),
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),
        "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0,
        "socket_errors": sum(int(n) for n in m.groups()) if (
            m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)) else 0,
    }
    return figures


def post(connection: http.client.HTTPConnection, path: str, body: bytes) -> int:
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status


def hostile(port: int) -> dict[str, list[int]]:
    statuses: dict[str, list[int]] = {"random": [], "nested": [], "huge": [], "slow": []}
    generator = random.Random(20261205)
    bodies = [generator.randbytes(generator.randint(16, 4096)) for _ in range(10_000)]

    def send_random(part: list[bytes], out: list[int]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for body in part:
            out.append(post(connection, generator.choice(["/v1/verify", "/v1/inspect"]), body))
        connection.close()

    outs = [[] for _ in range(4)]
    threads = [threading.Thread(target=send_random, args=(bodies[i::4], outs[i])) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses["random"] = [status for out in outs for status in out]

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for opener in ["[", '{"a":', '{"a":[']:
        statuses["nested"].append(post(connection, "/v1/verify", (opener * 200_000).encode()))
    for _ in range(5):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            statuses["huge"].append(post(connection, "/v1/verify", b"[" * (3 * 1024 * 1024)))
        except (ConnectionError, http.client.HTTPException):
            statuses["huge"].append(0)  # the server closed before the whole body was sent: no 4xx read
        connection.close()

    def slow(out: list[int]) -> None:
        sock = socket.create_connection(("127.0.0.1", port))
        request = b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        start = time.monotonic()
        try:
            for byte in request:
                sock.sendall(bytes([byte]))
                sock.settimeout(1.0)
                try:
                    if sock.recv(1024) == b"":
                        break
                except socket.timeout:
                    pass
        except OSError:
            pass
        out.append(round(time.monotonic() - start))
        sock.close()

    threads = [threading.Thread(target=slow, args=(statuses["slow"],)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mcred", nargs="?", default=".build/release/mcred")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--files", type=int, default=2000)
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        print("serve_load: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    folder = tempfile.mkdtemp(prefix="mcred-serve-load-")
    ok = True
    try:
        files = issue(arguments.mcred, folder, arguments.files)
        size = os.path.getsize(files[0])
        reference = verify_rate(arguments.mcred, files)
        print(f"mcred verify --offline, {len(files)} files of ~{size} bytes: {reference:.0f} files/s (median of 3)")

        server, port = start_server(arguments.mcred)
        try:
            sampler = Sampler(server.pid)
            sampler.start()
            wrk(port, files[0], 2, arguments.connections, folder)  # warm-up
            load = wrk(port, files[0], arguments.seconds, arguments.connections, folder)
            memory = sampler.stop()
            ratio = load["rate"] / reference
            steady = memory[-1] <= 1.2 * max(memory[len(memory) // 4:len(memory) // 2] or memory)
            print(f"wrk -c {arguments.connections} -d {arguments.seconds}s POST /v1/verify: {load['rate']:.0f} requests/s "
                  f"= {ratio:.2f} × mcred verify (target ≥ 0.8); p50 {load['p50_ms']:.2f} ms, "
                  f"p99 {load['p99_ms']:.2f} ms (target ≤ 25); {load['requests']} requests, "
                  f"{load['non2xx']} non-2xx, {load['socket_errors']} socket errors")
            print(f"server RSS: {memory[0] / 1024:.1f} MB at start, peak {max(memory) / 1024:.1f} MB, "
                  f"{memory[-1] / 1024:.1f} MB at the end ({'steady' if steady else 'GROWING'})")
            ok &= ratio >= 0.8 and load["p99_ms"] <= 25 and load["non2xx"] == 0 and load["socket_errors"] == 0 and steady

            before = rss_kib(server.pid)
            sampler = Sampler(server.pid)
            sampler.start()
            answers = hostile(port)
            memory = sampler.stop()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            alive = connection.getresponse().status == 200 and server.poll() is None
            random_ok = all(400 <= status < 500 for status in answers["random"])
            nested_ok = all(status == 400 for status in answers["nested"])
            huge_ok = all(status in (413, 0) for status in answers["huge"]) and 413 in answers["huge"]
            slow_ok = all(5 <= seconds <= 15 for seconds in answers["slow"])
            bounded = max(memory) <= before + 200 * 1024
            print(f"hostile input: {len(answers['random'])} random bodies → "
                  f"{sorted(set(answers['random']))}; nested → {answers['nested']}; 3 MB → {answers['huge']}; "
                  f"slow senders cut off after {answers['slow']} s")
            print(f"  server still up: {alive}; RSS {before / 1024:.1f} MB before, peak {max(memory) / 1024:.1f} MB "
                  f"({'bounded' if bounded else 'UNBOUNDED'})")
            ok &= random_ok and nested_ok and huge_ok and slow_ok and alive and bounded
        finally:
            server.terminate()
            server.wait(timeout=15)
    except (OSError, subprocess.CalledProcessError, RuntimeError) as error:
        print(f"serve_load: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("every target met" if ok else "SOME TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
