#!/usr/bin/env python3
"""Admins applying while serves answer: how fresh each serve stays, and how much memory it holds.

Called by scripts/bench-serve.sh (its `churn` and `replicas` parts); a client of the real
binary and real serves, like wrk. Each revision changes one agent (`active: false` added to a
different agent each time), so every revision changes that agent's cells.

  serve_churn.py --bin DIR --tenant DIR --store STORE --serve URL:PID [--serve URL:PID ...]
                 --revisions N --interval SECONDS --admins K

With --admins 1 the revisions are applied one after another, --interval apart. With more,
K admins apply at once (each from a copy of the tenant that changes its own agent), and
--revisions rounds of that run back to back. For every revision and serve, the freshness is
the time from the apply returning to the serve answering from that revision (0 when the serve
had it first), seen through a long-poll on /v1/changes. Resident memory is sampled from
/proc every 50 ms. Prints one line per figure, then `RESULT key=value ...`.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
import urllib.request


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Watcher(threading.Thread):
    """Follows one serve's revisions through long-polls; records when each was first seen."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.seen = {}
        self.errors = 0
        self.stopping = False

    def status_revision(self):
        with urllib.request.urlopen(f"{self.url}/v1/status", timeout=10) as answer:
            return json.load(answer)["revision"]

    def run(self):
        revision = self.status_revision()
        self.seen[revision] = time.monotonic()
        while not self.stopping:
            try:
                with urllib.request.urlopen(f"{self.url}/v1/changes?since={revision}&wait=5", timeout=30) as answer:
                    body = json.load(answer)
                now = time.monotonic()
                while body.get("next"):  # pages are read through, but only the revision counts
                    with urllib.request.urlopen(f"{self.url}/v1/changes?since={revision}&cursor={body['next']}", timeout=30) as answer:
                        body = json.load(answer)
                for number in range(revision + 1, body["revision"] + 1):
                    self.seen.setdefault(number, now)
                revision = max(revision, body["revision"])
            except Exception:  # counted; the serve is asked again
                self.errors += 1
                time.sleep(0.05)


