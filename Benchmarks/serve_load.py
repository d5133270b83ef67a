#!/usr/bin/env python3
"""Load on `annex serve` over loopback: N concurrent POST /api/check of the four July annexes.

    python3 Benchmarks/serve_load.py [--requests 20] [--binary PATH]

Builds annex in release (unless --binary), starts `annex serve` on a free 127.0.0.1 port, sends
the requests at once from N threads, and checks that every answer is 200 with the same findings
as `annex check --format json` on the same files. Prints the wall time of the whole burst, the
slowest request, and the peak resident memory of the server together with its job processes
(/proc sampled every 10 ms). Standard library only; loopback only; a bounded number of requests.
"""
import argparse, http.client, json, os, socket, subprocess, sys, threading, time, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = [os.path.join(ROOT, "samples/annexes", f"2023-07-{name}.xlsx") for name in ["就业培训一", "就业培训二", "社会保险一", "社会保险二"]]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def form(paths):
    boundary = "annex-load-" + uuid.uuid4().hex
    body = b""
    for path in paths:
        name = os.path.basename(path)
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
        with open(path, "rb") as f:
            body += f.read() + b"\r\n"
    return boundary, body + f"--{boundary}--\r\n".encode()


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    """The process and everything it started (job processes), from /proc/*/stat parent ids."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                parent = int(stat[stat.rindex(")") + 2:].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--binary")
    args = parser.parse_args()
    if not 1 <= args.requests <= 200:
        sys.exit("--requests: 1 to 200")
    binary = os.path.abspath(args.binary) if args.binary else None
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "annex"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, ".build/release/annex")

    expected = json.loads(subprocess.run([binary, "check", "--format", "json"] + [os.path.basename(p) for p in FILES],
                                         cwd=os.path.dirname(FILES[0]), capture_output=True).stdout)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(port)], stderr=subprocess.PIPE)
    peak = [0]
    sampling = [True]

    def sample():
        while sampling[0]:
            peak[0] = max(peak[0], sum(rss_kib(p) for p in descendants(server.pid)))
            time.sleep(0.01)

    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        idle = sum(rss_kib(p) for p in descendants(server.pid))
        boundary, body = form(FILES)
        results = [None] * args.requests
        barrier = threading.Barrier(args.requests)

        def one(index):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            barrier.wait()
            started = time.monotonic()
            connection.request("POST", "/api/check", body=body,
                               headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
            response = connection.getresponse()
            results[index] = (response.status, response.read(), time.monotonic() - started)

        sampler = threading.Thread(target=sample)
        sampler.start()
        threads = [threading.Thread(target=one, args=(i,)) for i in range(args.requests)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        sampling[0] = False
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=60)

    failures = [i for i, (status, body, _) in enumerate(results)
                if status != 200 or json.loads(body)["findings"] != expected]
    slowest = max(r[2] for r in results)
    print(f"{args.requests} concurrent POST /api/check (4 files each, {len(expected)} findings), "
          f"{os.cpu_count()} cores, jobs at once = cores")
    print(f"wall {wall:.2f} s, slowest request {slowest:.2f} s, "
          f"peak RSS server + job processes {peak[0] / 1024:.1f} MiB (idle server {idle / 1024:.1f} MiB)")
    if failures:
        sys.exit(f"{len(failures)} requests failed or gave other findings: {failures}")
    print("all answers 200 with the findings of `annex check --format json`")


if __name__ == "__main__":
    main()
