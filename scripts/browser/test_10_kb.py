"""The public knowledge-base page (/kb, no sign-in): every seeded entry, the hostile entry's markup as text, and the
page checks at both widths. The server holds intents/knowledge-seed.json and the browser test's hostile entry."""

import json
import os

from selenium.webdriver.common.by import By

HOSTILE_ID = "kb-browser-test-markup"
SEED = os.path.join(os.path.dirname(__file__), "..", "..", "intents", "knowledge-seed.json")


def run(h):
    entries = json.load(open(SEED, encoding="utf-8"))["entries"]
    published = [entry["title"] for entry in entries if entry.get("status", "published") == "published"]
    retired = [entry["title"] for entry in entries if entry.get("status", "published") != "published"]
    size, status = h.fetch_size("/kb")
    h.check(f"/kb is under 100 KB ({size} bytes)", status == 200 and size < 100 * 1024, f"{status}, {size} bytes")
    for width, height in [(390, 844), (1280, 900)]:
        tag = f"[kb {width}]"
        h.set_width(width, height)
        h.driver.get_log("browser")
        h.driver.get(h.base + "/kb")
        h.page_checks(tag)
        h.check(f"{tag} title starts with 优秀问答", h.driver.title.startswith("优秀问答"), repr(h.driver.title))
        heading = h.driver.find_element(By.TAG_NAME, "h1").text
        h.check(f"{tag} heading is 优秀问答", heading == "优秀问答", repr(heading))
        titles = [element.text for element in h.driver.find_elements(By.CSS_SELECTOR, "article h3")]
        absent = [title for title in published if title not in titles]
        h.check(f"{tag} all {len(published)} seeded entries shown", not absent, absent)
        shown_retired = [title for title in retired if title in titles]
        h.check(f"{tag} retired entries not shown", not shown_retired, shown_retired)
        h.markup_as_text(tag)
        shot = os.path.join(h.shots, f"kb-{width}.png")
        h.check(f"{tag} screenshot {shot}", h.driver.save_screenshot(shot))
        h.driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", HOSTILE_ID)
        shot = os.path.join(h.shots, f"kb-{width}-markup.png")
        h.check(f"{tag} screenshot {shot}", h.driver.save_screenshot(shot))
    h.set_width(1280, 900)
