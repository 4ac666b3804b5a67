#!/usr/bin/env python3
"""Measures how fast `kiln serve` starts: process start to the first answer of GET /, and to the first
answer of a request that needs the database (GET /v3/admin/volumes), over several starts.

    python3 eng/start-time.py                        # ./kiln's built executable, 15 starts each way
    python3 eng/start-time.py --runs 5 --kiln PATH   # another executable

Two ways: "fresh" starts in a new data directory (the database is created and migrated in the
background), "again" restarts on the data directory of a previous start (the usual case). Build first
(`./kiln --help` builds when the sources changed). CPU time (user + system) is printed too: on a busy
machine it says more than the wall time. Polls with a connection every 2 ms from this one
process rather than a curl per attempt, whose process starts would take CPU from the server.
Needs 127.0.0.1:8776 free.
"""
import argparse
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_KILN = os.path.join(ROOT, "src/Kiln/bin/Release/kiln/kiln")


def answer(path):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", 8776, timeout=5)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return None


def cpu_ms(pid):
    """CPU time (user + system) the process has used so far, in ms."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def start(kiln, directory):
    """Starts kiln in directory; returns ms to the first answer of / and to the volume list's 200, and
    the CPU time used by then."""
    log = open(os.path.join(directory, "serve.log"), "wb")
    began = time.monotonic()
    process = subprocess.Popen([kiln, "serve"], cwd=directory, stdout=log, stderr=subprocess.STDOUT)
    try:
        first = listed = None
        while listed is None:
            if process.poll() is not None:
                raise SystemExit(f"kiln exited with {process.returncode}; log in {directory}/serve.log")
            if time.monotonic() - began > 30:
                raise SystemExit(f"no answer in 30 s; log in {directory}/serve.log")
            if first is None:
                if answer("/") is not None:
                    first = (time.monotonic() - began) * 1000
                    first_cpu = cpu_ms(process.pid)
                    continue
            elif answer("/v3/admin/volumes") == 200:
                listed = (time.monotonic() - began) * 1000
                listed_cpu = cpu_ms(process.pid)
                break
            time.sleep(0.002)
        return first, listed, first_cpu, listed_cpu
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def summary(name, values):
    values = sorted(values)
    return f"{name} median {statistics.median(values):.0f} ms (min {values[0]:.0f}, max {values[-1]:.0f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kiln", default=DEFAULT_KILN, help="the kiln executable (default: ./kiln's Release build)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", choices=["fresh", "again"])
    arguments = parser.parse_args()
    arguments.kiln = os.path.abspath(arguments.kiln)
    if answer("/") is not None:
        raise SystemExit("something already answers on 127.0.0.1:8776; stop it first")

    for way in ["fresh", "again"]:
        if arguments.only and way != arguments.only:
            continue
        firsts, lists, first_cpus, list_cpus = [], [], [], []
        kept = tempfile.mkdtemp(prefix="kiln-start-")
        if way == "again":
            start(arguments.kiln, kept)  # creates the database the measured starts reuse
        for _ in range(arguments.runs):
            directory = tempfile.mkdtemp(prefix="kiln-start-") if way == "fresh" else kept
            first, listed, first_cpu, listed_cpu = start(arguments.kiln, directory)
            firsts.append(first)
            lists.append(listed)
            first_cpus.append(first_cpu)
            list_cpus.append(listed_cpu)
            if way == "fresh":
                shutil.rmtree(directory)
        shutil.rmtree(kept)
        print(f"{way:5}: {summary('first answer', firsts)}; {summary('volume list', lists)}; {len(firsts)} starts", flush=True)
        print(f"{'':5}  CPU by then: {summary('first answer', first_cpus)}; {summary('volume list', list_cpus)}", flush=True)


if __name__ == "__main__":
    main()
