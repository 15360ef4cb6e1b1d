"""The volunteer queue in the browser (helper C of issue 13): an applicant asks a question through WeChat with markup
in it; a volunteer signs in, sees it redacted in their queue, claims it (declaring no conflict of interest), asks a
follow-up the applicant answers, and answers; staff approve it on the review page; the fake WeChat API receives the
answer once; the applicant rates it and the volunteer's history shows the rating. The markup shows as text on every
page and nothing runs. Every page of the family is visited at both widths (h.visit).
"""

import json
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

APPLICANT = "oBrowserQuestion50"
MARKER = "浏览器测试五十号"
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
QUESTION = (f"我的注册商标被网店商家使用（{MARKER}）{SCRIPT} {IMAGE} "
            "对方称在先使用，我能否要求停止使用和赔偿？")
FOLLOW_UP = "对方的网店是哪一年开始使用这个标志的？"
REPLY = f"大概2021年开始用的 {SCRIPT}"
ANSWER = "您可以要求对方停止侵权并赔偿损失；对方主张在先使用的，需证明在您申请注册前已使用并有一定影响。"
RETURN_COMMENT = f"请补充法律依据 {SCRIPT}"
ADDITION = "依据：商标法第五十七条、第五十九条第三款。"


def sent_texts(h):
    """The texts of the customer-service messages the fake WeChat API received for the applicant."""
    texts = []
    for body in h.sent():
        if body.get("touser") == APPLICANT and body.get("msgtype") == "text":
            texts.append(body.get("text", {}).get("content", ""))
    return texts


def markup_is_text(h, name):
    """The hostile markup is on the page as text, and nothing came of it (the harness's check, plus no image)."""
    h.markup_as_text(f"[{name}]")
    planted = h.driver.find_elements(By.CSS_SELECTOR, "img[src='x']")
    h.check(f"[{name}] no image came of the markup", not planted, f"{len(planted)} planted images")


def submit(h, form, accept_confirm=False):
    """Submits `form` with its button; accepts the page's confirm() when it asks."""
    old = h.driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    if accept_confirm:
        WebDriverWait(h.driver, 10).until(lambda driver: driver.switch_to.alert).accept()
    # The form's script reloads or navigates on success: wait for the old page to go.
    WebDriverWait(h.driver, 10).until(lambda driver: not _attached(old))


def _attached(element):
    try:
        element.is_enabled()
        return True
    except Exception:
        return False


