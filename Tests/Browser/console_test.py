#!/usr/bin/env python3
"""The support console of `outboundctl serve` in a real browser: Debian's chromium, headless,
driven through chromium-driver by selenium (PyPI). Run by ConsoleBrowserTests (XCTest) against
serve processes it started on real stores; `--screenshots DIR` instead takes the README's
pictures (scripts/screenshots.sh).

Every step prints one line; the first failed expectation ends the run with exit 1."""

import argparse
import json
import os
import re
import shutil
import sys

INSTALL_HINT = ("the browser tests need Debian's chromium and chromium-driver and PyPI's selenium: "
                "apt-get install chromium chromium-driver && python3 -m pip install selenium "
                "(scripts/test.sh installs them when missing)")

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    print(INSTALL_HINT)
    sys.exit(2)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def browser(javascript=True, width=1280, height=900):
    """A headless chromium; without JavaScript when asked (the content setting, as a user sets it)."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        print(INSTALL_HINT)
        sys.exit(2)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=en-US", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER, log_output=os.devnull), options=options)
    driver.set_page_load_timeout(30)
    return driver


def wait(driver, condition, message, seconds=10):
    try:
        return WebDriverWait(driver, seconds).until(lambda d: condition(d))
    except Exception as error:
        raise Failure(f"{message} (at {driver.current_url}: {type(error).__name__})")


def check_row(driver, section_id, check):
    return driver.find_element(By.CSS_SELECTOR, f"#{section_id} ~ table tr[data-check='{check}']")


def no_alert(driver):
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def input_listeners(driver, element_id):
    """How many `input` listeners the page's scripts have put on the element, from DevTools'
    getEventListeners through the DevTools protocol (which answers also where the page may run
    no script). A page's deferred script has run by the time driver.get returns (the load event)."""
    answer = driver.execute_cdp_cmd("Runtime.evaluate", {
        "expression": f"(getEventListeners(document.getElementById({json.dumps(element_id)})).input || []).length",
        "includeCommandLineAPI": True, "returnByValue": True})
    return answer["result"]["value"]


