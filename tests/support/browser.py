"""Headless Chromium from Debian (``chromium`` + ``chromium-driver``, installed by ./run as
root) driven through WebDriver, and the checks of the hostile-page tests.

A page "ran script" when, after it loaded and had a moment to run, an alert is open or an
element carries ``data-pwned`` — the markers the payloads of :mod:`tests.support.reviewdata`
would set — in the page or in any frame of it.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, UnexpectedAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-proxy-server", "--disable-background-networking",
         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN")


def unavailable() -> str | None:
    """Why no browser test can run here, or None."""
    if not CHROMIUM or not CHROMEDRIVER:
        return ("Debian's chromium and chromium-driver are not installed (./run installs them with apt when run as "
                "root; apt-get install -y chromium chromium-driver)")
    return None


@contextlib.contextmanager
def headless_chromium():
    """A WebDriver session on headless Chromium that leaves alerts open for the checks to see."""
    with tempfile.TemporaryDirectory(prefix="govnews-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("unhandledPromptBehavior", "ignore")
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.set_page_load_timeout(20)
        try:
            yield driver
        finally:
            driver.quit()


def follow(driver, element, timeout: float = 20) -> None:
    """Click ``element`` (a link, a submit button) and wait until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, timeout).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")


def open_alert(driver, wait: float):
    """The text of an alert that opens within ``wait`` seconds (then dismissed), else None."""
    deadline = time.monotonic() + wait
    while True:
        try:
            alert = driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            return text
        except NoAlertPresentException:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.1)


MARKS = "return Array.from(document.querySelectorAll('[data-pwned]'), e => e.getAttribute('data-pwned'));"


def marks(driver) -> list[str]:
    """The ``data-pwned`` marks in the page and in each of its frames (looked at from inside
    the frame, so a sandboxed one is seen too)."""
    found = [f"page:{m}" for m in driver.execute_script(MARKS)]
    for i, frame in enumerate(driver.find_elements(By.TAG_NAME, "iframe")):
        driver.switch_to.frame(frame)
        try:
            found += [f"frame{i}:{m}" for m in driver.execute_script(MARKS)]
        finally:
            driver.switch_to.default_content()
    return found


def ran_script(driver, url: str, wait: float = 1.5) -> list[str]:
    """Load ``url`` and say what hostile script ran: alert texts and ``data-pwned`` marks."""
    found = []
    try:
        driver.get(url)
    except (UnexpectedAlertPresentException, TimeoutException):
        pass            # an alert during loading holds the load up; it is looked for below
    while (text := open_alert(driver, wait)) is not None:
        found.append(f"alert:{text}")
        wait = 0.3
    return found + marks(driver)
