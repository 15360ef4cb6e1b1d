"""Cases in the browser: an applicant files an aid request through WeChat with markup in its free-text answers;
staff find it in the list, open it, accept it with the page's form and see the timeline and the status change; the
markup shows as text everywhere and never runs. A second applicant asks for their data to be deleted; the centre's
staff decline it on the erasures page with a reason, which the applicant is told.

Run by scripts/browser-test.sh with the harness `h` (scripts/browser/harness.py).
"""

import sys
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from wechat_client import AID_ANSWERS, CASE_ID  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
FACTS = f"他们在网店上销售仿冒我们专利的产品 {SCRIPT} {IMAGE}"
OTHER_PARTY = f"深圳某某贸易有限公司 {IMAGE}"
APPLICANT = "o_browser_cases_applicant"
ERASING = "o_browser_cases_erasure"


def answers():
    """The aid-request dialogue with markup in the other party and the facts (free-text answers)."""
    replaced = list(AID_ANSWERS)
    replaced[AID_ANSWERS.index("深圳某某贸易有限公司")] = OTHER_PARTY
    replaced[AID_ANSWERS.index("他们在网店上销售仿冒我们专利的产品")] = FACTS
    return replaced


def nothing_ran(h, where):
    """No element the markup would have made exists, and no alert is open (h.visit checks alerts on loads)."""
    driver = h.driver
    injected = driver.find_elements(By.CSS_SELECTOR, 'img[src="x"]') + [
        script for script in driver.find_elements(By.TAG_NAME, "script") if "alert(" in (script.get_attribute("innerHTML") or "")
    ]
    h.check(f"{where}: the markup made no element", not injected, [e.tag_name for e in injected])