def test_search_and_open_an_agent(driver, base, expected):
    driver.get(base + "/")
    expect(input_listeners(driver, "agent-search") == 1, "the console's script listens to the search box")
    box = driver.find_element(By.ID, "agent-search")
    expect(driver.find_element(By.CSS_SELECTOR, "label[for='agent-search']").text.startswith("Agent id or name"), "the search box has a label")
    box.send_keys("silv")
    wait(driver, lambda d: "ana.silva" in [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#agent-suggestions option")],
         "suggestions as you type list ana.silva")
    label = driver.find_element(By.CSS_SELECTOR, "#agent-suggestions option[value='ana.silva']").get_attribute("label")
    expect(label == "Ana Silva (ana.silva)", f"the suggestion names the agent: {label!r}")
    box.clear()
    box.send_keys("ana.silva", Keys.ENTER)
    wait(driver, lambda d: d.current_url.endswith("/agents/ana.silva"), "an exact id opens the agent's page")
    expect(driver.find_element(By.TAG_NAME, "h1").text == "Ana Silva (ana.silva)", "the agent's name heads the page")
    # The failed check of the email answer: its fix and its deciding node, as explain gives them.
    driver.get(base + "/agents/ana.silva?channel=email&date=2026-06-01")
    failed = [c for c in expected["explain"]["checks"] if c["outcome"] == "failed"]
    expect(failed, "explain has a failed check for ana.silva's email")
    for check in failed:
        row = check_row(driver, "answer-digital-tier1-email", check["check"])
        expect(row.get_attribute("data-outcome") == "failed", f"{check['check']} failed on the page")
        fix = row.find_element(By.CSS_SELECTOR, "td.fix").text
        expect(check["detail"].endswith("fix: " + fix), f"the fix {fix!r} is explain's ({check['detail']!r})")
        node = row.find_element(By.CSS_SELECTOR, "td.node").text
        source = check["source"]
        place = f"{source['file']}:{source['line']}:{source['column']} · revision {source['revision']}"
        expect(node.startswith(place), f"the deciding node {node!r} is {place!r}")
        print(f"  {check['check']}: fix {fix!r}, node {place}")
    expect(len(driver.find_elements(By.CSS_SELECTOR, "tr.check")) == 9, "the nine checks")


def test_the_date_changes_the_licence_verdict(driver, base, expected):
    driver.get(base + "/agents/ana.silva?channel=sms")
    def choose(date):
        field = driver.find_element(By.ID, "date")
        driver.execute_script("arguments[0].value = arguments[1]", field, date)
        driver.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()
        wait(driver, lambda d: f"date={date}" in d.current_url, f"the form asks for {date}")
        return check_row(driver, "answer-digital-tier1-sms", "licence-valid").get_attribute("data-outcome")
    expect(choose("2026-06-01") == "passed", "the licence is valid on 2026-06-01")
    expect("Available" in driver.find_element(By.ID, "answer-digital-tier1-sms").text, "available on 2026-06-01")
    expect(choose("2100-01-02") == "failed", "the licence has expired on 2100-01-02")
    heading = driver.find_element(By.ID, "answer-digital-tier1-sms").text
    expect("Not available" in heading and "licence-expired" in heading, f"the verdict turns: {heading!r}")
    expect(driver.find_element(By.ID, "date").get_attribute("value") == "2100-01-02", "the chosen date stays in the form")
    Select(driver.find_element(By.ID, "state")).select_by_value("idle")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()
    wait(driver, lambda d: "state=idle" in d.current_url, "the state is chosen")
    expect(check_row(driver, "answer-digital-tier1-sms", "agent-state").get_attribute("data-outcome") == "failed", "idle fails check 9")


def counts(driver):
    return {f.get_attribute("data-channel"): {
        "available": int(f.get_attribute("data-available")), "unavailable": int(f.get_attribute("data-unavailable")),
        "reasons": {g.get_attribute("data-reason"): int(g.get_attribute("data-count")) for g in f.find_elements(By.CSS_SELECTOR, "g[data-reason]")}}
        for f in driver.find_elements(By.CSS_SELECTOR, "figure.channel")}


def test_the_overview_and_its_filters(driver, base, expected):
    driver.get(base + "/overview")
    expect(counts(driver) == expected["summary"], f"the overview's counts {counts(driver)} are matrix's {expected['summary']}")
    team = expected["team"]
    Select(driver.find_element(By.ID, "team")).select_by_value(team)
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()
    wait(driver, lambda d: f"team={team}" in d.current_url, "the team filter is applied")
    expect(counts(driver) == expected["teamSummary"], f"filtered counts {counts(driver)} are matrix --team's {expected['teamSummary']}")
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Download the unavailable rows as CSV")
    expect(link.get_attribute("href").endswith(f"/overview.csv?team={team}"), "the CSV link keeps the filter")
    csv = driver.execute_async_script(
        "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done)", link.get_attribute("href"))
    expect(csv == expected["teamCSV"], "the CSV is matrix --format csv --unavailable-only --team's")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.unavailable-rows tbody tr")
    expect(len(rows) == len(expected["teamCSV"].splitlines()) - 1, "one listed row per unavailable row")
    rows[0].find_element(By.TAG_NAME, "a").click()
    wait(driver, lambda d: "/agents/" in d.current_url and f"team={team}" in d.current_url, "a listed agent opens on its team")


def test_login(driver, base, token, check_token):
    driver.get(base + "/overview?team=digital-tier1")
    expect(driver.title.startswith("Log in"), f"without a session the page asks for a token: {driver.title!r}")
    def log_in(with_token):
        field = driver.find_element(By.ID, "token")
        expect(field.get_attribute("type") == "password", "the token is typed as a password")
        field.send_keys(with_token, Keys.ENTER)
    log_in(check_token)
    wait(driver, lambda d: "scope=check" in d.find_element(By.CSS_SELECTOR, ".notice").text, "a check token is refused with the reason")
    log_in(token)
    wait(driver, lambda d: d.title.startswith("Overview") and "team=digital-tier1" in d.current_url, "after the login, the page asked for")
    cookie = driver.get_cookie("outboundctl-session")
    expect(cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict", f"an HttpOnly SameSite=Strict session cookie: {cookie}")
    expect(token not in cookie["value"], "the cookie is not the token")
    expect("outboundctl-session" not in driver.execute_script("return document.cookie"), "scripts cannot read the session")
    driver.get(base + "/revisions")
    expect(driver.title.startswith("Revisions"), "the session opens every page")
    driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
    wait(driver, lambda d: d.title.startswith("Log in"), "logging out shows the login form")
    driver.get(base + "/revisions")
    expect(driver.title.startswith("Log in"), "after logout the pages ask again")


def test_without_javascript(base):
    driver = browser(javascript=False)
    try:
        driver.get(base + "/")
        # Suggestions come only from the script's listener (test_search_and_open_an_agent sees it):
        # without it, none can come, however long one waits.
        expect(input_listeners(driver, "agent-search") == 0, "no script ran (nothing listens to the search box)")
        box = driver.find_element(By.ID, "agent-search")
        box.send_keys("Silva")
        expect(not driver.find_elements(By.CSS_SELECTOR, "#agent-suggestions option"), "no script ran (no suggestions)")
        box.send_keys(Keys.ENTER)
        wait(driver, lambda d: "/agents?q=Silva" in d.current_url, "the search form submits without a script")
        driver.find_element(By.LINK_TEXT, "ana.silva").click()
        wait(driver, lambda d: d.current_url.endswith("/agents/ana.silva"), "a match opens the agent")
        Select(driver.find_element(By.ID, "channel")).select_by_value("email")
        Select(driver.find_element(By.ID, "state")).select_by_value("offline")
        driver.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()
        wait(driver, lambda d: "state=offline" in d.current_url, "the choices submit without a script")
        expect(check_row(driver, "answer-digital-tier1-email", "agent-state").get_attribute("data-outcome") == "failed", "offline fails check 9")
        driver.get(base + "/overview")
        expect(len(driver.find_elements(By.CSS_SELECTOR, "svg.chart g[data-reason]")) > 0, "the chart needs no script")
    finally:
        driver.quit()


def test_hostile_names(driver, base, expected):
    driver.get(base + "/agents/ana.silva")
    heading = driver.find_element(By.TAG_NAME, "h1").text
    expect(heading == expected["hostileAgent"] + " (ana.silva)", f"the name shows as text: {heading!r}")
    expect(len(driver.find_elements(By.TAG_NAME, "script")) == 1, "only the console's own script is on the page")
    expect(expected["hostileTeam"] in driver.find_element(By.ID, "answer-digital-tier1-sms").text, "the team name shows as text")
    driver.get(base + "/")
    driver.find_element(By.ID, "agent-search").send_keys("pwned")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#agent-suggestions option[value='ana.silva']"), "the hostile name is suggested")
    label = driver.find_element(By.CSS_SELECTOR, "#agent-suggestions option[value='ana.silva']").get_attribute("label")
    expect(label == expected["hostileAgent"] + " (ana.silva)", f"the suggestion holds the name as text: {label!r}")
    driver.get(base + "/overview")
    expect(expected["hostileSite"] + " (lisbon)" in [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#site option")], "the site name as text")
    driver.get(base + "/revisions")
    expect(driver.find_element(By.CSS_SELECTOR, "td[data-label='Message']").text == expected["hostileMessage"], "the message as text")
    expect(len(driver.find_elements(By.TAG_NAME, "img")) == 0, "no element from the message")
    expect(driver.title != "pwned" and no_alert(driver), "no script from configuration ran")


# Every element with text of its own: its colour (SVG text: its fill) against the first
# opaque background behind it; the ones under 4.5:1 (WCAG AA for normal text).
LOW_CONTRAST = """
function rgb(text) { var m = text.match(/[\\d.]+/g); return m ? m.map(Number) : null; }
function luminance(c) {
  var v = c.slice(0, 3).map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function background(element) {
  for (var e = element; e && e.nodeType === 1; e = e.parentElement) {
    var c = rgb(getComputedStyle(e).backgroundColor);
    if (c && (c.length < 4 || c[3] > 0)) { return c; }
  }
  return [255, 255, 255];
}
var low = [];
document.querySelectorAll("body *").forEach(function (e) {
  var own = Array.prototype.some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim() !== ""; });
  if (!own || e.getClientRects().length === 0) { return; }
  var style = getComputedStyle(e);
  if (style.visibility === "hidden" || e.closest(".skip")) { return; }
  var colour = rgb(e instanceof SVGElement ? style.fill : style.color);
  var a = luminance(colour), b = luminance(background(e));
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) { low.push(e.tagName + " '" + e.textContent.trim().slice(0, 40) + "' " + ratio.toFixed(2)); }
});
return low;
"""

UNLABELLED = """
return Array.prototype.filter.call(document.querySelectorAll("input:not([type=hidden]), select, textarea"),
  function (e) { return e.labels.length === 0 || e.labels[0].textContent.trim() === ""; }).map(function (e) { return e.outerHTML; });
"""


def test_accessibility(driver, base):
    for path in ["/", "/agents?q=a", "/agents/ana.silva?date=2100-01-02", "/overview", "/revisions"]:
        driver.get(base + path)
        expect(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", f"{path}: lang")
        low = driver.execute_script(LOW_CONTRAST)
        expect(not low, f"{path}: text under 4.5:1 contrast: {low}")
        unlabelled = driver.execute_script(UNLABELLED)
        expect(not unlabelled, f"{path}: controls without a label: {unlabelled}")
    # Keyboard only: the skip link comes first and shows its focus, then the search box.
    driver.get(base + "/")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    expect(focused.get_attribute("class") == "skip", "Tab first reaches the skip link")
    expect(focused.value_of_css_property("outline-style") != "none", "the focus is visible")
    for _ in range(10):
        if driver.switch_to.active_element.get_attribute("id") == "agent-search":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    box = driver.switch_to.active_element
    expect(box.get_attribute("id") == "agent-search", "Tab reaches the search box")
    expect(box.value_of_css_property("outline-style") != "none", "the search box shows its focus")
    box.send_keys("ana.silva", Keys.ENTER)
    wait(driver, lambda d: d.current_url.endswith("/agents/ana.silva"), "Enter searches")


def screenshots(base, directory):
    """The agent page, the overview and the revisions at 1280 and 390 pixels wide."""
    os.makedirs(directory, exist_ok=True)
    pages = [("agent", "/agents/ana.silva?channel=email&date=2100-01-02"), ("overview", "/overview"), ("revisions", "/revisions")]
    for width, label in [(1280, "desktop"), (390, "phone")]:
        driver = browser(width=width)
        try:
            for name, path in pages:
                driver.set_window_size(width, 900)
                driver.get(base + path)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(height, 2400))
                target = os.path.join(directory, f"console-{name}-{label}.png")
                driver.save_screenshot(target)
                print(f"wrote {target}")
        finally:
            driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plain", required=True, help="serve without a token file, on examples/acme")
    parser.add_argument("--login", help="serve with --token-file, on the same store")
    parser.add_argument("--token", help="a token without scope in that file")
    parser.add_argument("--check-token", help="a token with scope=check in that file")
    parser.add_argument("--hostile", help="serve on the hostile-names tenant")
    parser.add_argument("--expected", help="JSON of what matrix and explain answer for the same stores")
    parser.add_argument("--screenshots", help="only take the screenshots, into this directory")
    arguments = parser.parse_args()
    if arguments.screenshots:
        screenshots(arguments.plain, arguments.screenshots)
        return 0
    with open(arguments.expected) as file:
        expected = json.load(file)
    driver = browser()
    steps = [
        ("search and open an agent", lambda: test_search_and_open_an_agent(driver, arguments.plain, expected)),
        ("the date changes the licence verdict", lambda: test_the_date_changes_the_licence_verdict(driver, arguments.plain, expected)),
        ("the overview and its filters", lambda: test_the_overview_and_its_filters(driver, arguments.plain, expected)),
        ("the login flow", lambda: test_login(driver, arguments.login, arguments.token, arguments.check_token)),
        ("the pages without JavaScript", lambda: test_without_javascript(arguments.plain)),
        ("the hostile-names tenant", lambda: test_hostile_names(driver, arguments.hostile, expected)),
        ("labels, contrast and the keyboard", lambda: test_accessibility(driver, arguments.plain)),
    ]
    try:
        for name, step in steps:
            step()
            print(f"ok: {name}")
    except Failure as failure:
        print(f"FAILED: {name}: {failure}")
        return 1
    except Exception as error:  # selenium's own: an element missing, a page not loading
        print(f"FAILED: {name}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''} (at {driver.current_url})")
        return 1
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
