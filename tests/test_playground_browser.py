"""The playground in a real browser (headless Chromium, as the stepper's browser tests):
it loads from disk, the slider, the keys and play change the iteration, a click on a
unit shows what Python wrote for it, and the output's map is drawn -- pale at the
start, coloured once the network has learned."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from test_stepper_browser import CHROMIUM, DRIVER, browser  # noqa: F401  (the fixture)

from micrograd_dls import nn
from micrograd_dls.data import planar_flower
from micrograd_dls.viz import TrainingRecorder, playground

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="no headless Chromium: install Debian's chromium and chromium-driver "
    "(sh scripts/ensure_browser.sh as root, or apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def planar(tmp_path_factory):
    X, Y = planar_flower()
    rec = TrainingRecorder(X, Y, at=range(0, 1000, 100))
    model = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    model.fit(X, Y, learning_rate=1.2, num_iterations=1000, print_every=100, callbacks=[rec])
    page = playground(rec, model)
    return page, page.save(tmp_path_factory.mktemp("playground") / "planar.html")


def open_page(browser, path):  # noqa: F811
    browser.get(path.as_uri())
    return browser.find_element(By.CSS_SELECTOR, "div.mgp")


def frame_of(root) -> int:
    return int(root.get_attribute("data-frame"))


def slide(browser, root, k):  # noqa: F811
    slider = root.find_element(By.CSS_SELECTOR, ".mgp-slider")
    browser.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('input'));", slider, k)


def shows_frame(root, page, k):
    """What the page shows is frame k of the JSON: maps, edges, boundary, text."""
    frame = page.page[k]
    assert frame_of(root) == k
    for image in root.find_elements(By.CSS_SELECTOR, "image.mgp-map"):
        assert image.get_attribute("href") == frame["map"]
    edges = root.find_elements(By.CSS_SELECTOR, "path.mgp-edge")
    assert [e.get_attribute("stroke-width") for e in edges] == [s[1] for s in frame["edges"]]
    assert [e.get_attribute("stroke") for e in edges] == [s[2] for s in frame["edges"]]
    boundary = root.find_element(By.CSS_SELECTOR, "path.mgp-boundary")
    assert boundary.get_attribute("d") == frame["boundary"]
    assert root.find_element(By.CSS_SELECTOR, ".mgp-status").text.splitlines() == \
        frame["status"]
    assert root.find_element(By.CSS_SELECTOR, ".mgp-count").text == frame["count"]


def test_the_page_opens_at_the_first_iteration_and_the_slider_and_keys_move_it(
        browser, planar):  # noqa: F811
    page, path = planar
    root = open_page(browser, path)
    shows_frame(root, page, 0)
    slide(browser, root, 9)
    shows_frame(root, page, 9)
    root.click()
    root.send_keys(Keys.ARROW_LEFT)
    shows_frame(root, page, 8)
    root.send_keys(Keys.HOME)
    assert frame_of(root) == 0
    root.send_keys(Keys.END)
    assert frame_of(root) == 9
    root.send_keys(Keys.SPACE)  # play from the end starts again at the first
    assert root.get_attribute("data-playing") is not None
    root.send_keys(Keys.SPACE)
    assert root.get_attribute("data-playing") is None and frame_of(root) < 9


def test_play_walks_the_iterations_and_pause_stops_it(browser, planar):  # noqa: F811
    page, path = planar
    root = open_page(browser, path)
    button = root.find_element(By.CSS_SELECTOR, ".mgp-play")
    button.click()
    assert root.get_attribute("data-playing") is not None
    WebDriverWait(browser, 10).until(lambda _: frame_of(root) >= 3)
    button.click()
    stopped = frame_of(root)
    assert root.get_attribute("data-playing") is None and button.text == "▶ play"
    time.sleep(0.5)
    assert frame_of(root) == stopped
    shows_frame(root, page, stopped)
    button.click()  # plays on to the last iteration and stops there
    WebDriverWait(browser, 10).until(lambda _: root.get_attribute("data-playing") is None)
    shows_frame(root, page, 9)
    button.click()  # from the end, play starts again at the first
    WebDriverWait(browser, 10).until(lambda _: root.get_attribute("data-playing") is None)
    assert frame_of(root) == 9


def test_a_click_on_a_unit_shows_its_formula_and_follows_the_iteration(
        browser, planar):  # noqa: F811
    page, path = planar
    root = open_page(browser, path)
    detail = root.find_element(By.CSS_SELECTOR, ".mgp-detail")
    assert detail.text == "click a unit to see what it computes"
    unit = root.find_element(By.CSS_SELECTOR, 'g.mgp-unit[data-unit="u1"] rect')
    unit.click()
    assert detail.text.splitlines() == page.text[0][1] + page.notes[1]
    assert detail.text.startswith("a[1]_2 = tanh(")
    assert root.find_element(By.CSS_SELECTOR, 'g.mgp-unit[data-unit="u1"]').get_attribute(
        "class") == "mgp-unit mgp-selected"
    slide(browser, root, 6)
    assert detail.text.splitlines() == page.text[6][1] + page.notes[1]
    # The output: its small square and its big map are the same unit.
    root.find_element(By.CSS_SELECTOR, "g.mgp-big rect").click()
    assert detail.text.splitlines() == page.text[6][4] + page.notes[4]
    assert len(root.find_elements(By.CSS_SELECTOR, "g.mgp-selected")) == 2
    root.find_element(By.CSS_SELECTOR, 'g.mgp-unit[data-unit="i1"] rect').click()
    assert detail.text.splitlines()[0] == "x₂: input feature 2 of each example, a row of X"


def pale_fraction(browser, root, tmp_path, name) -> float:  # noqa: F811
    """The share of near-white pixels of the output's big map, in a screenshot."""
    image = pytest.importorskip("matplotlib.image")
    shot = browser.get_screenshot_as_png()
    (tmp_path / name).write_bytes(shot)
    pixels = image.imread(io.BytesIO(shot), format="png")[..., :3]
    ratio = browser.execute_script("return window.devicePixelRatio")
    box = root.find_element(By.CSS_SELECTOR, "g.mgp-big rect").rect
    x0, y0 = int((box["x"] + 4) * ratio), int((box["y"] + 4) * ratio)
    x1, y1 = int((box["x"] + box["width"] - 4) * ratio), int((box["y"] + box["height"] - 4)
                                                             * ratio)
    region = pixels[y0:y1, x0:x1]
    assert region.shape[0] > 200 and region.shape[1] > 200  # the map is on the screen
    return float(np.mean(region.min(axis=2) > 0.9))


