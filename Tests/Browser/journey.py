#!/usr/bin/python3
"""The whole journey of a dossier through MotCua's pages, in a real browser (Chromium, Selenium).

A citizen files online with files; the one-stop officer receives it; the leader assigns it; the
specialist asks for a supplement; the citizen adds a file and supplements; the specialist drafts
the result; the leader approves and signs; the specialist finishes; the citizen tracks it,
downloads the signed result, verifies it and rates the service; a leader sees it counted on the
dashboard. Every page is checked for missing labels and alt texts, and the browser console must
stay free of errors. A screenshot of each step goes to --out.

Usage: journey.py --base http://127.0.0.1:PORT --out DIR [--lang vi|en] [--phone]
Exit status 0 when every step held; otherwise the first failure is printed.
"""
import argparse
import faulthandler
import html.parser
import os
import re
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.support.ui import Select, WebDriverWait

UNIT = "000.20.03.H99"  # UBND xã Tân Lập in the demo province
SLUG = "0002003h99"
PHONE = "0912345678"

TEXTS = {
    "vi": {
        "signed_in_citizen": "Hồ sơ của tôi", "submitted": "Hồ sơ đã được nộp",
        "vneid": "Đăng nhập bằng tài khoản định danh điện tử (VNeID)",
        "receive": "Tiếp nhận", "forward": "Chuyển xử lý / phân công", "supplement_req": "Yêu cầu bổ sung", "supplemented": "Đã bổ sung",
        "approve": "Phê duyệt và ký kết quả", "finish": "Hoàn thành xử lý", "processed": "Đã xử lý xong", "valid": "Hợp lệ: tất cả",
        "thanks": "Cảm ơn", "export_header": "Nhóm",
    },
    "en": {
        "signed_in_citizen": "My dossiers", "submitted": "The dossier was submitted",
        "vneid": "Sign in with the national e-ID (VNeID)",
        "receive": "Receive", "forward": "Forward / assign", "supplement_req": "Request a supplement", "supplemented": "Supplemented",
        "approve": "Approve and sign the result", "finish": "Finish handling", "processed": "Handled, result ready", "valid": "Valid: all",
        "thanks": "Thank you", "export_header": "Group",
    },
}


class Failure(Exception):
    pass


class A11yChecker(html.parser.HTMLParser):
    """Missing labels and alt texts, a missing lang or h1: the basics a page must have."""

    def __init__(self):
        super().__init__()
        self.ids_labelled = set()
        self.controls = []
        self.problems = []
        self.h1 = 0
        self.lang = False
        self.in_label = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html" and a.get("lang"):
            self.lang = True
        if tag == "h1":
            self.h1 += 1
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.ids_labelled.add(a["for"])
        if tag == "img" and "alt" not in a:
            self.problems.append(f"img without alt: {a.get('src')}")
        if tag in ("input", "select", "textarea"):
            kind = a.get("type", "text")
            if kind in ("hidden", "submit", "button"):
                return
            if self.in_label or a.get("aria-label") or a.get("aria-labelledby"):
                return
            self.controls.append((tag, a.get("id"), a.get("name")))

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label -= 1

    def result(self):
        out = list(self.problems)
        for tag, id_, name in self.controls:
            if not id_ or id_ not in self.ids_labelled:
                out.append(f"{tag} name={name} id={id_} has no label")
        if not self.lang:
            out.append("html has no lang")
        if self.h1 != 1:
            out.append(f"{self.h1} h1 elements (one expected)")
        return out


