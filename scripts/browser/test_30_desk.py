"""The staff desk in the browser (the live queue and one handoff): a staff member signs in with the queue open, a
WeChat applicant asks for a person and the handoff appears without a reload (title badge while the tab is hidden, an
announcement in the live region), the applicant's markup shows as text on both pages, staff claim it, send a
ready-made reply and a typed one (the fake WeChat API receives exactly those texts), and close it."""

import json
import urllib.request

from harness import MARKUP
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

APPLICANT = "browser-desk-applicant"


def api(h, path):
    """GET `path` of /api/v1 with the browser's session, as JSON."""
    request = urllib.request.Request(h.base + "/api/v1" + path)
    request.add_header("Cookie", f"wq_session={h.driver.get_cookie('wq_session')['value']}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def rows(h):
    return {row.get_attribute("data-id"): row for row in h.driver.find_elements(By.CSS_SELECTOR, "#queue-rows tr")}


def run(h):
    driver = h.driver
    h.sign_in("staff")
    driver.get(h.base + "/console/queue")
    h.wait_for(lambda: driver.find_element(By.ID, "queue-live").text == "实时更新中", "the queue's live connection")
    known = set(rows(h))
    base_title = driver.title
    # As if the tab were in the background: a new arrival puts a count in the title.
    driver.execute_script("Object.defineProperty(document, 'hidden', {value: true, configurable: true})")

    reply = h.wechat(APPLICANT, "转人工")
    h.check("the applicant asking for a person is queued", "排在第" in reply, reply)
    new = h.wait_for(lambda: [id for id in rows(h) if id not in known], "the handoff on the open queue page")
    if not new:
        return
    handoff = new[0]
    place = rows(h)[handoff].text
    h.check("it appeared without a reload, with its place in the queue", "第 " in place and " 位" in place, place)
    h.check("the hidden tab's title counts the arrival", driver.title == "(1) " + base_title, driver.title)
    announced = driver.find_element(By.ID, "queue-announce").get_attribute("textContent")
    h.check("the live region announces it", handoff in announced, announced)
    driver.execute_script("Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
                          "document.dispatchEvent(new Event('visibilitychange'))")
    h.check("the title is plain again once the tab is seen", driver.title == base_title, driver.title)

    # What the applicant writes while waiting reaches the queue's summary live, as text.
    for text in MARKUP:
        h.wechat(APPLICANT, text)
    h.wait_for(lambda: MARKUP[1] in rows(h)[handoff].text, "the applicant's markup in the queue's summary")
    h.markup_as_text("[queue live]")
    h.visit("/console/queue", "queue")
    h.markup_as_text("[queue]")

    driver.get(h.base + f"/console/handoffs/{handoff}")
    h.markup_as_text("[handoff]")
    driver.find_element(By.CSS_SELECTOR, 'form[data-api$="/claim"] button[type=submit]').click()
    h.wait_for(lambda: driver.find_elements(By.ID, "composer-text"), "the composer once claimed")
    h.check("the handoff is active and mine", api(h, f"/handoffs/{handoff}")["assignee"] == h.names["staff"])
    h.wait_for(lambda: driver.find_element(By.ID, "handoff-live").text == "实时更新中", "the page's live connection")
    more = "补充一下：对方的网店链接我稍后发给您。"
    h.wechat(APPLICANT, more)
    h.wait_for(lambda: more in driver.find_element(By.ID, "transcript").text,
               "the applicant's new message in the open transcript without a reload")

    # A ready-made reply fills the composer; sent as it is.
    ready = api(h, "/replies")["replies"]
    h.wait_for(lambda: driver.find_element(By.ID, "reply-box").is_displayed(), "the ready-made replies")
    Select(driver.find_element(By.ID, "reply-picker")).select_by_index(1)
    composer = driver.find_element(By.ID, "composer-text")
    h.check("choosing a ready-made reply fills the composer", composer.get_attribute("value") == ready[0]["text"],
            composer.get_attribute("value"))
    driver.find_element(By.CSS_SELECTOR, 'form[data-api$="/messages"] button[type=submit]').click()
    sent = h.wait_for(lambda: ready[0]["text"] in h.sent_texts(APPLICANT), "the ready-made reply at the WeChat API")
    h.check("the fake WeChat API received exactly the ready-made reply", sent)

    typed = "您好，材料已收到，我们核对后尽快回复您。"
    h.wait_for(lambda: driver.find_element(By.ID, "composer-text").get_attribute("value") == "", "the page reloaded")
    driver.find_element(By.ID, "composer-text").send_keys(typed)
    driver.find_element(By.CSS_SELECTOR, 'form[data-api$="/messages"] button[type=submit]').click()
    sent = h.wait_for(lambda: typed in h.sent_texts(APPLICANT), "the typed reply at the WeChat API")
    h.check("the fake WeChat API received exactly the typed text", sent)
    h.wait_for(lambda: typed in driver.find_element(By.ID, "transcript").text, "the reply in the transcript")

    h.visit(f"/console/handoffs/{handoff}", "handoff")
    h.markup_as_text("[handoff]")
    for width, height in [(390, 844), (1280, 900)]:
        h.set_width(width, height)
        driver.execute_script("document.getElementById('actions-title').scrollIntoView()")
        shot = f"{h.shots}/console-handoff-actions-{width}.png"
        h.check(f"[handoff {width}] screenshot {shot}", driver.save_screenshot(shot))
    h.set_width(1280, 900)

    driver.find_element(By.CSS_SELECTOR, 'form[data-api$="/close"] button[type=submit]').click()
    h.wait_for(lambda: driver.switch_to.alert, "the confirmation")
    driver.switch_to.alert.accept()
    h.wait_for(lambda: "已结束" in driver.find_element(By.CSS_SELECTOR, ".page-head .badge").text, "the closed page")
    h.check("the handoff is closed", api(h, f"/handoffs/{handoff}")["status"] == "ended")
    h.check("the ended handoff offers a takeover",
            bool(driver.find_elements(By.CSS_SELECTOR, 'form[data-api$="/takeover"]')))
    driver.get(h.base + "/console/queue")
    h.check("the closed handoff left the queue", handoff not in rows(h), list(rows(h)))
