"""Several `weiquan serve` instances on one PostgreSQL database, over real sockets.

Run by scripts/multi-instance-test.sh, which builds the binary, provides the database and a config whose desk is
always open. Each scenario prints what it checked; any failed check exits non-zero.

  python3 scripts/multi_instance_test.py BIN STORE_URL CONFIG PGCTL_SCRIPT

Scenarios (the issue's list):
  order      one applicant's messages alternate between the instances and arrive in order
  retries    WeChat's retries go to the other instance: one reply (byte-identical), one case
  claims     two staff claim one handoff at once on different instances: one wins, the other gets 409
  outbox     staff messages queued on both instances while the delivering instance is SIGKILLed: every message
             delivered, in order per applicant, none twice beyond the documented at-least-once window
  database   the database stopped and restarted under load: no acknowledged case lost, no duplicate, no gap
"""
import http.client
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wechat_client import AID_ANSWERS, CASE_ID, Client, reply_content, text_message  # noqa: E402

TOKEN = "multiinstancetoken"
APPID, SECRET = "wx-multi", "multi-secret"
FAILURES = []


def check(condition, what):
    print(("  ok    " if condition else "  FAIL  ") + what, flush=True)
    if not condition:
        FAILURES.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(what, produce, limit=60.0):
    """Calls `produce` until it returns something other than None, and returns that (None after `limit` s)."""
    found = []
    wait_for(what, lambda: found.append(produce()) or found[-1] is not None, limit)
    return found[-1] if found else None


def wait_for(what, predicate, limit=60.0):
    """Polls `predicate` until it is true; fails the run after `limit` seconds (a generous bound, not a timing)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    check(False, f"{what} (gave up after {limit:.0f} s)")
    return False


class FakeWeChat:
    """The WeChat API: access tokens and customer-service messages, recorded in arrival order."""

    def __init__(self, send_delay=0.0):
        self.lock = threading.Lock()
        self.sent = []  # (touser, content)
        self.token_requests = 0
        self.send_delay = send_delay
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, payload):
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.startswith("/cgi-bin/token"):
                    with outer.lock:
                        outer.token_requests += 1
                        number = outer.token_requests
                    self.reply({"access_token": f"token-{number}", "expires_in": 7200})
                else:
                    self.reply({"errcode": 404})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.startswith("/cgi-bin/message/custom/send"):
                    if outer.send_delay:
                        time.sleep(outer.send_delay)
                    with outer.lock:
                        outer.sent.append((body.get("touser"), body.get("text", {}).get("content")))
                    self.reply({"errcode": 0, "errmsg": "ok"})
                else:
                    self.reply({"errcode": 0, "errmsg": "ok"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A sender killed mid-call leaves a broken pipe behind: not an error of the test.
        self.server.handle_error = lambda request, address: None
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def messages(self):
        with self.lock:
            return list(self.sent)


class Instance:
    def __init__(self, name, binary, store, config, api_base, log_dir):
        self.name, self.binary, self.store, self.config, self.api_base = name, binary, store, config, api_base
        self.port = free_port()
        self.log = open(os.path.join(log_dir, f"{name}.log"), "ab")
        self.process = None

    def start(self):
        environment = dict(
            os.environ, WEIQUAN_WECHAT_TOKEN=TOKEN, WEIQUAN_WECHAT_APPID=APPID, WEIQUAN_WECHAT_APPSECRET=SECRET,
            WEIQUAN_WECHAT_API_BASE=self.api_base,
        )
        self.process = subprocess.Popen(
            [self.binary, "serve", "--store", self.store, "--port", str(self.port), "--config", self.config],
            stdout=self.log, stderr=self.log, env=environment,
        )
        wait_for(f"{self.name} answers /healthz", lambda: self.health() == 200, limit=60)

    def health(self):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3)
            connection.request("GET", "/healthz")
            status = connection.getresponse().status
            connection.close()
            return status
        except OSError:
            return None

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self):
        return Client(self.port, TOKEN)

    def desk(self, method, path, token, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        connection.request(method, "/api/v1" + path, body=json.dumps(body) if body is not None else None,
                           headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        return response.status, (json.loads(text) if text.strip().startswith("{") else text)

    def metric(self, name):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
        connection.close()
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith(name) and not line.startswith("#"))


def psql(store, sql):
    url = urllib.parse.urlparse(store)
    output = subprocess.run(
        ["psql", "-h", url.hostname, "-p", str(url.port), "-U", url.username or "postgres", "-d",
         url.path.lstrip("/"), "-Atc", sql],
        check=True, capture_output=True, text=True,
    )
    return [line for line in output.stdout.splitlines() if line]


def case_ids(store):
    return psql(store, "SELECT id FROM documents WHERE collection = 'cases'")


def gap_free(ids):
    """Every day's sequence is 1…N."""
    by_day = {}
    for case in ids:
        by_day.setdefault(case[2:10], []).append(int(case[10:]))
    return all(sorted(numbers) == list(range(1, len(numbers) + 1)) for numbers in by_day.values())


