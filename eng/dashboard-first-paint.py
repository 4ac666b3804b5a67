#!/usr/bin/env python3
"""First paint of the dashboard with 1,000 failing fault backends, in Debian's headless Chromium.

Starts the built kiln (./kiln, a Release build) on a free loopback port with 1,000 fault backends
whose initialization fails (init: transient), drives /usr/bin/chromium through /usr/bin/chromedriver
over the W3C WebDriver protocol (standard library only), loads /dashboard several times and prints
the server's time for the page and the browser's first contentful paint, median and worst.
Everything runs in a throwaway directory; the processes it started are stopped by their PID.

    python3 eng/dashboard-first-paint.py [--backends 1000] [--loads 7] [--kiln 'dotnet src/Kiln/bin/Debug/net10.0/kiln.dll']
"""
import argparse, json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, deadline, predicate=lambda body: True):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                body = r.read().decode()
                if predicate(body):
                    return body
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {url}")


def webdriver(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())["value"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", type=int, default=1000)
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--kiln", default=os.path.join(ROOT, "kiln"),
                        help="the command that runs kiln (default ./kiln, a Release build; e.g. 'dotnet src/Kiln/bin/Debug/net10.0/kiln.dll')")
    args = parser.parse_args()
    for path in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing: apt-get install chromium chromium-driver")

    work = tempfile.mkdtemp(prefix="kiln-first-paint-")
    processes = []
    try:
        control = os.path.join(work, "control.json")
        with open(control, "w") as f:
            json.dump({"init": "transient"}, f)
        names = [f"b{i:04d}" for i in range(args.backends)]
        port = free_port()
        conf = os.path.join(work, "kiln.conf")
        with open(conf, "w") as f:
            f.write(f"[DEFAULT]\nhost = paint\nstate_path = {work}/data\nosapi_volume_listen_port = {port}\n")
            f.write(f"enabled_backends = {', '.join(names)}\nreinit_driver_count = 0\n\n")
            for name in names:
                f.write(f"[{name}]\nvolume_driver = fault\nfault_control_file = {control}\n\n")
        log = open(os.path.join(work, "kiln.log"), "w")
        kiln = subprocess.Popen(args.kiln.split() + ["serve", "--config", conf], cwd=work, stdout=log, stderr=subprocess.STDOUT)
        processes.append(kiln)
        base = f"http://127.0.0.1:{port}"
        # Build (first run) and start-up can take minutes; then wait until every backend has failed once.
        wait_http(base + "/dashboard?state=failed", time.monotonic() + 600,
                  lambda body: f"{args.backends} backends:" in body and "initializing" not in body.split("backends:")[1].split(".")[0])

        server_ms = []
        for _ in range(args.loads):
            started = time.perf_counter()
            with urllib.request.urlopen(base + "/dashboard", timeout=30) as r:
                size = len(r.read())
            server_ms.append((time.perf_counter() - started) * 1000)

        driver_port = free_port()
        driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={driver_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(driver)
        wd = f"http://127.0.0.1:{driver_port}"
        wait_http(wd + "/status", time.monotonic() + 30)
        session = webdriver(wd, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,900"]}}}})
        sid = session["sessionId"]
        paint_ms, ready_ms = [], []
        try:
            for load in range(args.loads):
                webdriver(wd, "POST", f"/session/{sid}/url", {"url": f"{base}/dashboard?load={load}"})
                # The paint entry can be recorded a moment after the navigation returns.
                for _ in range(50):
                    timing = webdriver(wd, "POST", f"/session/{sid}/execute/sync", {"script": """
                        const e = performance.getEntriesByName('first-contentful-paint')[0];
                        const n = performance.getEntriesByType('navigation')[0];
                        return e ? [e.startTime, n.domContentLoadedEventEnd] : null;""", "args": []})
                    if timing:
                        break
                    time.sleep(0.1)
                else:
                    raise SystemExit("the browser recorded no first contentful paint")
                paint_ms.append(timing[0])
                ready_ms.append(timing[1])
        finally:
            webdriver(wd, "DELETE", f"/session/{sid}")

        def show(label, values):
            print(f"{label}: median {statistics.median(values):.0f} ms, worst {max(values):.0f} ms over {len(values)} loads")

        print(f"dashboard with {args.backends} failing fault backends, page {size // 1024} KiB (50 rows per page)")
        show("server time for /dashboard", server_ms)
        show("first contentful paint in headless Chromium (from navigation start)", paint_ms)
        show("DOMContentLoaded in headless Chromium", ready_ms)
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