def run(h):
    # The applicant asks through WeChat (transcript 27's dialogue).
    prompt = h.wechat(APPLICANT, "我要提问")
    h.check("我要提问 asks for the question", "请用一段话写下您的问题" in prompt, prompt)
    reply = h.wechat(APPLICANT, QUESTION)
    if "已有解答" in reply:
        reply = h.wechat(APPLICANT, "2")
    h.check("the bot asks to confirm the question", "确认提交" in reply, reply)
    done = h.wechat(APPLICANT, "1")
    h.check("the question is filed", "您的问题已提交" in done, done)

    # The volunteer's queue: the question, redacted, markup as text; claim it.
    h.sign_in("volunteer")
    h.visit("/console/questions", "questions")
    markup_is_text(h, "queue")
    rows = [row for row in h.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr") if MARKER in row.text]
    h.check("the question is in the volunteer's queue", len(rows) == 1, f"{len(rows)} rows")
    if not rows:
        return
    link = rows[0].find_element(By.CSS_SELECTOR, "a[href^='/console/questions/Q']").get_attribute("href")
    question_id = re.search(r"/console/questions/(Q\w+)", link).group(1)
    form = rows[0].find_element(By.CSS_SELECTOR, "form[data-api$='/claim']")
    form.find_element(By.CSS_SELECTOR, "input[name=conflict_declared]").click()
    submit(h, form)
    h.wait_for(lambda: f"/console/questions/{question_id}" in h.driver.current_url, "the claim opens the question")
    h.check("the claimed question shows the answer editor",
            bool(h.driver.find_elements(By.CSS_SELECTOR, "textarea#answer-text")))
    h.visit("/console/questions", "questions-held")
    held = h.driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=mine-title]")
    h.check("the queue lists the claim with its lease and renew", question_id in held.text and "续期" in held.text
            and bool(held.find_elements(By.CSS_SELECTOR, f"form[data-api='/api/v1/questions/{question_id}/renew']")))
    submit(h, held.find_element(By.CSS_SELECTOR, "form[data-api$='/renew']"))
    h.driver.get(f"{h.base}/console/questions/{question_id}")

    # A follow-up the applicant answers through WeChat.
    form = h.driver.find_element(By.CSS_SELECTOR, "form[data-api$='/follow-up']")
    form.find_element(By.CSS_SELECTOR, "textarea[name=text]").send_keys(FOLLOW_UP)
    submit(h, form)
    h.wait_for(lambda: any(FOLLOW_UP in text for text in sent_texts(h)), "the follow-up reaches the applicant")
    passed = h.wechat(APPLICANT, REPLY)
    h.check("the applicant's reply is passed on", "转给" in passed, passed)
    h.visit(f"/console/questions/{question_id}", "question-volunteer")
    markup_is_text(h, "question (volunteer)")
    h.check("the volunteer sees the follow-up and the reply",
            FOLLOW_UP in h.driver.page_source and "2021" in h.driver.find_element(By.TAG_NAME, "body").text)

    # The answer goes to review.
    form = h.driver.find_element(By.CSS_SELECTOR, "form[data-api$='/answer']")
    form.find_element(By.CSS_SELECTOR, "textarea[name=text]").send_keys(ANSWER)
    submit(h, form)
    h.wait_for(lambda: "待审核" in h.driver.find_element(By.TAG_NAME, "h1").text, "the answer waits for review")
    h.check("nothing went to the applicant before the review",
            not any(ANSWER in text for text in sent_texts(h)))
    h.visit("/console/questions/history", "question-history")
    h.check("the history lists the answered question", question_id in h.driver.page_source)

    # Staff return it with a comment; the volunteer sees it, completes the answer and sends it again.
    h.sign_in("staff")
    h.driver.get(f"{h.base}/console/review")
    article = h.wait_for(lambda: next(a for a in h.driver.find_elements(By.CSS_SELECTOR, "article")
                                      if question_id in a.text), "the answer on the review page")
    form = article.find_element(By.CSS_SELECTOR, "form textarea[name=comment]").find_element(By.XPATH, "./..")
    form.find_element(By.CSS_SELECTOR, "textarea[name=comment]").send_keys(RETURN_COMMENT)
    submit(h, form)
    h.sign_in("volunteer")
    h.visit(f"/console/questions/{question_id}", "question-returned")
    returned = h.driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=returned-title]").text
    h.check("the volunteer sees the return and its comment as text", RETURN_COMMENT in returned, returned)
    editor = h.driver.find_element(By.CSS_SELECTOR, "textarea#answer-text")
    h.check("the editor holds the answer to revise", editor.get_attribute("value") == ANSWER,
            editor.get_attribute("value"))
    editor.send_keys(ADDITION)
    submit(h, editor.find_element(By.XPATH, "./.."))
    h.wait_for(lambda: "待审核" in h.driver.find_element(By.TAG_NAME, "h1").text, "the revised answer waits for review")

    # Staff approve it on the review page; the applicant gets it once.
    h.sign_in("staff")
    h.visit("/console/review", "review")
    markup_is_text(h, "review")
    articles = [a for a in h.driver.find_elements(By.CSS_SELECTOR, "article") if question_id in a.text]
    h.check("the answer waits on the review page", len(articles) == 1, f"{len(articles)} articles")
    if not articles:
        return
    submit(h, articles[0].find_element(By.CSS_SELECTOR, "form[data-api$='/review']"), accept_confirm=True)
    h.wait_for(lambda: any(ANSWER in text for text in sent_texts(h)), "the answer reaches the applicant")
    h.check("the revised answer was sent once", sum(ANSWER + ADDITION in text for text in sent_texts(h)) == 1,
            json.dumps(sent_texts(h), ensure_ascii=False))
    h.visit("/console/review", "review-empty")
    h.check("the review page no longer lists it", question_id not in h.driver.find_element(By.TAG_NAME, "main").text)
    h.visit(f"/console/questions/{question_id}", "question-staff")
    markup_is_text(h, "question (staff)")
    h.check("staff see the timeline", "审核通过" in h.driver.find_element(By.TAG_NAME, "body").text)
    h.visit("/console/questions", "questions-staff")
    h.visit("/console/questions/history", "question-stats")

    # The applicant's verdict shows in the volunteer's history.
    rated = h.wechat(APPLICANT, "有帮助 谢谢 <b>志愿者</b>")
    h.check("the rating is taken", "谢谢您的反馈" in rated, rated)
    h.sign_in("volunteer")
    h.visit("/console/questions/history", "question-history-rated")
    body = h.driver.find_element(By.TAG_NAME, "body").text
    h.check("the history shows the rating and its comment as text", "有帮助" in body and "<b>志愿者</b>" in body)
    h.visit(f"/console/questions/{question_id}", "question-closed")