def test_the_output_map_is_pale_at_the_start_and_coloured_at_the_end(
        browser, planar, tmp_path):  # noqa: F811
    _, path = planar
    root = open_page(browser, path)
    # At iteration 0, W[l] = 0.01·randn: a = σ(≈ 0) ≈ 0.5 everywhere, white.
    assert pale_fraction(browser, root, tmp_path, "first.png") > 0.8
    slide(browser, root, 9)
    assert pale_fraction(browser, root, tmp_path, "last.png") < 0.2


def test_two_playgrounds_on_one_page_keep_to_their_own(browser, planar, tmp_path):  # noqa: F811
    # As a notebook shows n_h = 4 beside n_h = 1: two fragments in one document.
    four, _ = planar
    X, Y = planar_flower()
    rec = TrainingRecorder(X, Y, at=range(0, 1000, 100))
    one = nn.MLP([2, 1, 1], "tanh", init="small", seed=2)
    one.fit(X, Y, learning_rate=1.2, num_iterations=1000, print_every=100, callbacks=[rec])
    one = playground(rec, one)
    page = tmp_path / "two.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                    f"{four._repr_html_()}{one._repr_html_()}</body></html>", encoding="utf-8")
    browser.get(page.as_uri())
    a, b = browser.find_elements(By.CSS_SELECTOR, "div.mgp")
    slide(browser, a, 9)
    assert frame_of(a) == 9 and frame_of(b) == 0
    shows_frame(a, four, 9)
    shows_frame(b, one, 0)
    b.find_element(By.CSS_SELECTOR, 'g.mgp-unit[data-unit="u0"] rect').click()
    assert b.find_element(By.CSS_SELECTOR, ".mgp-detail").text.splitlines()[0] == \
        one.text[0][0][0]
    assert a.find_element(By.CSS_SELECTOR, ".mgp-detail").text == \
        "click a unit to see what it computes"
    # Each square shows its own page's picture.
    for root in (a, b):
        own = root.get_attribute("id")
        refs = {u.get_attribute("href") for u in root.find_elements(By.TAG_NAME, "use")}
        assert refs == {f"#{own}-maps", f"#{own}-inputs"}
