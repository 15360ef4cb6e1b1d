"""The managers' and admins' pages: a manager (the admin) opens the reports and sees the server-drawn charts, creates
a token on the people page and sees its secret once (and a one-time sign-in link, then revokes it), edits a
knowledge entry with markup in it (text on the page and on the public /kb), and talks to the bot on the try page
(nothing reaches WeChat). Staff are refused the people page. Every page of the family at both widths."""

import json
import time
import urllib.error
import urllib.request

from harness import MARKUP
from selenium.webdriver.common.by import By

HOSTILE_ID = "kb-browser-test-markup"
AID_REQUEST = ["我要申请维权援助", "1", "2", "南宁某某科技有限公司", "13800138000", "1", "1", "201310268509.X",
               "深圳某某贸易有限公司", "他们在网店上销售仿冒我们专利的产品", "1 4", "有购买记录和网页截图", "1"]


def bearer(h, path, secret):
    request = urllib.request.Request(h.base + path, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def text_of(h, selector):
    elements = h.driver.find_elements(By.CSS_SELECTOR, selector)
    return elements[0].text if elements and elements[0].is_displayed() else ""


def reports(h):
    # One case filed through WeChat, so that the cases chart has a bar.
    reply = ""
    for text in AID_REQUEST:
        reply = h.wechat("browser-report-applicant", text)
    h.check("an aid request filed through WeChat for the report", "WQ" in reply, reply)
    h.visit("/console/reports", "reports")
    h.visit("/console/reports?period=quarter", "reports-quarter")
    charts = h.driver.find_elements(By.CSS_SELECTOR, "figure.chart > svg[role=img]")
    h.check("the reports page shows three SVG charts", len(charts) == 3, len(charts))
    h.check("…all visible", all(chart.is_displayed() and chart.size["height"] > 20 for chart in charts),
            [chart.size for chart in charts])
    titles = [chart.find_element(By.TAG_NAME, "title").get_attribute("textContent") for chart in charts]
    h.check("…each with a title", all(titles) and "满意度" in titles[2], titles)
    bars = h.driver.find_elements(By.CSS_SELECTOR, "#chart-cases rect")
    h.check("the filed case is drawn as a bar", len(bars) >= 1, len(bars))
    csv = h.driver.find_element(By.PARTIAL_LINK_TEXT, "CSV").get_attribute("href")
    h.check("the CSV link asks the API for CSV", "/api/v1/reports?" in csv and "format=csv" in csv, csv)
    size, status = h.fetch_size(csv[len(h.base):])
    h.check("the CSV downloads with the session cookie", status == 200 and size > 0, (status, size))


def people(h):
    h.visit("/console/people", "people")
    form = h.driver.find_element(By.ID, "create-token")
    form.find_element(By.ID, "token-name").send_keys("浏览器-志愿者")
    form.find_element(By.CSS_SELECTOR, "#token-role option[value=volunteer]").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    secret = h.wait_for(lambda: text_of(h, "#secret-value"), "the new token's secret")
    h.check("the new token's secret is shown once", (secret or "").startswith("wq_"), secret)
    status, me = bearer(h, "/api/v1/me", secret)
    h.check("…and it opens the API as a volunteer", status == 200 and me["role"] == "volunteer", (status, me))
    form.find_element(By.ID, "token-name").send_keys("浏览器-志愿者")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    refusal = h.wait_for(lambda: text_of(h, "#create-token .form-error"), "the duplicate refused")
    h.check("a second token of the same name is refused in Chinese", "同名" in (refusal or ""), refusal)
    h.driver.refresh()
    h.check("after a reload the secret is gone", secret not in h.driver.page_source)
    row = [tr for tr in h.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr") if "浏览器-志愿者" in tr.text]
    h.check("the new token is listed", len(row) == 1, len(row))
    row[0].find_element(By.CSS_SELECTOR, ".link-form button").click()
    link = h.wait_for(lambda: text_of(h, "#secret-value"), "a one-time sign-in link")
    h.check("a one-time sign-in link is shown", "/console/sign-in/link#wq_" in (link or ""), link)
    row[0].find_element(By.CSS_SELECTOR, "button.danger").click()
    h.wait_for(lambda: h.driver.switch_to.alert, "the confirmation").accept()
    h.wait_for(lambda: "已吊销" in " ".join(tr.text for tr in h.driver.find_elements(By.CSS_SELECTOR, "tbody tr")
                                          if "浏览器-志愿者" in tr.text), "the token revoked")
    status, _ = bearer(h, "/api/v1/me", secret)
    h.check("a revoked token no longer opens the API", status == 401, status)


def knowledge(h):
    h.visit("/console/knowledge", "knowledge")
    h.markup_as_text("[knowledge list]", required=False)
    h.visit(f"/console/knowledge/{HOSTILE_ID}", "knowledge-entry")
    h.markup_as_text("[knowledge entry]")
    title = h.driver.find_element(By.ID, "entry-title").get_attribute("value")
    h.check("the edit form holds the entry's own title", title == " ".join(MARKUP), title)
    answer = h.driver.find_element(By.ID, "entry-answer")
    answer.clear()
    edited = "浏览器测试改过的答案 " + " ".join(MARKUP)
    answer.send_keys(edited)
    h.driver.find_element(By.CSS_SELECTOR, "#edit-entry button[type=submit]").click()
    h.wait_for(lambda: edited in h.driver.find_element(By.CSS_SELECTOR, "section.card p.pre:not(.muted)").text,
               "the edited answer shown after the reload")
    h.no_alert("[knowledge entry edited]")
    h.markup_as_text("[knowledge entry edited]")
    # The public page, past any copy the browser kept of it.
    h.driver.get(h.base + f"/kb?edited={int(time.time())}")
    h.check("the edit shows on the public /kb as text", edited in h.driver.find_element(By.TAG_NAME, "body").text)
    h.no_alert("[kb after edit]")
    h.markup_as_text("[kb after edit]")
    h.driver.get(h.base + f"/console/knowledge/{HOSTILE_ID}")
    title = h.driver.find_element(By.ID, "entry-title").get_attribute("value")
    h.check("saving kept the entry's title", title == " ".join(MARKUP), title)


def try_the_bot(h):
    h.visit("/console/try", "try")
    before = len(h.sent())
    box = h.driver.find_element(By.ID, "try-text")
    for text in AID_REQUEST:
        count = len(h.driver.find_elements(By.CSS_SELECTOR, ".msg-in"))
        box.send_keys(text)
        h.driver.find_element(By.CSS_SELECTOR, "#try-form button[type=submit]").click()
        h.wait_for(lambda: len(h.driver.find_elements(By.CSS_SELECTOR, ".msg-in")) > count, f"the bot's reply to {text}")
    note = h.wait_for(lambda: text_of(h, ".msg-note"), "the practice note")
    h.check("filing a case is described, not done", "练习模式：此处会登记案件" in (note or ""), note)
    status, cases = bearer(h, "/api/v1/cases", h.tokens["admin"])
    filed = [case for case in (cases or {}).get("cases", []) if case.get("applicant", "").startswith("practice:")]
    h.check("…and no case was filed", status == 200 and not filed, (status, filed))
    h.driver.refresh()
    shown = h.wait_for(lambda: len(h.driver.find_elements(By.CSS_SELECTOR, "#try-chat .msg-in")), "the transcript again")
    h.check("after a reload the practice transcript is shown again", (shown or 0) >= len(AID_REQUEST), shown)
    box = h.driver.find_element(By.ID, "try-text")
    h.driver.find_element(By.ID, "try-reset").click()
    h.wait_for(lambda: "重新开始" in text_of(h, ".msg-note"), "a fresh practice conversation")
    box.send_keys(MARKUP[0] + " " + MARKUP[1])
    h.driver.find_element(By.CSS_SELECTOR, "#try-form button[type=submit]").click()
    h.wait_for(lambda: text_of(h, ".msg-in"), "the bot's answer to markup")
    h.no_alert("[try markup]")
    h.markup_as_text("[try markup]")
    h.check("nothing reached WeChat", len(h.sent()) == before, h.sent()[before:])
    h.visit("/console/try", "try-after")


def run(h):
    h.sign_in("admin")
    reports(h)
    people(h)
    knowledge(h)
    try_the_bot(h)
    h.sign_in("staff")
    h.visit("/console/people", "people-staff", expect_status=403)
    h.visit("/console/reports", "reports-staff")
