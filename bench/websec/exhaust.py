#!/usr/bin/env python3
"""Bounded exhaustion probe of `msoko serve` on the loopback (docs/web.md, «Защита от
истощения»). Usage: exhaust.py URL PID [UPLOADS] [HALF]

1. RSS of the server with UPLOADS (20) unauthenticated uploads that declare 32 MB, send
   30 MB of it and stop (the connections stay open).
2. UPLOADS login forms trickled with one byte a second for up to 40 s: is the server still
   waiting for them (an idle timeout reset by every byte) or did a deadline end them?
3. HALF (5000) half-sent requests from 127.0.0.1 (headers never finished), then a page
   fetched from 127.0.0.1 and from 127.0.0.2 while they are open, and after they close.

Everything ends within about a minute; nothing but the loopback is touched.
"""
import socket
import sys
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def fetch(host, port, src, timeout=5.0):
    """Seconds to get a status line for GET /open, or None."""
    t = time.monotonic()
    try:
        s = socket.create_connection((host, port), timeout=timeout, source_address=(src, 0))
        s.sendall(b"GET /open HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = s.recv(64)
        s.close()
        if data.startswith(b"HTTP/1.1"):
            return time.monotonic() - t
    except OSError:
        pass
    return None


def main():
    url, pid = sys.argv[1], int(sys.argv[2])
    n_up = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    n_half = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
    host, port = url.split("//")[1].split(":")
    port = int(port)
    print(f"rss_idle_mb {rss_mb(pid):.0f}")

    # 1. unfinished unauthenticated uploads
    ups, refused = [], 0
    chunk = b"a" * (1 << 20)
    for _ in range(n_up):
        try:
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"POST /imports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                      b"boundary=b\r\nContent-Length: 32000000\r\n\r\n")
            for _ in range(30):
                s.sendall(chunk)
            ups.append(s)
        except OSError:
            refused += 1
    time.sleep(1.0)
    print(f"rss_uploads_mb {rss_mb(pid):.0f} (uploads {n_up}, cut off by the server {refused})")
    for s in ups:
        s.close()

    # 2. trickled bodies: one byte a second
    tr = []
    for _ in range(n_up):
        try:
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                      b"x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n")
            tr.append(s)
        except OSError:
            pass
    alive = len(tr)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 40 and alive:
        alive = 0
        for s in tr:
            try:
                s.sendall(b"a")
                alive += 1
            except OSError:
                pass
        time.sleep(1.0)
    print(f"trickled_alive {alive} of {len(tr)} after {time.monotonic() - t0:.0f} s")
    for s in tr:
        s.close()

    # 3. half-sent requests
    half = []
    t0 = time.monotonic()
    for _ in range(n_half):
        try:
            s = socket.socket()
            s.settimeout(2)
            s.connect((host, port))
            s.sendall(b"GET /open HTTP/1.1\r\nHost: x\r\n")
            half.append(s)
        except OSError:
            s.close()
    print(f"half_open {len(half)} in {time.monotonic() - t0:.1f} s; rss_mb {rss_mb(pid):.0f}")
    for src in ("127.0.0.1", "127.0.0.2"):
        d = fetch(host, port, src)
        print(f"during_from_{src} " + (f"{d * 1000:.0f} ms" if d is not None else "no answer"))
    for s in half:
        s.close()
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60:
        if fetch(host, port, "127.0.0.1", timeout=1.0) is not None:
            break
        time.sleep(0.2)
    print(f"reachable_again_after {time.monotonic() - t0:.1f} s; rss_mb {rss_mb(pid):.0f}")


if __name__ == "__main__":
    main()
