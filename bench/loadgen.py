"""Low-overhead Python load generator for bench/run.py.

Runs in its own process. Reads one JSON job from stdin, prints one JSON result
on stdout. Raw asyncio protocols (uvloop when available), pre-built request
bytes, HTTP/1.1 keep-alive, a small hand-written response parser
(Content-Length, chunked, close-delimited).

Job modes:
  {"mode": "http", "host", "port", "request_b64" (or "requests_b64": [...], sent in turn), "connections", "duration"}
      closed loop: each connection sends the next request when the previous
      answer is complete; reports req/s and latency percentiles.
  {"mode": "stream", "host", "port", "request_b64", "concurrency", "duration",
   "stream_timeout"}
      `concurrency` workers each open a connection, send the request and read
      a text/event-stream answer to the end, then start the next stream on the
      same connection (a new one if the server closed it) until `duration` is
      over (every worker runs at least one stream). Reports time
      to first event, gaps between events, events/s, streams completed.
      With "processes": N (> 1), the streams are split over N processes of this script that
      start together; their raw figures are merged into one result. With "requests_b64": [...]
      instead of "request_b64", the streams cycle through those requests (each process from its
      own offset), e.g. distinct prompts that no server can answer from a cache.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import resource
import subprocess
import sys
import time

HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILER, UNTIL_CLOSE = range(7)


class ResponseParser:
    """Incremental HTTP/1.1 response parser: calls on_head(status, headers),
    on_body(bytes) (if given) and on_done() for each complete response."""

    __slots__ = ("buf", "state", "remaining", "on_head", "on_body", "on_done", "close_after")

    def __init__(self, on_head, on_body, on_done):
        self.buf = bytearray()
        self.state = HEAD
        self.remaining = 0
        self.on_head = on_head
        self.on_body = on_body
        self.on_done = on_done
        self.close_after = False

    def _done(self):
        self.state = HEAD
        self.on_done()

    def _take(self):
        n = min(self.remaining, len(self.buf))
        if n:
            if self.on_body is not None:
                self.on_body(bytes(self.buf[:n]))
            del self.buf[:n]
            self.remaining -= n
        return self.remaining == 0

    def feed(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        while True:
            st = self.state
            if st == HEAD:
                i = buf.find(b"\r\n\r\n")
                if i < 0:
                    return
                head = bytes(buf[:i])
                del buf[: i + 4]
                lines = head.split(b"\r\n")
                parts = lines[0].split(b" ", 2)
                status = int(parts[1])
                headers = {}
                for line in lines[1:]:
                    k, _, v = line.partition(b":")
                    headers[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
                if 100 <= status < 200:
                    continue
                self.close_after = headers.get("connection", "").lower() == "close"
                self.on_head(status, headers)
                if status in (204, 304):
                    self._done()
                elif "chunked" in headers.get("transfer-encoding", "").lower():
                    self.state = CHUNK_SIZE
                elif "content-length" in headers:
                    self.remaining = int(headers["content-length"])
                    if self.remaining == 0:
                        self._done()
                    else:
                        self.state = BODY
                else:
                    self.state = UNTIL_CLOSE
            elif st == BODY:
                if not buf:
                    return
                if self._take():
                    self._done()
                else:
                    return
            elif st == CHUNK_SIZE:
                i = buf.find(b"\r\n")
                if i < 0:
                    return
                size = int(bytes(buf[:i]).split(b";")[0].strip() or b"0", 16)
                del buf[: i + 2]
                if size == 0:
                    self.state = TRAILER
                else:
                    self.remaining = size
                    self.state = CHUNK_DATA
            elif st == CHUNK_DATA:
                if not buf:
                    return
                if self._take():
                    self.state = CHUNK_CRLF
                else:
                    return
            elif st == CHUNK_CRLF:
                if len(buf) < 2:
                    return
                del buf[:2]
                self.state = CHUNK_SIZE
            elif st == TRAILER:
                if buf.startswith(b"\r\n"):
                    del buf[:2]
                    self._done()
                    continue
                i = buf.find(b"\r\n\r\n")
                if i < 0:
                    return
                del buf[: i + 4]
                self._done()
            else:  # UNTIL_CLOSE
                if buf and self.on_body is not None:
                    self.on_body(bytes(buf))
                buf.clear()
                return

    def eof(self) -> bool:
        """Connection closed: True if that completed a close-delimited body."""
        if self.state == UNTIL_CLOSE:
            self._done()
            return True
        return False


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def gaps_of(streams_reads):
    """Gaps between consecutive events of each stream: 0 inside a read, else between reads."""
    same_read, between_reads = 0, []
    for reads in streams_reads:
        same_read += sum(n - 1 for _, n in reads)
        between_reads.extend(b[0] - a[0] for a, b in zip(reads, reads[1:]))
    return same_read, sorted(between_reads)


def pct_with_zeros(zeros, sorted_values, q):
    """Percentile (ms) of `zeros` zero values plus `sorted_values`, without building the list."""
    total = zeros + len(sorted_values)
    if not total:
        return None
    k = min(total - 1, int(q * total))
    return 0.0 if k < zeros else sorted_values[k - zeros] * 1e3


# ----------------------------------------------------------------- http mode


class HttpWorker(asyncio.Protocol):
    def __init__(self, job, stats, deadline, finished):
        self.requests = job["requests"]  # several: cycled, each request the next one (varied bodies)
        self.stats = stats
        self.deadline = deadline
        self.finished = finished
        self.parser = ResponseParser(self._head, None, self._done)
        self.t0 = 0.0
        self.transport = None
        self.status = 0

    def connection_made(self, transport):
        self.transport = transport
        self._send()

    def _send(self):
        self.t0 = time.perf_counter()
        sent = self.stats["sent"] = self.stats.get("sent", 0) + 1
        self.transport.write(self.requests[sent % len(self.requests)])

    def _head(self, status, headers):
        self.status = status

    def _done(self):
        now = time.perf_counter()
        st = self.stats
        if now <= self.deadline:
            st["lat"].append(now - self.t0)
            st["statuses"][self.status] = st["statuses"].get(self.status, 0) + 1
            if self.parser.close_after:
                self.transport.close()  # reconnect in connection_lost
            else:
                self._send()
        else:
            self.transport.close()

    def data_received(self, data):
        try:
            self.parser.feed(data)
        except Exception:  # malformed answer
            self.stats["errors"] += 1
            self.transport.close()

    def connection_lost(self, exc):
        self.parser.eof()
        if not self.finished.done():
            self.finished.set_result(exc)


async def run_http(job):
    loop = asyncio.get_running_loop()
    stats = {"lat": [], "statuses": {}, "errors": 0, "reconnects": 0}
    start = time.perf_counter()
    deadline = start + job["duration"]

    async def conn_loop():
        while time.perf_counter() < deadline:
            finished = loop.create_future()
            try:
                await loop.create_connection(
                    lambda: HttpWorker(job, stats, deadline, finished), job["host"], job["port"]
                )
            except OSError:
                stats["errors"] += 1
                await asyncio.sleep(0.01)
                continue
            await asyncio.wait_for(finished, timeout=max(0.1, deadline - time.perf_counter()) + 10)
            if time.perf_counter() < deadline:
                stats["reconnects"] += 1

    await asyncio.gather(*(conn_loop() for _ in range(job["connections"])), return_exceptions=True)
    elapsed = job["duration"]
    lat = sorted(stats["lat"])
    n = len(lat)
    non2xx = sum(v for k, v in stats["statuses"].items() if not 200 <= k < 400)
    return {
        "requests": n,
        "elapsed_s": elapsed,
        "rps": n / elapsed if elapsed else 0.0,
        "p50_ms": pct(lat, 0.50) * 1e3 if n else None,
        "p90_ms": pct(lat, 0.90) * 1e3 if n else None,
        "p99_ms": pct(lat, 0.99) * 1e3 if n else None,
        "max_ms": lat[-1] * 1e3 if n else None,
        "statuses": {str(k): v for k, v in sorted(stats["statuses"].items())},
        "non2xx": non2xx,
        "errors": stats["errors"],
        "reconnects": stats["reconnects"],
    }


# --------------------------------------------------------------- stream mode


class StreamClient(asyncio.Protocol):
    """Streams on one connection, one at a time: send a request, split its body into SSE events.
    The connection stays open for the next stream (`send_next`) unless the answer says
    `Connection: close`."""

    def __init__(self, req, finished):
        self.parser = ResponseParser(self._head, self._body, self._done)
        self.transport = None
        self.closed = False
        self._reset(req, finished)

    def _reset(self, req, finished):
        self.req = req
        self.finished = finished
        self.status = 0
        self.ctype = ""
        self.sse = bytearray()
        self.reads = []  # (time, events in that read)
        self.saw_done = False
        self.complete = False
        self.first_bytes = b""
        self.first_event = finished.get_loop().create_future()  # set at the first data event (probe)

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.req)

    def send_next(self, req, finished):
        """The next stream on this kept-alive connection."""
        self._reset(req, finished)
        self.transport.write(req)

    def _head(self, status, headers):
        self.status = status
        self.ctype = headers.get("content-type", "")

    def _body(self, data):
        """Count the events of each read, not each event: at ~200k events/s, per-event Python
        work made this client the bottleneck, and its bursts showed up as the server's TTFT.
        Events of one read share its timestamp (so their gaps are 0), as before."""
        now = time.perf_counter()
        if len(self.first_bytes) < 200:
            self.first_bytes += data[: 200 - len(self.first_bytes)]
        sse = self.sse
        sse += data
        if b"\r" in data:
            sse[:] = sse.replace(b"\r\n", b"\n")
        end = sse.rfind(b"\n\n")
        if end < 0:
            return
        block = bytes(sse[: end + 2])
        del sse[: end + 2]
        blocks = block.count(b"\n\n")
        if block.startswith(b"data:") and block.count(b"\n\ndata:") == blocks - 1 and block.count(b"\n") == 2 * blocks:
            done = block.count(b"data: [DONE]\n") + block.count(b"data:[DONE]\n")  # one `data:` line per event
            events = blocks - done
        else:
            events = done = 0
            for event in block.split(b"\n\n")[:-1]:
                payload = [ln[5:].strip() for ln in event.split(b"\n") if ln.startswith(b"data:")]
                if not payload:
                    continue  # comment / keep-alive / event-only block
                if payload == [b"[DONE]"]:
                    done += 1
                else:
                    events += 1
        if done:
            self.saw_done = True
        if events:
            self.reads.append((now, events))
            if not self.first_event.done():
                self.first_event.set_result(now)

    def _done(self):
        self.complete = True
        if self.parser.close_after:
            self.transport.close()  # connection_lost ends the stream
        elif not self.finished.done():
            self.finished.set_result(None)

    def data_received(self, data):
        try:
            self.parser.feed(data)
        except Exception:
            self.transport.close()

    def connection_lost(self, exc):
        self.closed = True
        self.parser.eof()
        if not self.finished.done():
            self.finished.set_result(exc)


async def run_stream(job):
    loop = asyncio.get_running_loop()
    requests, offset = job["requests"], job.get("offset", 0)
    if "start_at" in job:  # one of several processes: start together (perf_counter is CLOCK_MONOTONIC)
        await asyncio.sleep(max(0.0, job["start_at"] - time.perf_counter()))
    start = time.perf_counter()
    deadline = start + job["duration"]
    timeout = job.get("stream_timeout", 60)
    res = {
        "started": 0, "completed": 0, "with_done": 0, "errors": 0, "timeouts": 0,
        "events": 0, "ttft": [], "statuses": {}, "ctypes": {}, "answers": {}, "sample": None,
    }
    last_end = [start]
    streams_reads = []

    async def one_stream(held):
        finished = loop.create_future()
        t0 = time.perf_counter()
        req = requests[(offset + res["started"]) % len(requests)]
        res["started"] += 1
        client = held[0]
        if client is not None and not client.closed:
            client.send_next(req, finished)
        else:
            client = held[0] = StreamClient(req, finished)
            try:
                await asyncio.wait_for(loop.create_connection(lambda: client, job["host"], job["port"]), timeout)
            except (OSError, asyncio.TimeoutError):
                res["errors"] += 1
                held[0] = None
                return
        try:
            await asyncio.wait_for(finished, timeout)
        except asyncio.TimeoutError:
            res["timeouts"] += 1
            client.transport.close()
        last_end[0] = max(last_end[0], time.perf_counter())
        st = client.status
        res["statuses"][str(st)] = res["statuses"].get(str(st), 0) + 1
        ct = client.ctype.split(";")[0].strip() or "?"
        res["ctypes"][ct] = res["ctypes"].get(ct, 0) + 1
        ans = f"{st} {ct}" if st else "no answer"
        res["answers"][ans] = res["answers"].get(ans, 0) + 1
        if res["sample"] is None:
            res["sample"] = client.first_bytes.decode("utf-8", "replace")
        reads = client.reads
        res["events"] += sum(n for _, n in reads)
        if reads:
            res["ttft"].append(reads[0][0] - t0)
            streams_reads.append(reads)  # gaps are computed after the run, off the clock
        if client.complete and 200 <= st < 300 and reads:
            res["completed"] += 1
            if client.saw_done:
                res["with_done"] += 1

    async def worker():
        held = [None]  # this worker's connection, kept for its next stream
        await one_stream(held)
        while time.perf_counter() < deadline:
            await one_stream(held)
        if held[0] is not None and held[0].transport is not None:
            held[0].transport.close()

    await asyncio.gather(*(worker() for _ in range(job["concurrency"])), return_exceptions=True)
    same_read, between_reads = gaps_of(streams_reads)
    if job.get("raw"):  # a part of a multi-process run: the parent merges and summarises
        res.update(start=start, end=last_end[0], same_read=same_read, between_reads=between_reads)
        return res
    return summarise_streams(res, start, last_end[0], same_read, between_reads)


def summarise_streams(res, start, end, same_read, between_reads):
    elapsed = max(1e-9, end - start)
    ttft = res.pop("ttft")
    res.update(
        elapsed_s=elapsed,
        events_per_s=res["events"] / elapsed,
        ttft_p50_ms=pct(ttft, 0.5) * 1e3 if ttft else None,
        ttft_p99_ms=pct(ttft, 0.99) * 1e3 if ttft else None,
        gap_p50_ms=pct_with_zeros(same_read, between_reads, 0.5),
        gap_p99_ms=pct_with_zeros(same_read, between_reads, 0.99),
    )
    return res


def run_stream_processes(job):
    """The stream load split over processes. One asyncio client handles every read of its streams
    in one loop, so it opens new streams in bursts and its own queueing shows in its TTFT; 100
    users are 100 independent clients, which several processes model better than one loop."""
    procs = job["processes"]
    start_at = time.perf_counter() + 0.5
    children = []
    for index in range(procs):
        part = dict(job, processes=1, raw=True, start_at=start_at, offset=index * len(job["requests"]) // procs,
                    concurrency=job["concurrency"] // procs + (index < job["concurrency"] % procs))
        part["requests_b64"] = [base64.b64encode(request).decode() for request in part.pop("requests")]
        child = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        child.stdin.write(json.dumps(part))
        child.stdin.close()
        children.append(child)
    parts = [json.loads(child.stdout.read()) for child in children]
    for child in children:
        child.wait()
    merged = {"ttft": [], "statuses": {}, "ctypes": {}, "answers": {}, "sample": None}
    for part in parts:
        for key in ("started", "completed", "with_done", "errors", "timeouts", "events"):
            merged[key] = merged.get(key, 0) + part[key]
        merged["ttft"] += part["ttft"]
        for key in ("statuses", "ctypes", "answers"):
            for name, count in part[key].items():
                merged[key][name] = merged[key].get(name, 0) + count
        merged["sample"] = merged["sample"] or part["sample"]
    between = sorted(value for part in parts for value in part["between_reads"])
    merged = summarise_streams(merged, min(p["start"] for p in parts), max(p["end"] for p in parts),
                               sum(p["same_read"] for p in parts), between)
    merged["processes"] = procs
    return merged


async def run_probe(job):
    """Time to first event as one more client sees it while the load runs: a stream at a time, from a
    process of its own, closed at its first event. The load client is busy parsing tens of thousands
    of events a second, so its own TTFT figures include its queueing; this one's do not."""
    loop = asyncio.get_running_loop()
    timeout = job.get("stream_timeout", 60)
    await asyncio.sleep(job.get("warmup", 1.0))
    deadline = time.perf_counter() + job["duration"]
    ttfts, errors = [], 0
    requests = job["requests"]
    while time.perf_counter() < deadline:
        finished = loop.create_future()
        t0 = time.perf_counter()
        client = StreamClient(requests[(len(ttfts) + errors) % len(requests)], finished)
        try:
            transport, _ = await asyncio.wait_for(
                loop.create_connection(lambda: client, job["host"], job["port"]), timeout)
            first = await asyncio.wait_for(client.first_event, timeout)
            ttfts.append(first - t0)
            transport.close()
        except (OSError, asyncio.TimeoutError):
            errors += 1
        await asyncio.sleep(job.get("interval", 0.02))
    return {"probes": len(ttfts), "errors": errors,
            "probe_ttft_p50_ms": pct(ttfts, 0.5) * 1e3 if ttfts else None,
            "probe_ttft_p99_ms": pct(ttfts, 0.99) * 1e3 if ttfts else None}


