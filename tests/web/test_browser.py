"""The review pages in a real browser (headless Chromium from Debian, through WebDriver): every
view renders, the raw page shows in its sandboxed frame, and no payload stored by a hostile
site runs — no alert, no mark in the page or its frames. A page built to run them shows the
check sees it when they do."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from flask import Flask, render_template_string
from selenium.webdriver.common.by import By

from tests.support import browser
from tests.support.reviewdata import HOSTILE_RAW, HOSTILE_TEXT, HOSTILE_TITLE
from tests.support.webserve import serving

pytestmark = pytest.mark.skipif(browser.unavailable() is not None, reason=browser.unavailable() or "")


@pytest.fixture(scope="module")
def driver():
    with browser.headless_chromium() as session:
        yield session


def article(review, url: str, **extra) -> str:
    return f"{review.base}/article?{urlencode({'url': url, **extra})}"


def test_every_view_renders(review, driver, tmp_path):
    driver.get(f"{review.base}/")
    rows = {r.find_element(By.CSS_SELECTOR, "td a").text: r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert "text_length_halved" in rows["lanzhou-kjj"].text and rows["hebi-kjj"].text.endswith("ok")
    browser.follow(driver, driver.find_element(By.LINK_TEXT, "lanzhou-kjj"))
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("lanzhou-kjj")
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr.flagged")) == 1

    driver.get(f"{review.base}/articles")
    driver.find_element(By.NAME, "q").send_keys("专题会议（3）")
    browser.follow(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button"))
    links = driver.find_elements(By.CSS_SELECTOR, "tbody td a")
    assert [a.text for a in links] == ["鹤壁市科技局召开科技创新专题会议（3）"]
    browser.follow(driver, links[0])
    assert driver.find_element(By.CSS_SELECTOR, "h1.headline").text == "鹤壁市科技局召开科技创新专题会议（3）"
    assert "第202号稿件第1段" in driver.find_element(By.CSS_SELECTOR, ".cleantext").text
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe.rawpage"))
    try:     # the page as fetched, furniture and all, beside the clean text
        assert "鹤壁市科技局召开科技创新专题会议（3）" in driver.find_element(By.TAG_NAME, "body").text
    finally:
        driver.switch_to.default_content()
    driver.get(article(review, review.changed))
    added = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".diff .added")]
    assert "新增的一段：补充说明会议的后续安排。" in added
    assert driver.save_screenshot(str(tmp_path / "article.png"))


def hostile_views(review) -> list[str]:
    return [f"{review.base}/", f"{review.base}/articles", f"{review.base}/articles?lowconf=1",
            f"{review.base}/site?name={quote('hostile<b>site</b>')}",
            article(review, review.hostile), article(review, review.hostile, raw="text"),
            article(review, review.hostile_warc), f"{review.base}/raw?{urlencode({'url': review.hostile})}"]


def test_no_stored_payload_runs_in_the_browser(review, driver):
    for url in hostile_views(review):
        assert browser.ran_script(driver, url) == [], url
    driver.get(article(review, review.hostile))
    assert driver.find_element(By.CSS_SELECTOR, "h1.headline").text == HOSTILE_TITLE     # shown as text
    assert driver.find_element(By.CSS_SELECTOR, ".cleantext").text.startswith("</div></pre><script>")
    assert not driver.execute_script("return document.querySelectorAll('script, svg, img[onerror]').length")
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe.rawpage"))
    try:       # the raw page is shown, its script is not run
        assert driver.find_element(By.ID, "rawh").text == "hostile raw page"
    finally:
        driver.switch_to.default_content()


def test_the_check_sees_payloads_that_do_run(driver):
    """The same payloads on a page that neither escapes nor sandboxes them: the check must see them."""
    unsafe = Flask(__name__)

    @unsafe.get("/")
    def page():
        return render_template_string("<h1>{{ title|safe }}</h1><div>{{ text|safe }}</div>"
                                      "<iframe srcdoc=\"{{ raw }}\"></iframe>",
                                      title=HOSTILE_TITLE, text=HOSTILE_TEXT, raw=HOSTILE_RAW)
    with serving(unsafe) as base:
        seen = browser.ran_script(driver, base + "/")
    assert any(s.startswith("alert:") for s in seen), seen
    assert any(s.startswith("page:") for s in seen), seen