class Journey:
    def __init__(self, base, out, lang, phone, sms):
        self.base = base.rstrip("/")
        self.sms = sms
        self.out = out
        self.lang = lang
        self.t = TEXTS[lang]
        self.step = 0
        os.makedirs(out, exist_ok=True)
        o = Options()
        o.add_argument("--headless=new")
        o.add_argument("--no-sandbox")
        o.add_argument("--disable-dev-shm-usage")
        o.add_argument("--window-size=390,844" if phone else "--window-size=1280,1000")
        o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Selenium waits for the driver without limit by default: a hung browser would hang the test.
        RemoteConnection.set_timeout(120)
        self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver", log_path=os.path.join(out, "chromedriver.log")), options=o)
        self.d.set_page_load_timeout(60)
        self.wait = WebDriverWait(self.d, 60)
        self.pages_checked = 0

    # Helpers

    def check_page(self, name, refused=False):
        """Accessibility basics and a clean console on every page; a screenshot. A page that
        refuses a form answers 4xx on purpose: that one status line is not an error of the page."""
        self.step += 1
        self.d.save_screenshot(os.path.join(self.out, f"{self.step:02d}-{name}.png"))
        checker = A11yChecker()
        checker.feed(self.d.page_source)
        problems = checker.result()
        if problems:
            raise Failure(f"{name}: accessibility: {problems} at {self.d.current_url}")
        errors = [e for e in self.d.get_log("browser") if e["level"] == "SEVERE"]
        if refused:
            errors = [e for e in errors if not (e["source"] == "network" and e["message"].startswith(self.d.current_url.split("?")[0]))]
        if errors:
            raise Failure(f"{name}: console errors: {errors}")
        self.pages_checked += 1
        print(f"  ✓ {self.step:02d} {name}", flush=True)

    def go(self, path, name):
        sep = "&" if "?" in path else "?"
        self.d.get(self.base + path + (f"{sep}lang={self.lang}" if self.step == 0 else ""))
        self.check_page(name)

    def text(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def expect(self, needle, where):
        if needle not in self.text():
            raise Failure(f"{where}: expected {needle!r} on {self.d.current_url}; page says: {self.text()[:600]}")

    def submit(self, form):
        self.navigate(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    def follow(self, link_text):
        self.navigate(self.d.find_element(By.LINK_TEXT, link_text))

    def navigate(self, element):
        """Clicks and waits for the next document: the old one carries a marker the new one lacks."""
        self.d.execute_script("window.__motcuaOld = true")
        element.click()
        self.wait.until(lambda d: d.execute_script("return window.__motcuaOld === undefined && document.readyState === 'complete'"))

    def fetch(self, url):
        """A download with the browser's session: (content type, bytes)."""
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.d.get_cookies())
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies}), timeout=60) as r:
            return r.headers.get("content-type", ""), r.read()

    def action(self, label, name, fields=None):
        """Submits the action form whose legend is `label` on the dossier page."""
        forms = [f for f in self.d.find_elements(By.CSS_SELECTOR, "section.actions form") if f.find_element(By.TAG_NAME, "legend").text.strip() == label]
        if not forms:
            raise Failure(f"{name}: no action {label!r} on {self.d.current_url}; page says: {self.text()[:800]}")
        f = forms[0]
        for key, value in (fields or {}).items():
            el = f.find_element(By.NAME, key)
            if el.tag_name == "select":
                Select(el).select_by_value(value)
            else:
                el.clear()
                el.send_keys(value)
        self.submit(f)
        self.check_page(name)

    def sign_in(self, username, name):
        self.d.get(self.base + "/dang-xuat")
        self.d.get(self.base + "/dang-nhap")
        self.d.find_element(By.ID, "u").send_keys(username)
        self.d.find_element(By.ID, "p").send_keys("demo")
        self.submit(self.d.find_element(By.CSS_SELECTOR, "main form"))
        self.check_page(name)

    def sign_in_eid(self, id_number, name):
        """Through the e-ID provider (`motcua sim oidc --realm citizens`, another site): its form,
        back to MotCua's answer page, whose refresh opens the citizen's home with the session."""
        self.d.get(self.base + "/dang-xuat")
        self.d.get(self.base + "/dang-nhap")
        self.navigate(self.d.find_element(By.LINK_TEXT, self.t["vneid"]))
        if self.d.current_url.startswith(self.base):
            raise Failure(f"{name}: not sent to the e-ID provider; page says: {self.text()[:400]}")
        self.d.find_element(By.ID, "username").send_keys(id_number)
        self.d.find_element(By.ID, "password").send_keys("demo")
        self.d.find_element(By.CSS_SELECTOR, "button[value=sign-in]").click()
        self.wait.until(lambda d: d.current_url.split("?")[0].endswith("/cong-dan") and d.execute_script("return document.readyState") == "complete")
        self.check_page(name)

    def texted_codes(self, code):
        """The codes texted so far for dossier `code`, oldest first."""
        if not os.path.exists(self.sms):
            return []
        with open(self.sms, encoding="utf-8") as f:
            return [m.group(1) for line in f if code in line for m in [re.search(r" la ([0-9]{6}),", line)] if m]

    def track(self, code, name):
        """Tracking without an account: the code and phone, then the six digits texted to the
        phone (the server's demo sender writes them to sms.log, read here as the phone would)."""
        self.d.get(f"{self.base}/tra-cuu/{code}")
        self.check_page(name + "-form")
        form = self.d.find_element(By.CSS_SELECTOR, "form[action='/tra-cuu']")
        form.find_element(By.ID, "dt").send_keys(PHONE)
        before = len(self.texted_codes(code))
        self.submit(form)
        self.check_page(name + "-code")
        # The text goes out after the page answered, as a phone receives it a moment later:
        # read the file until a new one has come, for at most 15 seconds.
        otp = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            codes = self.texted_codes(code)
            if len(codes) > before:
                otp = codes[-1]
                break
            time.sleep(0.2)
        if not otp:
            raise Failure(f"{name}: no code was texted for {code} (looked in {self.sms})")
        self.d.find_element(By.ID, "ma-xac-thuc").send_keys(otp)
        self.submit(self.d.find_element(By.CSS_SELECTOR, "form[action$='/xac-thuc']"))
        self.check_page(name)

    def open_dossier(self, code, name):
        self.d.get(f"{self.base}/ho-so/{code}")
        self.check_page(name)

    # The journey

    def run(self, files):
        pdf, jpeg = files
        # 1. The citizen finds the procedure and files online.
        self.go("/thu-tuc?q=khai+sinh", "catalogue-search")
        self.follow("Thủ tục đăng ký khai sinh")
        self.check_page("procedure")
        self.sign_in_eid("001190012345", "citizen-home-vneid")
        self.expect(self.t["signed_in_citizen"], "citizen home")
        self.d.get(self.base + "/thu-tuc/1.001193/nop")
        self.check_page("filing-form")
        form = self.d.find_element(By.CSS_SELECTOR, "main form")
        Select(self.d.find_element(By.ID, "noi-nop")).select_by_value(UNIT)
        self.d.find_element(By.ID, "email").send_keys("hoa@example.vn")
        self.d.find_element(By.ID, "dt").send_keys("12")  # bad input first
        self.submit(form)
        self.check_page("filing-refused", refused=True)
        if self.d.find_element(By.ID, "email").get_attribute("value") != "hoa@example.vn":
            raise Failure("the form did not keep what was typed")
        if not self.d.find_elements(By.ID, "dt-error"):
            raise Failure("no message next to the phone field")
        self.d.find_element(By.ID, "dt").clear()
        self.d.find_element(By.ID, "dt").send_keys(PHONE)
        Select(self.d.find_element(By.ID, "noi-nop")).select_by_value(UNIT)
        for inp in self.d.find_elements(By.CSS_SELECTOR, "input[type=file]"):
            inp.send_keys(pdf)
        self.submit(self.d.find_element(By.CSS_SELECTOR, "main form"))
        self.check_page("filed")
        self.expect(self.t["submitted"], "filed")
        code = self.d.find_element(By.CSS_SELECTOR, "h1 code").text.strip()
        print(f"  dossier {code}", flush=True)

        # 2. The one-stop officer receives it and forwards it to the handling unit.
        self.sign_in(f"motcua.{SLUG}", "counter")
        self.expect(code, "counter list")
        self.follow(code)
        self.check_page("counter-dossier")
        self.action(self.t["receive"], "received")
        self.action(self.t["forward"], "forwarded")

        # 3. The leader assigns it to the specialist.
        self.sign_in(f"lanhdao.{SLUG}", "leader-work")
        self.expect(code, "leader's list")
        self.open_dossier(code, "leader-dossier")
        self.action(self.t["forward"], "assigned", {"assignee": f"chuyenvien.{SLUG}"})

        # 4. The specialist asks for a supplement.
        self.sign_in(f"chuyenvien.{SLUG}", "specialist-work")
        self.expect(code, "specialist's list")
        self.open_dossier(code, "specialist-dossier")
        self.action(self.t["supplement_req"], "supplement-requested", {"reason": "Bổ sung bản chụp giấy chứng sinh rõ nét hơn"})

        # 5. The citizen adds the file and says the dossier is supplemented.
        self.sign_in("citizen", "citizen-again")
        self.open_dossier(code, "citizen-dossier")
        self.d.find_element(By.ID, "tep").send_keys(jpeg)
        self.submit(self.d.find_element(By.CSS_SELECTOR, "form[action$='/tep']"))
        self.check_page("citizen-uploaded")
        self.action(self.t["supplemented"], "supplemented")

        # 6. The specialist drafts the result; the leader approves and signs; the specialist finishes.
        self.sign_in(f"chuyenvien.{SLUG}", "specialist-again")
        self.open_dossier(code, "specialist-dossier-2")
        drafts = self.d.find_elements(By.CSS_SELECTOR, "form[action$='/du-thao']")
        if not drafts:
            raise Failure(f"no result draft form for the specialist on {self.d.current_url}")
        for inp in drafts[0].find_elements(By.CSS_SELECTOR, "input[type=text]"):
            if not inp.get_attribute("value"):
                inp.send_keys("Nguyễn Văn An")
        self.submit(drafts[0])
        self.check_page("draft-saved")
        self.sign_in(f"lanhdao.{SLUG}", "leader-again")
        self.open_dossier(code, "leader-dossier-2")
        self.action(self.t["approve"], "approved-signed")
        self.sign_in(f"chuyenvien.{SLUG}", "specialist-finish")
        self.open_dossier(code, "specialist-dossier-3")
        self.action(self.t["finish"], "finished")
        self.expect(self.t["processed"], "finished")

        # 7. The citizen tracks it, downloads the signed result, verifies it, rates the service.
        self.d.get(self.base + "/dang-xuat")
        self.track(code, "tracking")
        self.sign_in("citizen", "citizen-result")
        self.open_dossier(code, "citizen-result-dossier")
        _, result = self.fetch(self.d.find_element(By.CSS_SELECTOR, "a[href$='/result']").get_attribute("href"))
        if not result.startswith(b"%PDF-"):
            raise Failure("the result download is not a PDF")
        path = os.path.join(self.out, "result.pdf")
        with open(path, "wb") as f:
            f.write(result)
        self.d.get(self.base + "/xac-minh")
        self.check_page("verify-form")
        self.d.find_element(By.ID, "file").send_keys(path)
        self.submit(self.d.find_element(By.CSS_SELECTOR, "main form"))
        self.check_page("verified")
        self.expect(self.t["valid"], "verification")
        self.d.get(f"{self.base}/tra-cuu/{code}")  # the grant opened above lasts half an hour
        rating = self.d.find_element(By.CSS_SELECTOR, "form[action$='/danh-gia']")
        for name in ("thoi-gian", "thai-do", "ket-qua"):
            rating.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='1']").click()
        self.submit(rating)
        self.check_page("rated")
        self.expect(self.t["thanks"], "rating")

        # 8. At the counter, the officer receives a second dossier at the window: the checklist
        #    refuses a missing scan (keeping what was typed), then takes it and offers the receipt.
        self.sign_in(f"motcua.{SLUG}", "counter-again")
        self.d.get(f"{self.base}/quay/tiep-nhan?thu-tuc=1.001193")
        self.check_page("window-form")
        self.d.find_element(By.ID, "so-dinh-danh").send_keys("001190012345")
        self.d.find_element(By.ID, "ho-ten").send_keys("Phạm Thị Hoa")
        self.submit(self.d.find_element(By.CSS_SELECTOR, "form[method=post]"))
        self.check_page("window-refused", refused=True)
        if self.d.find_element(By.ID, "ho-ten").get_attribute("value") != "Phạm Thị Hoa":
            raise Failure("the counter form did not keep the name typed")
        for inp in self.d.find_elements(By.CSS_SELECTOR, "form[method=post] input[type=file]"):
            inp.send_keys(pdf)
        self.submit(self.d.find_element(By.CSS_SELECTOR, "form[method=post]"))
        self.check_page("window-received")
        self.d.find_element(By.CSS_SELECTOR, "a[href$='/forms/mau-01']")

        # 9. The leader sees it counted on the dashboard.
        self.sign_in(f"lanhdao.{SLUG}", "leader-dashboard-sign-in")
        self.d.get(f"{self.base}/dashboard?unit={UNIT}")
        self.check_page("dashboard")
        export = self.d.find_element(By.CSS_SELECTOR, "a[href*='table=indicators'][href*='format=csv']").get_attribute("href")
        kind, csv = self.fetch(export)
        if not kind.startswith("text/csv") or not csv.decode("utf-8").startswith("\ufeff" + self.t["export_header"]):
            raise Failure(f"the indicators CSV: {kind} {csv[:80]!r}")

        # 10. Every other page, for the console and accessibility checks.
        for path in ["/dashboard/losses?unit=" + UNIT + "&indicator=2.1", "/dashboard/officials?unit=" + UNIT, "/phan-anh-xu-ly",
                     "/tim-kiem?q=pham+thi+hoa", "/viec-cua-toi?loc=qua-han"]:
            self.d.get(self.base + path)
            self.check_page("tour-leader-" + path.strip("/").split("?")[0].replace("/", "-"))
        self.sign_in("admin", "admin-home")
        self.d.get(self.base + "/dang-xuat")
        for path in ["/", "/tra-cuu", "/phan-anh", "/phan-anh/cong-khai", "/ket-qua/none", "/dang-nhap"]:
            self.d.get(self.base + path)
            self.check_page("tour-public-" + (path.strip("/").replace("/", "-") or "home"), refused=path.startswith("/ket-qua"))
        return code

    def quit(self):
        self.d.quit()


