"""The stepper in a real browser: headless Chromium from the system packages,
driven by selenium and the system's chromedriver (one browser for the module).

Skipped, with the reason, where no browser can be had; ``make test`` installs
Debian's chromium and chromium-driver where it can (scripts/ensure_browser.sh).
"""

from __future__ import annotations

import shutil
import tempfile

import pytest
from test_stepper import planar_net, two_consumers

from micrograd_dls.cli import lecture_graph
from micrograd_dls.viz import save_html, step_through

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                "(pip install 'micrograd_dls[dev]')")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if shutil.os.path.exists("/usr/bin/chromedriver") else None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="no headless Chromium: install Debian's chromium and chromium-driver "
    "(sh scripts/ensure_browser.sh as root, or apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="mgs-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    except Exception as e:  # a browser that cannot start is a missing browser
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"headless Chromium did not start: {str(e).splitlines()[0]}")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, path):
    browser.get(path.as_uri())
    return browser.find_element(By.CSS_SELECTOR, "div.mgs")


def shown(root) -> tuple[str, str]:
    return (root.find_element(By.CSS_SELECTOR, ".mgs-title").text,
            root.find_element(By.CSS_SELECTOR, ".mgs-lines").text)


def test_stepping_through_the_lecture_shows_values_then_gradients(browser, tmp_path):
    root = open_page(browser, save_html(step_through(lecture_graph()), tmp_path / "l.html"))
    assert shown(root)[1].splitlines() == ["a = 5  (leaf)", "b = 3  (leaf)", "c = 2  (leaf)"]
    root.click()
    texts = []
    for _ in range(7):
        root.send_keys(Keys.ARROW_RIGHT)
        texts.append(shown(root)[1])
    assert texts[:3] == ["u = b·c = 3·2 = 6", "v = a + u = 5 + 6 = 11", "J = 3·v = 3·11 = 33"]
    assert texts[3] == "dJ = ∂J/∂J = 1"
    gradients = [line for t in texts[4:] for line in t.splitlines() if not line.startswith(" ")]
    assert gradients == [
        "dv = dJ · ∂J/∂v = 1 · 3 = 3",
        "da = dv · ∂v/∂a = 3 · 1 = 3",
        "du = dv · ∂v/∂u = 3 · 1 = 3",
        "db = du · ∂u/∂b = 3 · 2 = 6",
        "dc = du · ∂u/∂c = 3 · 3 = 9",
    ]
    assert root.get_attribute("data-step") == "7"
    # The nodes not computed yet are faded: at the last step none is.
    assert not root.find_elements(By.CSS_SELECTOR, "g.mgs-future")
    # The keyboard goes back, and Home / End jump.
    root.send_keys(Keys.ARROW_LEFT)
    assert shown(root)[1].startswith("da = dv")
    root.send_keys(Keys.HOME)
    assert root.get_attribute("data-step") == "0"
    assert root.find_elements(By.CSS_SELECTOR, "g.mgs-future")
    root.send_keys(Keys.END)
    assert root.get_attribute("data-step") == "7"


def test_buttons_slider_and_reset(browser, tmp_path):
    root = open_page(browser, save_html(step_through(lecture_graph()), tmp_path / "l.html"))
    button = {b.get_attribute("data-go"): b for b in root.find_elements(By.TAG_NAME, "button")}
    button["next"].click()
    button["next"].click()
    assert shown(root)[1] == "v = a + u = 5 + 6 = 11"
    button["prev"].click()
    assert shown(root)[1] == "u = b·c = 3·2 = 6"
    button["end"].click()
    assert shown(root)[0] == "backward 3 of 3: u sends its gradient to b, c"
    slider = root.find_element(By.CSS_SELECTOR, ".mgs-slider")
    browser.execute_script("arguments[0].value = 3;"
                           "arguments[0].dispatchEvent(new Event('input'));", slider)
    assert shown(root)[1] == "J = 3·v = 3·11 = 33"
    # The step highlights J and the edges into its operation.
    on = {g.find_element(By.TAG_NAME, "title").get_attribute("textContent")
          for g in root.find_elements(By.CSS_SELECTOR, "g.mgs-on")}
    assert {"fn5", "fo5", "fn4->fo5", "fo5->fn5"} <= on
    button["reset"].click()
    assert root.get_attribute("data-step") == "0"


