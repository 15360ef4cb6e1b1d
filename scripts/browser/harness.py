"""What every browser test shares: one headless Chromium (Selenium), the running server, its tokens, the fake WeChat
API, and the checks each page must pass at a phone and a desktop width. scripts/browser-test.sh sets it up.

A test module is scripts/browser/test_NN_name.py with `run(h)`; `h` is the Harness below:

    h.sign_in("staff")            sign in through the form (roles: admin, staff, staff2, volunteer)
    h.forget_session()            leave the page, then clear the cookies (never clear them under a live page)
    h.visit("/console/cases", "cases")
                                  load at 390 and 1280 px: no alert, no horizontal overflow, no SEVERE console
                                  entries, under 100 KB, screenshot screenshots/console-cases-390.png (and -1280)
    h.check(name, ok, detail)     one line ok/FAIL
    h.wechat(user, text)          a signed plain-mode text message to /wechat; returns the reply's text
    h.wechat_picture(user, id)    a picture message (the fake WeChat API serves `browser-picture-1` as a PNG)
    h.sent()                      the customer-service messages the fake WeChat API received (dicts)
    h.wait_for(fn, what)          polls fn() up to 10 s; returns its last value
    h.markup_as_text(tag)         the page shows MARKUP as text and has no injected element
    h.driver                      Selenium's driver
"""

import hashlib
import json
import os
import re
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

VIEWPORTS = [(390, 844), (1280, 900)]
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>']
MAX_BYTES = 100 * 1024