def fixtures(out):
    """A one-page scan as PDF and as JPEG (Pillow, from Debian's python3-pil)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(img)
    for i in range(40):
        draw.text((100, 100 + i * 38), "GIAY CHUNG SINH - so 123/2026 - Nguyen Van An - sinh ngay 01/11/2026", fill="black")
    pdf = os.path.join(out, "giay-chung-sinh.pdf")
    jpeg = os.path.join(out, "giay-chung-sinh.jpg")
    img.save(pdf, "PDF", resolution=150)
    img.save(jpeg, "JPEG", quality=85, dpi=(150, 150))
    return pdf, jpeg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lang", default="vi", choices=["vi", "en"])
    ap.add_argument("--phone", action="store_true")
    ap.add_argument("--sms", required=True, help="the file the server's text messages go to (MOTCUA_SMS=file:…)")
    a = ap.parse_args()
    started = time.time()
    # A last resort against a hang anywhere (driver, browser, server): the stacks, then exit 3.
    faulthandler.dump_traceback_later(600, exit=True)
    j = Journey(a.base, a.out, a.lang, a.phone, a.sms)
    try:
        code = j.run(fixtures(a.out))
        print(f"journey passed ({a.lang}{', phone' if a.phone else ''}): dossier {code}, {j.pages_checked} pages checked, "
              f"{time.time() - started:.0f} s; screenshots in {a.out}")
    except Exception as e:  # a Failure, or Selenium's own (a missing element, a timeout)
        j.d.save_screenshot(os.path.join(a.out, "failure.png"))
        where = j.d.current_url
        print(f"journey FAILED after step {j.step} at {where}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", file=sys.stderr)
        sys.exit(1)
    finally:
        j.quit()


if __name__ == "__main__":
    main()
