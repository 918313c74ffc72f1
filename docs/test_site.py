"""The built documentation site (``make docs-test`` builds it, then runs this).

It works from disk with no network: no page loads a script, a style sheet or a
picture from elsewhere. Every public name of every public namespace has its
page. The notebooks were executed. And in headless Chromium the pictures of the
start page and of an executed notebook render, the stepper on the notebook page
steps, and an API page shows its signatures; screenshots of the three pages go to
``$DOCS_SCREENSHOTS`` (default: the system's temporary folder).
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent
SITE = DOCS / "_build" / "html"
SCREENSHOTS = Path(os.environ.get("DOCS_SCREENSHOTS", tempfile.gettempdir()))
NAMESPACES = ["micrograd_dls", "micrograd_dls.nn", "micrograd_dls.viz", "micrograd_dls.data",
              "micrograd_dls.testing", "micrograd_dls.gradcheck", "micrograd_dls.reference",
              "micrograd_dls.graph"]
NOTEBOOK = SITE / "notebooks" / "01_week2_computation_graph.html"
API_PAGE = SITE / "api" / "generated" / "micrograd_dls.viz.step_through.html"

if not (SITE / "index.html").exists():
    pytest.exit(f"no site at {SITE}: build it first (make docs)", returncode=1)

PAGES = sorted(SITE.rglob("*.html"))
FETCHED = re.compile(
    r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"((?:https?:)?//[^\"]*)\"")


def test_the_conf_documents_the_namespaces_this_test_checks():
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    for name in NAMESPACES:
        assert f'"{name}"' in conf, name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(SITE)))
def test_a_page_fetches_nothing_from_the_network(page):
    html = page.read_text(encoding="utf-8")
    assert FETCHED.findall(html) == []


def test_the_style_sheets_fetch_nothing_from_the_network():
    for sheet in (SITE / "_static").rglob("*.css"):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//", text), sheet


def test_the_network_check_sees_a_script_from_a_cdn():
    html = '<script defer src="https://cdn.example.org/x.js"></script><link href="/x.css">'
    assert FETCHED.findall(html) == ["https://cdn.example.org/x.js"]


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_public_name_has_its_page(namespace):
    module = importlib.import_module(namespace)
    assert module.__all__
    missing = []
    for name in module.__all__:
        full = f"{namespace}.{name}"
        if inspect.ismodule(getattr(module, name)):  # a page of its own, beside the namespace's
            page, anchor = SITE / "api" / f"{full}.html", f'id="module-{full}"'
        else:
            page, anchor = SITE / "api" / "generated" / f"{full}.html", f'id="{full}"'
        if not page.exists() or anchor not in page.read_text(encoding="utf-8"):
            missing.append(full)
    assert missing == []


def test_a_documented_name_shows_its_docstring_not_its_types():
    page = (SITE / "api" / "generated" / "micrograd_dls.data.DATASETS.html").read_text("utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "dict() -> new empty dictionary" not in text
    assert "The two-dimensional data sets by name (micrograd-dls train --data NAME)" in text


@pytest.mark.parametrize("notebook", sorted((DOCS.parent / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_every_notebook_was_executed_into_its_page(notebook):
    html = (SITE / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    assert html.count('class="cell_output') >= 2
    assert "Traceback (most recent call last)" not in html


# --- in a browser --------------------------------------------------------------------------

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                "(pip install -e '.[dev]')")
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="no headless Chromium: install Debian's chromium and chromium-driver "
    "(sh scripts/ensure_browser.sh as root)")


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="mgs-docs-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    except Exception as e:  # a browser that cannot start is a missing browser
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"headless Chromium did not start: {str(e).splitlines()[0]}")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, page: Path) -> None:
    browser.get_log("browser")  # what earlier pages logged
    browser.get(page.as_uri())
    browser.execute_script("return document.fonts.ready")


def errors(browser) -> list[str]:
    """What the page logged as errors: a resource that failed to load, a script error."""
    return [entry["message"] for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE"]


def rendered_pictures(browser) -> list[tuple[str, int, int]]:
    """(source, width, height) of every picture in the article: <img> by its decoded
    natural size, inline <svg> by its laid-out size."""
    return browser.execute_script("""
        var out = [];
        document.querySelectorAll("article img").forEach(function (img) {
            out.push([img.getAttribute("src"), img.complete ? img.naturalWidth : 0,
                      img.complete ? img.naturalHeight : 0]);
        });
        document.querySelectorAll("article svg").forEach(function (svg) {
            if (svg.closest("button, .headerlink, .fa, .fab, .fas")) { return; }
            var box = svg.getBoundingClientRect();
            out.push(["<svg>", Math.round(box.width), Math.round(box.height)]);
        });
        return out;""")


def screenshot(browser, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"micrograd_dls-docs-{name}.png"
    browser.save_screenshot(str(path))
    return path


@needs_browser
def test_the_start_page_shows_the_lectures_graph(browser):
    open_page(browser, SITE / "index.html")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("micrograd_dls")
    pictures = rendered_pictures(browser)
    assert pictures and all(w > 100 and h > 50 for _, w, h in pictures), pictures
    assert "3.0 6.0 9.0" in browser.find_element(By.CSS_SELECTOR, "article").text
    assert errors(browser) == []
    picture = browser.find_element(By.CSS_SELECTOR, "article img")
    browser.execute_script("arguments[0].scrollIntoView({block: \"center\"})", picture)
    screenshot(browser, "start")


@needs_browser
def test_the_executed_notebook_shows_its_pictures_and_its_stepper_steps(browser):
    open_page(browser, NOTEBOOK)
    pictures = rendered_pictures(browser)
    assert len([p for p in pictures if p[0] != "<svg>"]) >= 2  # the forward and backward graphs
    assert all(w > 0 and h > 0 for _, w, h in pictures), pictures
    root = browser.find_element(By.CSS_SELECTOR, "div.mgs")
    browser.execute_script("arguments[0].scrollIntoView({block: \"center\"})", root)
    graph = root.find_element(By.CSS_SELECTOR, ".mgs-svg svg")
    assert graph.size["width"] > 100 and graph.size["height"] > 50
    lines = root.find_element(By.CSS_SELECTOR, ".mgs-lines")
    assert lines.text.splitlines() == ["a = 5  (leaf)", "b = 3  (leaf)", "c = 2  (leaf)"]
    root.find_element(By.CSS_SELECTOR, 'button[data-go="next"]').click()
    assert lines.text == "u = b·c = 3·2 = 6"
    assert root.get_attribute("data-step") == "1"
    root.find_element(By.CSS_SELECTOR, 'button[data-go="end"]').click()
    assert root.get_attribute("data-phase") == "backward"
    assert "dc = du · ∂u/∂c = 3 · 3 = 9" in lines.text
    root.find_element(By.CSS_SELECTOR, 'button[data-go="reset"]').click()
    root.find_element(By.CSS_SELECTOR, 'button[data-go="next"]').click()
    assert errors(browser) == []
    screenshot(browser, "notebook")


@needs_browser
def test_an_api_page_shows_the_signature_and_the_docstring(browser):
    open_page(browser, API_PAGE)
    signature = browser.find_element(By.ID, "micrograd_dls.viz.step_through")
    assert signature.is_displayed() and signature.size["width"] > 100
    assert signature.text.startswith("micrograd_dls.viz.step_through(")
    assert "topological order" in browser.find_element(By.CSS_SELECTOR, "article").text
    assert errors(browser) == []
    screenshot(browser, "api")