class Harness:
    def __init__(self, base, shots):
        self.base = base
        self.shots = shots
        self.failures = 0
        self.tokens = {role: os.environ[f"WQ_TOKEN_{role.upper()}"] for role in ("admin", "staff", "staff2", "volunteer")}
        self.names = {role: os.environ[f"WQ_NAME_{role.upper()}"] for role in ("admin", "staff", "staff2", "volunteer")}
        self.wechat_token = os.environ.get("WQ_WECHAT_TOKEN", "weiquandemo")
        self.fake_api = os.environ["WQ_FAKE_API"]
        self.message_id = int(time.time()) * 1000
        os.makedirs(shots, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An alert stays open for the checks instead of being dismissed by the driver.
        options.set_capability("unhandledPromptBehavior", "ignore")
        self.driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
        self.width = None
        self.set_width(1280, 900)

    # MARK: - Checks

    def check(self, name, ok, detail=""):
        if not ok:
            self.failures += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + str(detail) if detail and not ok else ''}", flush=True)
        return ok

    def wait_for(self, probe, what, timeout=10.0):
        """Polls `probe` until it returns something true or `timeout` seconds pass; returns its last value."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            try:
                value = probe()
            except Exception:  # the page is changing under the probe
                value = None
            if value:
                return value
            time.sleep(0.1)
        self.check(f"waited for {what}", False, f"not within {timeout} s")
        return value

    def set_width(self, width, height=900):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.width = width

    def no_alert(self, tag):
        try:
            text = self.driver.switch_to.alert.text
            self.driver.switch_to.alert.dismiss()
            return self.check(f"{tag} no alert fired", False, f"an alert was open: {text!r}")
        except NoAlertPresentException:
            return self.check(f"{tag} no alert fired", True)

    def markup_as_text(self, tag, required=True):
        """The hostile markup shows as text (when `required`) and no element was injected."""
        text = self.driver.execute_script("return document.body.innerText")
        if required:
            missing = [markup for markup in MARKUP if markup not in text]
            self.check(f"{tag} markup shown as text", not missing, missing)
        injected = self.driver.execute_script(
            "return document.querySelectorAll('img[onerror], [onerror], [onload], [onclick], body script:not([src])"
            ":not([type=\"application/json\"])').length")
        self.check(f"{tag} no injected script or event handler", injected == 0, f"{injected} element(s)")

    def page_checks(self, tag, expect_status=200):
        """What every page must pass at the current width (a page meant to answer an error status logs that one
        failed load, which is expected)."""
        self.no_alert(tag)
        inner, client, scroll = self.driver.execute_script(
            "const e = document.documentElement; return [window.innerWidth, e.clientWidth, e.scrollWidth]")
        self.check(f"{tag} no horizontal overflow (scrollWidth {scroll} <= clientWidth {client})",
                   inner == self.width and scroll <= client <= inner,
                   f"innerWidth {inner}, clientWidth {client}, scrollWidth {scroll}")
        expected = f"status of {expect_status} "
        severe = [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"
                  and not (expect_status != 200 and entry.get("source") == "network" and expected in entry["message"]
                           and entry["message"].startswith(self.driver.current_url))]
        self.check(f"{tag} no SEVERE console entries", not severe, severe)

    def visit(self, path, name, expect_status=200):
        """Loads `path` at both widths with every page check and a screenshot of each; ends at the desktop width."""
        size, status = self.fetch_size(path)
        self.check(f"{path} answers {expect_status} with HTML under {MAX_BYTES // 1024} KB ({size} bytes)",
                   status == expect_status and size < MAX_BYTES, f"status {status}, {size} bytes")
        for width, height in VIEWPORTS:
            self.set_width(width, height)
            tag = f"[{name} {width}]"
            self.driver.get_log("browser")  # drop what earlier pages logged
            self.driver.get(self.base + path)
            self.page_checks(tag, expect_status)
            shot = os.path.join(self.shots, f"console-{name}-{width}.png")
            self.check(f"{tag} screenshot {shot}", self.driver.save_screenshot(shot))
        self.set_width(1280, 900)

    def fetch_size(self, path):
        """The size and status of `path` as this browser's session gets it, outside the browser."""
        request = urllib.request.Request(self.base + path)
        cookie = self.driver.get_cookie("wq_session")
        if cookie:
            request.add_header("Cookie", f"wq_session={cookie['value']}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return len(response.read()), response.status
        except urllib.error.HTTPError as error:
            return len(error.read()), error.code

    # MARK: - People

    def forget_session(self):
        """Leaves the page for about:blank, then clears every cookie: a live console page whose cookies went would
        call the API, get 401 and send itself to the sign-in page with `next` set to itself, racing the next
        navigation (a volunteer signing in next would land on that page)."""
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})

    def sign_in(self, role):
        """Signs in through the form as `role`, from a browser with no session."""
        self.forget_session()
        self.driver.get(self.base + "/console/sign-in")
        self.driver.find_element(By.ID, "token").send_keys(self.tokens[role])
        self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.wait_for(lambda: "/sign-in" not in self.driver.current_url, f"{role} signed in")

    def sign_out(self):
        self.driver.find_element(By.CSS_SELECTOR, "form.who button").click()
        self.wait_for(lambda: "/console/sign-in" in self.driver.current_url, "signed out")

    # MARK: - WeChat

    def wechat(self, user, text):
        """Sends `text` from `user` as WeChat would (plain mode, signed); returns the passive reply's text."""
        return self.post_wechat(user, f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>")

    def wechat_picture(self, user, media_id):
        """Sends a picture from `user` whose temporary media the fake WeChat API serves (`browser-picture-1`)."""
        return self.post_wechat(user, "<MsgType><![CDATA[image]]></MsgType>"
                                      f"<PicUrl><![CDATA[http://example.invalid/{media_id}.png]]></PicUrl>"
                                      f"<MediaId><![CDATA[{media_id}]]></MediaId>")

    def post_wechat(self, user, fields):
        self.message_id += 1
        timestamp, nonce = str(int(time.time())), "4242"
        signature = hashlib.sha1("".join(sorted([self.wechat_token, timestamp, nonce])).encode()).hexdigest()
        body = ("<xml><ToUserName><![CDATA[gh_browser]]></ToUserName>"
                f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{timestamp}</CreateTime>"
                f"{fields}<MsgId>{self.message_id}</MsgId></xml>").encode()
        request = urllib.request.Request(
            f"{self.base}/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}", data=body,
            headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = response.read().decode()
        match = re.search(r"<Content><!\[CDATA\[(.*?)\]\]></Content>", reply, re.S)
        return match.group(1) if match else ""

    def sent(self):
        """The customer-service messages the fake WeChat API received, oldest first."""
        with urllib.request.urlopen(self.fake_api + "/_sent", timeout=10) as response:
            return json.loads(response.read())

    def sent_texts(self, user=None):
        return [message.get("text", {}).get("content", "") for message in self.sent()
                if message.get("msgtype") == "text" and (user is None or message.get("touser") == user)]

    def quit(self):
        self.driver.quit()
