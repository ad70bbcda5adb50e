#!/usr/bin/env python3
"""Opens an HTML file in headless Chromium (Debian's package) over the DevTools protocol on a pipe,
and checks what a person would see: every image decoded with a nonzero natural size, no console
error or uncaught exception, and no request to anything but the file itself and data: URIs.
Optionally keeps a full-page screenshot.

usage: html_in_chromium.py FILE.html [--min-images N] [--expect TEXT]... [--screenshot OUT.png]
Exit status 0 when every check passed, 1 otherwise (each failure is printed), 2 on usage errors.
Python standard library only.
"""
import argparse
import base64
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-pipe",
]
TIMEOUT_S = 60


class Browser:
    def __init__(self, binary, profile_dir):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # move the child's ends to high fds first, so dup2 onto 3 and 4 cannot clobber them
        hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def child_fds():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, "--user-data-dir=" + profile_dir, "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(hi_r)
        os.close(hi_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + TIMEOUT_S
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method):
        deadline = time.time() + TIMEOUT_S
        for m in self.events:
            if m.get("method") == method:
                return m
        while True:
            m = self._read_message(deadline)
            self.events.append(m)
            if m.get("method") == method:
                return m

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("html")
    ap.add_argument("--min-images", type=int, default=1)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--screenshot")
    ap.add_argument("--width", type=int, default=1000)
    a = ap.parse_args()
    page = pathlib.Path(a.html).resolve()
    if not page.is_file():
        print(f"html_in_chromium: no file {page}", file=sys.stderr)
        return 2
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("html_in_chromium: no chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    failures = []
    profile = tempfile.mkdtemp(prefix="tierd-chromium.")
    b = Browser(binary, profile)
    try:
        target = b.call("Target.createTarget", url="about:blank")["targetId"]
        s = b.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.call(domain + ".enable", session=s)
        b.call("Emulation.setDeviceMetricsOverride", session=s, width=a.width, height=800,
               deviceScaleFactor=1, mobile=False)
        b.call("Page.navigate", session=s, url=page.as_uri())
        b.wait_event("Page.loadEventFired")

        def js(expr):
            r = b.call("Runtime.evaluate", session=s, expression=expr, returnByValue=True,
                       awaitPromise=True)
            if "exceptionDetails" in r:
                raise RuntimeError(f"evaluating {expr}: {r['exceptionDetails']}")
            return r["result"]["value"]

        images = js("Promise.all(Array.from(document.images).map(i => i.decode().then("
                    "() => [i.alt, i.naturalWidth, i.naturalHeight], "
                    "() => [i.alt, 0, 0])))")
        for alt, w, h in images:
            print(f"image '{alt}': {w}x{h}")
            if w <= 0 or h <= 0:
                failures.append(f"image '{alt}' did not render ({w}x{h})")
        if len(images) < a.min_images:
            failures.append(f"{len(images)} images, expected at least {a.min_images}")
        text = js("document.body.innerText")
        for t in a.expect:
            if t not in text:
                failures.append(f"the page does not say '{t}'")
        if a.screenshot:
            height = js("document.documentElement.scrollHeight")
            b.call("Emulation.setDeviceMetricsOverride", session=s, width=a.width,
                   height=height, deviceScaleFactor=1, mobile=False)
            shot = b.call("Page.captureScreenshot", session=s, format="png")
            pathlib.Path(a.screenshot).write_bytes(base64.b64decode(shot["data"]))
            print(f"screenshot {a.screenshot}: {a.width}x{height}")
        # drain what arrived meanwhile
        b.call("Runtime.evaluate", session=s, expression="0")
        for e in b.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                failures.append(f"console {p['type']}: {p.get('args')}")
            elif m == "Runtime.exceptionThrown":
                failures.append(f"uncaught exception: {p.get('exceptionDetails', {}).get('text')}")
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                failures.append(f"console error: {p['entry'].get('text')}")
            elif m == "Network.requestWillBeSent":
                url = p.get("request", {}).get("url", "")
                if not (url.startswith("data:") or url == page.as_uri()):
                    failures.append(f"request to {url}")
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)
    for f in failures:
        print(f"FAIL: {f}")
    print(f"html_in_chromium: {len(images)} images, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