class Memory(threading.Thread):
    """Samples each serve's resident memory (MB) from /proc."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = pids
        self.samples = {pid: [] for pid in pids}
        self.stopping = False

    def run(self):
        while not self.stopping:
            for pid in self.pids:
                try:
                    with open(f"/proc/{pid}/status") as status:
                        for line in status:
                            if line.startswith("VmRSS:"):
                                self.samples[pid].append((time.monotonic(), int(line.split()[1]) / 1024))
                except OSError:
                    pass
            time.sleep(0.05)


def deactivate(tenant, agent):
    """Turns one agent of the generated tenant inactive, or active when it was inactive (a
    one-agent revision that changes the agent's cells)."""
    for name in sorted(os.listdir(tenant)):
        if not name.startswith("agents-"):
            continue
        path = os.path.join(tenant, name)
        with open(path) as file:
            text = file.read()
        marker = f"\n  {agent}:\n"
        start = text.find(marker)
        if start < 0:
            continue
        end = text.find("\n  ", start + len(marker) - 1)
        while end >= 0 and text[end + 3] == " ":  # a field line of the same agent
            end = text.find("\n  ", end + 1)
        block = text[start:end if end >= 0 else len(text)]
        if "\n    active: false" in block:
            changed = block.replace("\n    active: false", "\n    active: true", 1)
        elif "\n    active: true" in block:
            changed = block.replace("\n    active: true", "\n    active: false", 1)
        else:
            changed = block.replace(marker, f"{marker}    active: false\n", 1)
        with open(path, "w") as file:
            file.write(text[:start] + changed + text[start + len(block):])
        return
    raise SystemExit(f"{agent} not found in {tenant}")


def apply(binary, tenant, store, admin):
    started = time.monotonic()
    done = subprocess.run(
        [binary, "apply", tenant, "--store", store, "--yes", "--author", f"admin-{admin}", "--lock-timeout", "120"],
        capture_output=True, text=True)
    ended = time.monotonic()
    found = re.search(r"Applied revision (\d+)", done.stdout + done.stderr)
    if done.returncode != 0 or not found:
        return None, ended, f"admin {admin}: exit {done.returncode}: {(done.stdout + done.stderr).strip()[:300]}"
    return int(found.group(1)), ended, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--serve", action="append", required=True, help="URL:PID")
    parser.add_argument("--revisions", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--admins", type=int, default=1)
    arguments = parser.parse_args()
    binary = os.path.join(arguments.bin, "outboundctl")
    serves = [(entry.rsplit(":", 1)[0], int(entry.rsplit(":", 1)[1])) for entry in arguments.serve]

    watchers = [Watcher(url) for url, _ in serves]
    memory = Memory([pid for _, pid in serves])
    for thread in watchers + [memory]:
        thread.start()

    tenants = [arguments.tenant]
    for admin in range(1, arguments.admins):
        copy = f"{arguments.tenant}-admin-{admin}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(arguments.tenant, copy)
        tenants.append(copy)

    applied = {}  # revision -> when its apply returned
    failures = []
    next_agent = 1000
    started = time.monotonic()
    for round_number in range(arguments.revisions):
        results = [None] * arguments.admins

        def one(admin):
            results[admin] = apply(binary, tenants[admin], arguments.store, admin)

        threads = []
        for admin in range(arguments.admins):
            deactivate(tenants[admin], f"agent-{next_agent}")
            next_agent += 1
            threads.append(threading.Thread(target=one, args=(admin,)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for revision, ended, error in results:
            if error:
                failures.append(error)
            else:
                applied[revision] = ended
        if arguments.admins == 1 and round_number + 1 < arguments.revisions:
            time.sleep(arguments.interval)
    applies_took = time.monotonic() - started

    # Every serve reaches the last revision (or 30 s pass: then the missing ones count as errors).
    last = max(applied) if applied else 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(last in watcher.seen for watcher in watchers):
        time.sleep(0.02)
    for thread in watchers + [memory]:
        thread.stopping = True

    fields = {"revisions": len(applied), "apply_failures": len(failures), "applies_s": f"{applies_took:.1f}"}
    for failure in failures[:5]:
        print("apply failed:", failure)
    all_fresh = []
    for index, (watcher, (url, pid)) in enumerate(zip(watchers, serves)):
        fresh = [max(0.0, watcher.seen[revision] - ended) for revision, ended in applied.items() if revision in watcher.seen]
        missing = sum(1 for revision in applied if revision not in watcher.seen)
        all_fresh += fresh
        rss = [value for _, value in memory.samples[pid]]
        # "Flat": the peak over the last half of the run against the peak over the first quarter after the start.
        quarter = max(1, len(rss) // 4)
        print(
            f"serve {index + 1} ({url}): freshness p50 {statistics.median(fresh) if fresh else float('nan'):.3f} s,"
            f" p99 {percentile(fresh, 0.99):.3f} s, max {max(fresh) if fresh else float('nan'):.3f} s; {missing} revisions never seen;"
            f" {watcher.errors} feed errors; resident: start {rss[0] if rss else 0:.0f} MB, peak {max(rss) if rss else 0:.0f} MB,"
            f" peak of the first quarter {max(rss[:quarter]) if rss else 0:.0f} MB, of the last half {max(rss[len(rss) // 2:]) if rss else 0:.0f} MB")
        fields[f"serve{index + 1}_fresh_p50"] = f"{statistics.median(fresh) if fresh else float('nan'):.3f}"
        fields[f"serve{index + 1}_fresh_p99"] = f"{percentile(fresh, 0.99):.3f}"
        fields[f"serve{index + 1}_missing"] = missing
        fields[f"serve{index + 1}_feed_errors"] = watcher.errors
        fields[f"serve{index + 1}_rss_peak_mb"] = f"{max(rss) if rss else 0:.0f}"
        fields[f"serve{index + 1}_rss_last_half_peak_mb"] = f"{max(rss[len(rss) // 2:]) if rss else 0:.0f}"
    fields["fresh_p50"] = f"{statistics.median(all_fresh) if all_fresh else float('nan'):.3f}"
    fields["fresh_p99"] = f"{percentile(all_fresh, 0.99):.3f}"
    print("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()))


if __name__ == "__main__":
    main()