MESSAGE_IDS = iter(range(10**12, 10**13))


def say(instance, user, text, msg_id=None):
    client = instance.client()
    try:
        status, body = client.post(text_message(user, text, msg_id or next(MESSAGE_IDS)))
    finally:
        client.close()
    return status, body


def scenario_order(a, b, store):
    print("order: one applicant's messages alternate between the instances", flush=True)
    before = set(case_ids(store))
    filed = []
    for n in range(4):
        user = f"order-{n}"
        body = ""
        for step, answer in enumerate(AID_ANSWERS):
            status, body = say(a if step % 2 == 0 else b, user, answer)
            if status != 200:
                check(False, f"{user} step {step}: status {status}")
                return
        found = CASE_ID.search(reply_content(body))
        check(found is not None, f"{user}: the aid request completes across both instances ({len(AID_ANSWERS)} steps)")
        if found:
            filed.append(found.group(0))
    new = set(case_ids(store)) - before
    check(new == set(filed), f"the cases stored are exactly the {len(filed)} confirmed")


def scenario_retries(a, b, store):
    print("retries: WeChat retries land on the other instance", flush=True)
    before = set(case_ids(store))
    user = "retry-1"
    for answer in AID_ANSWERS[:-1]:
        say(a, user, answer)
    msg_id = next(MESSAGE_IDS)
    results = [None, None]

    def send(index, instance):
        results[index] = say(instance, user, AID_ANSWERS[-1], msg_id)

    threads = [threading.Thread(target=send, args=(0, a)), threading.Thread(target=send, args=(1, b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    third = say(b, user, AID_ANSWERS[-1], msg_id)
    bodies = [results[0][1], results[1][1], third[1]]
    replies = [body for body in bodies if body != "success"]
    check(len(replies) >= 2 and len(set(replies)) == 1,
          "the first delivery and its retries on the other instance get the same bytes (or success while it runs)")
    new = set(case_ids(store)) - before
    check(len(new) == 1, f"one case filed for one message delivered three times ({sorted(new)})")


def make_token(binary, store, config, name):
    output = subprocess.run(
        [binary, "token", "create", "--store", store, "--config", config, "--name", name, "--role", "staff"],
        check=True, capture_output=True, text=True,
    )
    return output.stdout.strip()


def waiting_handoff(instance, token, user):
    status, listing = instance.desk("GET", "/handoffs", token)
    for handoff in listing.get("handoffs", []) if isinstance(listing, dict) else []:
        if handoff.get("conversation") == user:
            return handoff["id"]
    return None


def scenario_claims(a, b, store, tokens):
    print("claims: two staff claim one handoff at once on different instances", flush=True)
    wins = 0
    rounds = 5
    for n in range(rounds):
        user = f"claim-{n}"
        say(a, user, "人工")
        handoff = poll(f"{user}'s handoff is listed on the other instance",
                       lambda: waiting_handoff(b, tokens[1], user))
        if handoff is None:
            return
        statuses = [None, None]

        def claim(index, instance):
            statuses[index] = instance.desk("POST", f"/handoffs/{handoff}/claim", tokens[index])[0]

        threads = [threading.Thread(target=claim, args=(0, a)), threading.Thread(target=claim, args=(1, b))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if sorted(statuses) == [200, 409]:
            wins += 1
        else:
            print(f"        {handoff}: statuses {statuses}")
    check(wins == rounds, f"exactly one claim wins and the other gets 409, {wins} of {rounds} rounds")


def scenario_outbox(a, b, store, tokens, api, binary, config, log_dir):
    print("outbox: staff messages from both instances while the delivering instance is killed", flush=True)
    users = [f"outbox-{n}" for n in range(4)]
    handoffs = {}
    for user in users:
        say(a, user, "人工")
        handoffs[user] = poll(f"{user}'s handoff is listed", lambda: waiting_handoff(a, tokens[0], user))
        status, _ = a.desk("POST", f"/handoffs/{handoffs[user]}/claim", tokens[0])
        check(status == 200, f"{user}'s handoff claimed")
    wait_for("the claim notices are delivered", lambda: len(api.messages()) >= len(users))
    api.send_delay = 0.02
    expected = {user: [] for user in users}
    per_user = 25
    for k in range(per_user):
        for n, user in enumerate(users):
            text = f"第{k:03d}条 {user}"
            expected[user].append(text)
            instance = a if (k + n) % 2 == 0 else b
            status, _ = instance.desk("POST", f"/handoffs/{handoffs[user]}/messages", tokens[0], {"text": text})
            if status != 200:
                check(False, f"staff message {text} accepted by {instance.name} (status {status})")
    # Kill whichever instance is delivering, in the middle of it.
    wait_for("delivery is under way", lambda: len(api.messages()) >= len(users) + 10)
    leader = a if a.metric("weiquan_outbox_sent_total") > 0 else b
    other = b if leader is a else a
    leader.kill()
    print(f"        killed {leader.name} (the delivering instance) after "
          f"{len(api.messages()) - len(users)} staff messages", flush=True)
    total = len(users) * per_user
    wait_for("the surviving instance delivers the rest",
             lambda: len({m for m in api.messages() if m[1] and m[1].startswith("第")}) >= total, limit=90)
    delivered = [m for m in api.messages() if m[1] and m[1].startswith("第")]
    counts = {}
    for message in delivered:
        counts[message] = counts.get(message, 0) + 1
    missing = [(u, t) for u in users for t in expected[u] if (u, t) not in counts]
    duplicates = {m: c for m, c in counts.items() if c > 1}
    check(not missing, f"every one of {total} staff messages delivered (missing: {missing[:3]})")
    check(len(duplicates) <= 4, f"none twice beyond the calls in flight at the kill ({len(duplicates)} twice)")
    in_order = all(
        [t for (u, t) in dict.fromkeys(delivered) if u == user] == expected[user] for user in users
    )
    check(in_order, "each applicant's messages arrive in the order staff wrote them")
    api.send_delay = 0.0
    leader.start()
    print(f"        restarted {leader.name}; {other.name} kept serving", flush=True)


def scenario_database(a, b, store, pg_script):
    print("database: stopped and restarted under load", flush=True)
    acknowledged = []
    errors = {"busy": 0, "http": 0}
    lock = threading.Lock()
    stop = threading.Event()
    before = set(case_ids(store))

    def worker(n):
        conversation = 0
        while not stop.is_set():
            user = f"db-{n}-{conversation}"
            body = ""
            for step, answer in enumerate(AID_ANSWERS):
                instance = a if (step + n) % 2 == 0 else b
                for _ in range(200):  # WeChat's retries, and the applicant trying again
                    if stop.is_set():
                        return
                    try:
                        status, body = say(instance, user, answer)
                    except OSError:
                        status = None
                    if status == 200 and "系统繁忙" not in reply_content(body):
                        break
                    with lock:
                        errors["busy" if status == 200 else "http"] += 1
                    time.sleep(0.1)
            found = CASE_ID.search(reply_content(body))
            if found:
                with lock:
                    acknowledged.append(found.group(0))
            conversation += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    subprocess.run([pg_script, "halt"], check=True)
    outage = {"503": False}
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if a.health() == 503 and b.health() == 503:
            outage["503"] = True
        time.sleep(0.1)
    check(a.process.poll() is None and b.process.poll() is None, "both instances still run without their database")
    check(outage["503"], "/healthz says 503 on both instances while the database is down")
    subprocess.run([pg_script, "resume"], check=True)
    wait_for("both instances are healthy again without a restart",
             lambda: a.health() == 200 and b.health() == 200, limit=60)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()
    stored = case_ids(store)
    new = [case for case in stored if case not in before]
    check(len(acknowledged) > 0, f"cases were confirmed under load ({len(acknowledged)}; "
                                 f"{errors['busy']} polite busy replies, {errors['http']} failed requests)")
    check(set(acknowledged) <= set(new), "every confirmed case is stored")
    check(len(acknowledged) == len(set(acknowledged)), "no case number was confirmed twice")
    check(gap_free(stored), f"case numbers run without a gap each day ({len(stored)} cases)")


def main():
    binary, store, config, pg_script = sys.argv[1:5]
    only = set(sys.argv[5:])
    log_dir = tempfile.mkdtemp(prefix="weiquan-multi-")
    api = FakeWeChat()
    api_base = f"http://127.0.0.1:{api.port}"
    a = Instance("a", binary, store, config, api_base, log_dir)
    b = Instance("b", binary, store, config, api_base, log_dir)
    try:
        a.start()
        b.start()
        tokens = [make_token(binary, store, config, "staff-a"), make_token(binary, store, config, "staff-b")]
        if not only or "order" in only:
            scenario_order(a, b, store)
        if not only or "retries" in only:
            scenario_retries(a, b, store)
        if not only or "claims" in only:
            scenario_claims(a, b, store, tokens)
        if not only or "outbox" in only:
            scenario_outbox(a, b, store, tokens, api, binary, config, log_dir)
        if not only or "database" in only:
            scenario_database(a, b, store, pg_script)
        # One refresher: a token is fetched only by the instance holding the outbox role, once per term at most.
        terms = sum(open(os.path.join(log_dir, f"{name}.log"), errors="replace").read().count(
            "role=outbox [WeiquanPostgres] took the role") for name in ("a", "b"))
        check(api.token_requests <= terms,
              f"access tokens fetched only by the holder of the outbox role ({api.token_requests} fetches, "
              f"{terms} terms)")
    finally:
        a.stop()
        b.stop()
    print(f"logs in {log_dir}")
    if FAILURES:
        print(f"multi-instance test: {len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("multi-instance test: all checks passed")


if __name__ == "__main__":
    main()
