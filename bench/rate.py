"""Open-loop load at a fixed rate; prints latency percentiles measured from each request's scheduled time.

    python3 bench/rate.py PORT PATH RATE SECONDS [USERS]
"""
import asyncio, sys, time

port, path, rate, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
users = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
run = int(time.time()) % 100000


def body(n):
    user = f"rate-{n % users}"
    return (
        "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>1795222800</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>{run * 10**8 + n}</MsgId></xml>"
    ).encode()


async def connection(queue, latencies, errors):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while True:
        item = await queue.get()
        if item is None:
            writer.close()
            return
        n, scheduled = item
        payload = body(n)
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        status = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        if b" 200 " not in status:
            errors.append(status)
        latencies.append(time.perf_counter() - scheduled)


async def main():
    queue, latencies, errors = asyncio.Queue(), [], []
    workers = [asyncio.create_task(connection(queue, latencies, errors)) for _ in range(128)]
    start = time.perf_counter()
    total = int(rate * seconds)
    for n in range(total):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((n, scheduled))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{len(latencies)} requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s offered {rate:.0f}/s), "
          f"errors {len(errors)}, p50 {pick(0.50):.2f} ms, p99 {pick(0.99):.2f} ms, max {latencies[-1] * 1000:.2f} ms")

asyncio.run(main())
