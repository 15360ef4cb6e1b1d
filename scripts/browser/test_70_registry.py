"""A registry import while the service runs (`weiquan registry import` beside a running `weiquan serve` on the
embedded store): before it, a number the centre's data does not hold gets the not-found answer and a demo record
answers; after it, within the refresh interval (1 s here), the imported record answers with its derived status and
as-of day, a number refused at import is still not found, and the demo records no longer answer; the reports page
lists the source with its as-of day."""

import os
import subprocess
import tempfile

from selenium.webdriver.common.by import By

EXPORT = """申请号,申请日,标题,法律状态公告日,法律状态,事务代码
202110685031.5,2021-06-16,（演示）导入测试专利,2022-01-04,发明专利申请公布,PB01
202110685031.5,2021-06-16,（演示）导入测试专利,2026-10-14,发明专利申请公布后的驳回,
201110446866.2,2011-12-28,（演示）校验位错误,2013-01-02,发明专利申请公布,PB01
"""


def run(h):
    user = "o-registry-import-user"
    before = h.wechat(user, "202110685031.5")
    h.check("before the import: not in the centre's data", "暂未收录" in before, before)
    demo = h.wechat(user, "201310268509.X")
    h.check("before the import: the demo record answers", "（演示）车辆锁控方法" in demo, demo)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "cnipa-2026-11.csv")
        with open(path, "wb") as file:
            file.write(EXPORT.encode("gbk"))
        result = subprocess.run(
            [os.environ["WQ_BIN"], "registry", "import", "--data", os.environ["WQ_DATA"], "--as-of", "2026-11-01", path],
            capture_output=True, text=True, timeout=60)
    h.check("import exits 0 while the service runs", result.returncode == 0, result.stderr)
    h.check("import reads the GBK file", "(csv, GBK)" in result.stdout, result.stdout)
    h.check("import reports 2 imported, 1 refused with its line",
            "imported 2, refused 1" in result.stdout and "line 4:" in result.stdout, result.stdout)

    after = h.wait_for(lambda: (lambda reply: reply if "已驳回" in reply else None)(h.wechat(user, "202110685031.5")),
                       "the imported record to answer", timeout=15)
    after = after or ""
    h.check("after the import: the derived status and the official wording", "发明专利申请公布后的驳回" in after, after)
    h.check("after the import: the as-of day", "2026-11-01" in after, after)
    h.check("after the import: the imported title", "（演示）导入测试专利" in after, after)
    refused = h.wechat(user, "201110446866.1")
    h.check("a number not imported is still not found", "暂未收录" in refused, refused)
    silenced = h.wechat(user, "201310268509.X")
    h.check("the demo record no longer answers once real data is imported", "（演示）车辆锁控方法" not in silenced,
            silenced)

    h.sign_in("admin")
    h.visit("/console/reports", "reports-registry")
    section = h.driver.find_element(By.ID, "registry-head").find_element(By.XPATH, "..").text
    h.check("reports page: the imported source with its as-of day and counts",
            "cnipa-2026-11" in section and "2026-11-01" in section and "演示数据" not in section, section)
    h.sign_out()
