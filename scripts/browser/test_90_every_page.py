"""Every console page of every role once more, after the other tests filled the store with what applicants wrote
(markup among it, sent through WeChat): no script or event handler injected anywhere, no alert, the page checks at
both widths. Detail pages are found through the API (the first handoff, case, question and knowledge entry), and a
role refused a page gets the error page, not the page."""

import json
import urllib.request


def api(h, role, path):
    request = urllib.request.Request(h.base + path, headers={"Authorization": f"Bearer {h.tokens[role]}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def first_id(h, role, path, key):
    try:
        items = api(h, role, path).get(key) or []
    except Exception:
        return None
    return items[0]["id"] if items else None


def run(h):
    # Something an applicant wrote with markup in it, in case no earlier test left any.
    h.wechat("browser-xss-every-page", "<script>alert(1)</script> \"><img src=x onerror=alert(2)> 转人工")

    pages = {
        "admin": ["/console/queue", "/console/cases", "/console/review", "/console/reports", "/console/knowledge",
                  "/console/erasures", "/console/try", "/console/people"],
        "volunteer": ["/console/questions", "/console/questions/history"],
    }
    handoff = first_id(h, "admin", "/api/v1/handoffs?status=waiting,active,closed,released", "handoffs")
    case = first_id(h, "admin", "/api/v1/cases", "cases")
    question = first_id(h, "admin", "/api/v1/questions", "questions")
    entry = first_id(h, "admin", "/api/v1/kb", "entries")
    pages["admin"] += [f"/console/handoffs/{handoff}"] * bool(handoff) + [f"/console/cases/{case}"] * bool(case)
    pages["admin"] += [f"/console/questions/{question}"] * bool(question) + [f"/console/knowledge/{entry}"] * bool(entry)

    for role, paths in pages.items():
        h.sign_in(role)
        for path in paths:
            for width, height in [(390, 844), (1280, 900)]:
                h.set_width(width, height)
                h.driver.get_log("browser")
                h.driver.get(h.base + path)
                tag = f"[{role} {path} {width}]"
                h.page_checks(tag)
                h.markup_as_text(tag, required=False)
        h.set_width(1280, 900)

    # A volunteer is refused the staff pages with the error page (and its menu), never the page.
    h.sign_in("volunteer")
    for path in ["/console/queue", "/console/cases", "/console/people", "/console/reports"]:
        size, status = h.fetch_size(path)
        h.check(f"a volunteer gets 403 for {path}", status == 403, status)
    # Staff are refused the admin's people page.
    h.sign_in("staff")
    size, status = h.fetch_size("/console/people")
    h.check("staff get 403 for /console/people", status == 403, status)
