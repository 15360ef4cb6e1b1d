"""Signing in and out of the console: the sign-in page at both widths, a wrong token refused with the reason, each
role landing on its first page with its own menu, the session cookie's flags, CSRF refusals (a change without the
token, a sign-in form from elsewhere), a one-time link that works once, and signing out."""

import json
import os
import subprocess
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def api(h, method, path, cookie=None, csrf=None, body=None):
    request = urllib.request.Request(h.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    if cookie:
        request.add_header("Cookie", f"wq_session={cookie}")
    if csrf:
        request.add_header("X-CSRF-Token", csrf)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def run(h):
    h.forget_session()
    h.driver.get(h.base + "/console/queue")
    h.check("a page asked for before sign-in goes to the sign-in page",
            "/console/sign-in?next=" in h.driver.current_url, h.driver.current_url)
    h.visit("/console/sign-in", "sign-in")

    h.driver.get(h.base + "/console/sign-in")
    h.driver.find_element(By.ID, "token").send_keys("wq_not-a-token")
    h.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    alert = h.wait_for(lambda: h.driver.find_element(By.CSS_SELECTOR, "[role=alert]").text, "the refusal")
    h.check("a wrong token is refused with the reason", "令牌不正确" in (alert or ""), alert)
    h.check("…and the form is shown again", "/console/sign-in" in h.driver.current_url, h.driver.current_url)

    # By keyboard alone: the token field has the focus, Enter signs in; Tab from the top reaches the skip link,
    # then the menu.
    h.forget_session()
    h.driver.get(h.base + "/console/sign-in")
    focused = h.driver.switch_to.active_element
    h.check("the token field has the focus on the sign-in page", focused.get_attribute("id") == "token",
            focused.get_attribute("outerHTML")[:80])
    focused.send_keys(h.tokens["staff"] + Keys.ENTER)
    h.wait_for(lambda: h.driver.current_url.endswith("/console/queue"), "signed in by keyboard")
    h.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    first = h.driver.switch_to.active_element
    h.check("Tab first reaches the skip link", first.get_attribute("class") == "skip", first.get_attribute("outerHTML")[:80])
    first.send_keys(Keys.ENTER)
    h.check("the skip link moves the focus to the main content",
            h.driver.switch_to.active_element.get_attribute("id") == "main")

    for role, home, menu in [("staff", "/console/queue", "案件"), ("volunteer", "/console/questions", "待答问题"),
                             ("admin", "/console/queue", "人员与令牌")]:
        h.sign_in(role)
        h.check(f"{role} lands on {home}", h.driver.current_url.endswith(home), h.driver.current_url)
        links = [a.text for a in h.driver.find_elements(By.CSS_SELECTOR, "header nav a")]
        h.check(f"{role}'s menu has {menu}", menu in links, links)
        if role == "volunteer":
            h.check("a volunteer's menu has no cases", "案件" not in links, links)
        who = h.driver.find_element(By.CSS_SELECTOR, ".who-name").text
        h.check(f"{role}'s name is shown", h.names[role] in who, who)

    cookie = h.driver.get_cookie("wq_session")
    h.check("the session cookie is HttpOnly and SameSite=Strict",
            cookie and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie)
    secret = cookie["value"]
    csrf = h.driver.find_element(By.CSS_SELECTOR, 'meta[name="csrf-token"]').get_attribute("content")
    status, _ = api(h, "GET", "/api/v1/me", cookie=secret)
    h.check("the session cookie authenticates the API (GET)", status == 200, status)
    status, answer = api(h, "POST", "/api/v1/handoffs/H999999/claim", cookie=secret, body={})
    h.check("a change with the cookie but without X-CSRF-Token is refused (403 csrf)",
            status == 403 and answer["error"]["code"] == "csrf", (status, answer))
    status, answer = api(h, "POST", "/api/v1/handoffs/H999999/claim", cookie=secret, csrf="wrong", body={})
    h.check("a change with a wrong X-CSRF-Token is refused (403 csrf)",
            status == 403 and answer["error"]["code"] == "csrf", (status, answer))
    status, answer = api(h, "POST", "/api/v1/handoffs/H999999/claim", cookie=secret, csrf=csrf, body={})
    h.check("with the token the change reaches the desk (404: no such handoff)", status == 404, (status, answer))

    # A sign-in form posted from elsewhere carries no nonce cookie: refused.
    request = urllib.request.Request(h.base + "/console/sign-in", method="POST",
                                     data=f"token={h.tokens['staff']}&attempt=forged&next=/console".encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, cookies = response.status, response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:
        status, cookies = error.code, error.headers.get_all("Set-Cookie") or []
    h.check("a forged sign-in form gets no session", not any(c.startswith("wq_session=") for c in cookies),
            (status, cookies))

    h.sign_out()
    status, _ = api(h, "GET", "/api/v1/me", cookie=secret)
    h.check("after signing out the old cookie opens nothing (401)", status == 401, status)

    # A one-time link: works once, then not again.
    link = subprocess.run([os.environ["WQ_BIN"], "token", "link", "--data", os.environ["WQ_DATA"],
                           "--name", h.names["staff2"]], capture_output=True, text=True, check=True).stdout.strip()
    path = link[link.index("/console/"):]
    h.forget_session()
    h.driver.get(h.base + path)
    h.check("the link's code is taken off the address bar", "#" not in h.driver.current_url, h.driver.current_url)
    h.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    h.wait_for(lambda: h.driver.current_url.endswith("/console/queue"), "the link signed in")
    who = h.driver.find_element(By.CSS_SELECTOR, ".who-name").text
    h.check("a one-time link signs its token's holder in", h.names["staff2"] in who, who)
    h.visit("/console/nowhere", "not-found", expect_status=404)
    h.forget_session()
    h.driver.get(h.base + path)
    h.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    alert = h.wait_for(lambda: h.driver.find_element(By.CSS_SELECTOR, "[role=alert]:not([hidden])").text,
                       "the second use refused")
    h.check("a used link does not sign in again", "链接无效" in (alert or ""), alert)