def test_clicking_a_node_with_two_consumers_shows_the_sum(browser, tmp_path):
    root = open_page(browser, save_html(step_through(two_consumers()), tmp_path / "t.html"))
    node = next(g for g in root.find_elements(By.CSS_SELECTOR, "g.node")
                if g.find_element(By.TAG_NAME, "title").get_attribute("textContent") == "bn0")
    node.click()
    detail = root.find_element(By.CSS_SELECTOR, ".mgs-detail").text.splitlines()
    assert detail[0] == "a"
    # dJ/da = 2ab + b² = 21 at a = 2, b = 3, summed over a's consumers v and w.
    assert "da = dv · ∂v/∂a + dw · ∂w/∂a = 5 · 3 + 6 · 1 = 15 + 6 = 21" in detail
    assert "consumers: v, w" in detail


def test_two_steppers_on_one_page_do_not_interfere(browser, tmp_path):
    # As Jupyter shows them: two fragments in one document.
    page = tmp_path / "two.html"
    first, second = step_through(lecture_graph()), step_through(two_consumers())
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                    f"{first._repr_html_()}{second._repr_html_()}</body></html>",
                    encoding="utf-8")
    browser.get(page.as_uri())
    a, b = browser.find_elements(By.CSS_SELECTOR, "div.mgs")
    a.click()
    a.send_keys(Keys.ARROW_RIGHT)
    a.send_keys(Keys.ARROW_RIGHT)
    assert a.get_attribute("data-step") == "2" and b.get_attribute("data-step") == "0"
    b.click()
    b.send_keys(Keys.END)
    assert a.get_attribute("data-step") == "2"
    assert shown(a)[1] == "v = a + u = 5 + 6 = 11"
    assert b.get_attribute("data-phase") == "backward"


def stage_state(browser, root) -> tuple[float, list[bool]]:
    """The picture's top on the page, and for each highlighted node whether it is inside
    the picture's scrolled view."""
    return browser.execute_script("""
        var stage = arguments[0].querySelector('.mgs-svg'), c = stage.getBoundingClientRect();
        var inside = [];
        arguments[0].querySelectorAll('g.node.mgs-on').forEach(function (g) {
          var r = g.getBoundingClientRect();
          inside.push(r.top >= c.top - 1 && r.bottom <= c.bottom + 1 &&
                      r.left >= c.left - 1 && r.right <= c.right + 1);
        });
        return [arguments[0].querySelector('.mgs-stage').getBoundingClientRect().top, inside];
    """, root)


def test_each_step_scrolls_its_nodes_into_view_and_the_picture_never_moves(browser, tmp_path):
    # The planar network, top to bottom: taller than the window's 1000 px.
    root = open_page(browser, save_html(step_through(planar_net()), tmp_path / "p.html"))
    stage = root.find_element(By.CSS_SELECTOR, ".mgs-svg")
    assert browser.execute_script("return arguments[0].scrollHeight > arguments[0].clientHeight",
                                  stage)
    root.click()
    tops, scrolled = set(), set()
    for step in range(int(root.find_element(By.CSS_SELECTOR, ".mgs-slider")
                          .get_attribute("max")) + 1):
        if step:
            root.send_keys(Keys.ARROW_RIGHT)
        top, inside = stage_state(browser, root)
        tops.add(round(top, 1))
        scrolled.add(stage.get_property("scrollTop"))
        if step:  # the first step highlights every leaf, top to bottom of the picture
            assert inside and all(inside), (step, inside)
        else:  # so it shows the picture from its top, the legend in view
            assert stage.get_property("scrollTop") == 0
    # The text above keeps the height of its longest step: the picture stays put, and
    # the picture scrolls (the page does not) to show each step's nodes.
    assert len(tops) == 1, tops
    assert len(scrolled) > 1
    assert browser.execute_script("return window.scrollY") == 0
    # A click on a node shows its story over the picture, which does not move either.
    node = next(g for g in root.find_elements(By.CSS_SELECTOR, "g.node.mgs-clickable")
                if g.is_displayed())
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click'))", node)
    assert root.find_element(By.CSS_SELECTOR, ".mgs-detail").is_displayed()
    assert round(stage_state(browser, root)[0], 1) in tops


def test_the_script_removes_the_note_for_where_scripts_do_not_run(browser, tmp_path):
    root = open_page(browser, save_html(step_through(lecture_graph()), tmp_path / "l.html"))
    assert not root.find_elements(By.CSS_SELECTOR, ".mgs-static")