def run(h):
    # The applicant files the request through WeChat; the last reply names the case.
    reply = ""
    for number, text in enumerate(answers()):
        if number == len(answers()) - 1:
            # A picture of the evidence while the form is open: kept with the case, shown on its page.
            h.wechat_picture(APPLICANT, "browser-picture-1")
        reply = h.wechat(APPLICANT, text)
    found = CASE_ID.search(reply or "")
    h.check("the aid request was filed through WeChat", found is not None, reply)
    if not found:
        return
    case_id = found.group(0)

    h.sign_in("staff")
    driver = h.driver

    # The list: the case is there, with its facts' start as text.
    h.visit("/console/cases", "cases")
    rows = driver.find_elements(By.CSS_SELECTOR, "#case-list tbody tr")
    listed = [row for row in rows if case_id in row.text]
    h.check(f"the list shows {case_id}", bool(listed), [row.text[:40] for row in rows[:5]])
    nothing_ran(h, "list")
    h.visit("/console/cases?status=submitted&q=" + case_id, "cases-filtered")
    counts = driver.find_element(By.ID, "case-counts").text
    h.check("filtering by status and text finds exactly the case", "共 1 件" in counts, counts)

    # The case: opened from the list by its link.
    h.visit(f"/console/cases/{case_id}", "case")
    facts = driver.find_element(By.ID, "case-facts").text
    h.check("the facts show the markup as text", SCRIPT in facts and IMAGE in facts, facts)
    h.check("the other party shows the markup as text", OTHER_PARTY in facts, facts)
    h.markup_as_text("[case]")
    nothing_ran(h, "case")
    # The picture is fetched from WeChat in the background; once kept, the page shows it inline.
    def shown():
        driver.get(h.base + f"/console/cases/{case_id}")
        images = driver.find_elements(By.CSS_SELECTOR, "#case-evidence img.evidence-image")
        return images and driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", images[0])
    width = h.wait_for(shown, "the evidence picture kept and shown")
    h.check("the evidence picture is shown inline from the API with the session cookie", width == 48, width)
    driver.execute_script("document.getElementById('case-evidence').scrollIntoView()")
    h.check("screenshot of the evidence", driver.save_screenshot(f"{h.shots}/console-case-evidence-1280.png"))
    right = driver.find_element(By.ID, "case-right-status").text
    h.check("the case shows what the registry holds of its right", "201310268509.X" in right and "有效" in right, right)
    status = driver.find_element(By.ID, "case-status").text
    h.check("the case is waiting for a decision", status == "已提交，待审核", status)

    # Accept it with the page's form: the page reloads with the new status and the timeline's new entry.
    form = driver.find_element(By.CSS_SELECTOR, 'form[data-action="accept"]')
    form.find_element(By.NAME, "note").send_keys("材料齐全（浏览器测试）")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    h.wait_for(lambda: driver.find_element(By.ID, "case-status").text == "已受理，待办理", "the status after accepting")
    timeline = driver.find_element(By.ID, "case-timeline").text
    h.check("the timeline shows the acceptance and its note", "受理" in timeline and "材料齐全（浏览器测试）" in timeline, timeline)
    h.check("the accepted case offers start and conclude",
            bool(driver.find_elements(By.CSS_SELECTOR, 'form[data-action="start"]'))
            and bool(driver.find_elements(By.CSS_SELECTOR, 'form[data-action="conclude"]')))
    h.wait_for(lambda: any(case_id in text and "已受理" in text for text in h.sent_texts(APPLICANT)),
               "the applicant told of the acceptance through the WeChat API")
    h.visit(f"/console/cases/{case_id}", "case-accepted")
    # The forms below the timeline, at a phone's width too.
    for width, height in ((390, 844), (1280, 900)):
        h.set_width(width, height)
        driver.get(h.base + f"/console/cases/{case_id}")
        driver.execute_script("document.getElementById('transitions-title').scrollIntoView()")
        shot = f"{h.shots}/console-case-actions-{width}.png"
        h.check(f"[case-actions {width}] screenshot {shot}", driver.save_screenshot(shot))
    h.set_width(1280, 900)
    driver.get(h.base + f"/console/cases/{case_id}")

    # Start, then conclude with an outcome: the conclusion's body is nested (cases.js, not console.js).
    driver.find_element(By.CSS_SELECTOR, 'form[data-action="start"] button[type=submit]').click()
    h.wait_for(lambda: driver.find_element(By.ID, "case-status").text == "办理中", "the status after starting")
    conclude = driver.find_element(By.CSS_SELECTOR, 'form[data-action="conclude"]')
    Select(conclude.find_element(By.NAME, "outcome.kind")).select_by_value("other")
    conclude.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    h.wait_for(lambda: conclude.find_element(By.CSS_SELECTOR, ".form-error").text, "the refusal of an outcome 'other' without a text")
    h.check("an outcome 'other' without its text is refused on the form",
            conclude.find_element(By.CSS_SELECTOR, ".form-error").text != "")
    Select(conclude.find_element(By.NAME, "outcome.kind")).select_by_value("guidance_given")
    conclude.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    h.wait_for(lambda: driver.find_element(By.ID, "case-status").text == "已结案", "the status after concluding")
    facts = driver.find_element(By.TAG_NAME, "main").text
    h.check("the outcome shows on the case", "给予维权指导" in facts, facts[:300])
    h.wait_for(lambda: any(case_id in text and "已结案" in text for text in h.sent_texts(APPLICANT)),
               "the applicant told of the conclusion")

    # A note with markup: shown as text in the timeline.
    note = driver.find_element(By.ID, "note-text")
    note.send_keys(f"备注 {SCRIPT}")
    driver.find_element(By.CSS_SELECTOR, "#note-form button[type=submit]").click()
    h.wait_for(lambda: f"备注 {SCRIPT}" in driver.find_element(By.ID, "case-timeline").text, "the note in the timeline")
    nothing_ran(h, "case after the note")

    # Staff contact the applicant about the concluded case: a takeover of their conversation opens the handoff
    # page, whose reply reaches the applicant through the WeChat API.
    driver.find_element(By.CSS_SELECTOR, "#case-takeover button[type=submit]").click()
    h.wait_for(lambda: "/console/handoffs/" in driver.current_url, "the takeover's handoff page")
    reply = f"您好，关于案件 {case_id} 还需补充一份授权书（浏览器测试）。"
    composer = h.wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "textarea[name=text]"), "the composer")
    composer.send_keys(reply)
    composer.find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    h.wait_for(lambda: reply in h.sent_texts(APPLICANT), "the reply after a takeover from the case page")
    h.check("a takeover from the case page reaches the applicant with exactly that text",
            h.sent_texts(APPLICANT).count(reply) == 1, h.sent_texts(APPLICANT)[-3:])

    # Erasure requests: the centre's staff (admin) decline one with a reason.
    h.wechat(ERASING, "删除我的信息")
    h.wechat(ERASING, "1")
    h.sign_in("admin")
    h.visit("/console/erasures?status=pending", "erasures")
    rows = [row for row in driver.find_elements(By.CSS_SELECTOR, "#erasure-list tbody tr") if ERASING in row.text]
    h.check("the pending erasure request is listed", bool(rows))
    if rows:
        decline = rows[0].find_element(By.CSS_SELECTOR, 'form[data-api$="/decline"]')
        decline.find_element(By.NAME, "reason").send_keys("案件尚在诉讼中，依法需保留")
        decline.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        h.wait_for(lambda: not [r for r in driver.find_elements(By.CSS_SELECTOR, "#erasure-list tbody tr")
                                if ERASING in r.text], "the declined request leaves the pending list")
        h.wait_for(lambda: any("案件尚在诉讼中" in text for text in h.sent_texts(ERASING)),
                   "the applicant told the reason through the WeChat API")
    h.visit("/console/erasures", "erasures-all")
    h.check("the declined request shows its reason", "案件尚在诉讼中，依法需保留" in driver.find_element(By.TAG_NAME, "main").text)