def emit(result):
    """The result as one JSON line on stdout, whole: a part's result is hundreds of KB, and a single
    write to a pipe whose reader is busy with another part came out cut at 64 KB."""
    data = memoryview((json.dumps(result) + "\n").encode())
    sys.stdout.flush()
    os.set_blocking(1, True)
    while data:
        data = data[os.write(1, data):]


def main():
    job = json.loads(sys.stdin.read())
    # The client keeps every read's timestamp until the end, so its heap grows all run long and each
    # full collection stalled it for milliseconds; the streams that ended meanwhile then reopened
    # together, and that burst of 50+ requests showed up as the server's TTFT p99.
    gc.disable()
    encoded = job.pop("requests_b64", None) or [job.pop("request_b64")]
    job["requests"] = [base64.b64decode(request) for request in encoded]
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
        if soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ValueError, OSError):
        pass
    if job["mode"] == "stream" and job.get("processes", 1) > 1:
        emit(run_stream_processes(job))
        return
    runner = {"http": run_http, "stream": run_stream, "probe": run_probe}[job["mode"]]
    try:
        import uvloop

        factory, loop_name = uvloop.new_event_loop, "uvloop"
    except ImportError:
        factory, loop_name = None, "asyncio"
    if hasattr(asyncio, "Runner"):
        with asyncio.Runner(loop_factory=factory) as r:
            result = r.run(runner(job))
    else:  # Python 3.10
        if factory is not None:
            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        result = asyncio.run(runner(job))
    result["client_loop"] = loop_name
    emit(result)


if __name__ == "__main__":
    main()
