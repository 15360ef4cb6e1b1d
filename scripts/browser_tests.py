"""The public HTML pages in headless Chromium (Selenium); run by scripts/browser-test.sh against a running server.

    browser_tests.py BASE_URL SEED_JSON SCREENSHOT_DIR

Prints one line per check (ok/FAIL) and exits 1 if any failed. The server must hold the seed's entries and the
browser test's hostile entry (markup in its title, question and answer).
"""

import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BASE, SEED, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
VIEWPORTS = [(390, 844), (1280, 900)]
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>']
HOSTILE_ID = "kb-browser-test-markup"
MAX_BYTES = 100 * 1024

failures = 0


def check(name, ok, detail=""):
    global failures
    if not ok:
        failures += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + str(detail) if detail and not ok else ''}", flush=True)


entries = json.load(open(SEED, encoding="utf-8"))["entries"]
published = [entry["title"] for entry in entries if entry.get("status", "published") == "published"]
retired = [entry["title"] for entry in entries if entry.get("status", "published") != "published"]

# The bytes as any client gets them, outside the browser.
with urllib.request.urlopen(BASE + "/kb", timeout=10) as response:
    body = response.read()
    content_type = response.headers.get("Content-Type", "")
check(f"/kb is HTML under {MAX_BYTES // 1024} KB ({len(body)} bytes)",
      len(body) < MAX_BYTES and content_type.startswith("text/html"), f"{len(body)} bytes, {content_type}")

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
# An alert stays open for the check below instead of being dismissed by the driver.
options.set_capability("unhandledPromptBehavior", "ignore")
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
os.makedirs(SHOTS, exist_ok=True)
try:
    for width, height in VIEWPORTS:
        tag = f"[{width}x{height}]"
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        driver.get_log("browser")  # drop what an earlier load logged
        driver.get(BASE + "/kb")

        try:
            text = driver.switch_to.alert.text
            check(f"{tag} no alert fired", False, f"an alert is open: {text!r}")
            driver.switch_to.alert.dismiss()
            continue
        except NoAlertPresentException:
            check(f"{tag} no alert fired", True)

        check(f"{tag} title starts with 优秀问答", driver.title.startswith("优秀问答"), repr(driver.title))
        heading = driver.find_element(By.TAG_NAME, "h1").text
        check(f"{tag} heading is 优秀问答", heading == "优秀问答", repr(heading))

        titles = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "article h3")]
        absent = [title for title in published if title not in titles]
        check(f"{tag} all {len(published)} seeded entries shown", not absent, absent)
        shown_retired = [title for title in retired if title in titles]
        check(f"{tag} retired entries not shown", not shown_retired, shown_retired)

        page_text = driver.execute_script("return document.body.innerText")
        hostile = " ".join(element.text for element in driver.find_elements(By.ID, HOSTILE_ID))
        check(f"{tag} markup shown as text", all(markup in page_text and markup in hostile for markup in MARKUP),
              hostile)
        injected = driver.execute_script(
            "return document.querySelectorAll('img[onerror], script, [onerror], [onload]').length")
        check(f"{tag} no script or event-handler element", injected == 0, f"{injected} element(s)")

        # clientWidth is innerWidth less the scrollbar: content under the scrollbar is cut off too.
        inner, client, scroll = driver.execute_script("const e = document.documentElement; "
                                                      "return [window.innerWidth, e.clientWidth, e.scrollWidth]")
        check(f"{tag} no horizontal overflow (scrollWidth {scroll} <= clientWidth {client}, innerWidth {inner})",
              inner == width and scroll <= client <= inner,
              f"innerWidth {inner}, clientWidth {client}, scrollWidth {scroll}")

        severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        check(f"{tag} no SEVERE console entries", not severe, severe)

        shot = os.path.join(SHOTS, f"kb-{width}.png")
        check(f"{tag} screenshot {shot}", driver.save_screenshot(shot))
        # The hostile entry, to see the markup rendered as text.
        driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", HOSTILE_ID)
        shot = os.path.join(SHOTS, f"kb-{width}-markup.png")
        check(f"{tag} screenshot {shot}", driver.save_screenshot(shot))
finally:
    driver.quit()

print(f"browser tests: {failures} failure(s)")
sys.exit(1 if failures else 0)
