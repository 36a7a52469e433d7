"""The HTML report: escaped, self-contained, and read in a real headless browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.render.html import render_html
from tests.helpers import ROOT, bundled_case, run_cli
from tests.render_support import HOSTILE_ID, HOSTILE_QUOTE, evaluated, hostile_case

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Set to 1 to refresh the README's screenshot (docs/html-report.png) from this test.
UPDATE_SCREENSHOT = os.environ.get("SANCTIONS_UPDATE_SCREENSHOT") == "1"


def _chromium() -> str | None:
    """Debian's chromium (installed by .ci/install-browser), or one named by CHROMIUM."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _cited(doc: dict[str, Any]) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(sentences cited in support, sentences cited as counter-evidence)."""
    support = {(c["source"], c["sentence"]) for f in doc["findings"] for c in f["citations"]}
    counter = {
        (c["source"], c["sentence"])
        for f in doc["findings"]
        for ce in f["counter_evidence"]
        for c in ce["citations"]
    }
    return support, counter


# -- without a browser ------------------------------------------------------------------------


def test_markup_from_facts_and_rules_is_escaped(tmp_path: Path) -> None:
    doc, facts = evaluated(*hostile_case(tmp_path))
    html = render_html(doc, facts)
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "<b>in</b>" not in html and "<i>with</i>" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "Title &lt;i&gt;with&lt;/i&gt; markup &amp; an ampersand" in html
    # The only script is the report's own, inline.
    assert len(re.findall(r"<script", html)) == 1


def test_no_network_resource_is_referenced(bundled: Any) -> None:
    facts, rules = bundled
    from engine.evaluate import evaluate
    from engine.report import to_document

    html = render_html(to_document(evaluate(facts, rules), facts, rules), facts)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html and "url(http" not in html
    assert "default-src 'none'" in html  # the page forbids loads even if one slipped in


def test_cli_writes_the_html_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("evaluate", "--facts", bundled_case(), "--format", "html", "--output", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count('class="finding ') == 14


# -- in a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip(
            "no chromium browser found: run .ci/install-browser (apt-get install chromium) "
            "or set CHROMIUM to a Chromium executable"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser: Any, path: Path, requests: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1200, "height": 900})

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    page.route("**/*", guard)
    page.goto(path.as_uri())
    return page


def _in_view(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            "el => { const r = el.getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight; }",
        )
    )


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    import json

    folder = tmp_path_factory.mktemp("html")
    out = folder / "report.html"
    assert (
        run_cli("evaluate", "--facts", bundled_case(), "--format", "html", "--output", out).code
        == 0
    )
    doc = json.loads(run_cli("evaluate", "--facts", bundled_case(), "--format", "json").out)
    return out, doc


def test_reader_sees_every_finding_and_highlight(
    browser: Any, bundled_report: tuple[Path, dict[str, Any]]
) -> None:
    path, doc = bundled_report
    requests: list[str] = []
    page = _open(browser, path, requests)
    n = len(doc["findings"])
    assert page.locator("h1").inner_text().startswith(f"{n} finding(s)")
    assert page.locator("section.finding").count() == n
    for f in doc["findings"]:
        assert page.locator(f'section.finding[data-finding="{f["id"]}"]').is_visible()

    support, counter = _cited(doc)
    labels = {s["id"]: f"S{i}" for i, s in enumerate(doc["record"]["sources"], start=1)}
    shown = {
        (el.get_attribute("id"), el.get_attribute("class"))
        for el in page.locator(".sent.cited").all()
    }
    expected = {f"s-{labels[s]}-{n}" for s, n in support | counter}
    assert {i for i, _ in shown} == expected
    for sid, num in counter - support:
        assert "cited-counter" in page.get_attribute(f"#s-{labels[sid]}-{num}", "class")
    for sid, num in support - counter:
        assert "cited-support" in page.get_attribute(f"#s-{labels[sid]}-{num}", "class")
    # Supporting and counter-evidence sentences look different to the reader.
    colour = "el => getComputedStyle(el).backgroundColor"
    some_support = next(iter(support - counter))
    some_counter = next(iter(counter - support))
    assert page.eval_on_selector(
        f"#s-{labels[some_support[0]]}-{some_support[1]}", colour
    ) != page.eval_on_selector(f"#s-{labels[some_counter[0]]}-{some_counter[1]}", colour)
    assert page.locator("#actors-diagram .edge[data-from='PRK'][data-to='RUS']").count() >= 1
    assert requests == []


def test_clicking_a_finding_scrolls_to_its_sentence_and_back(
    browser: Any, bundled_report: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, doc = bundled_report
    page = _open(browser, path, [])
    finding = next(f for f in doc["findings"] if f["rule"]["id"] == "DPRK-ARMS-EXPORT")
    first = finding["citations"][0]
    target = f"#s-S1-{first['sentence']}"
    assert not _in_view(page, target)
    card = page.locator(f'section.finding[data-finding="{finding["id"]}"]')
    card.locator("a.to-evidence").click()
    page.wait_for_function(f"location.hash === '{target}'")
    assert _in_view(page, target)
    assert not _in_view(page, f'section.finding[data-finding="{finding["id"]}"]')
    # ... and the sentence links back to the finding.
    back = page.locator(f"{target} .backlinks a", has_text=re.compile(r"^F\d+$"))
    number = re.search(r"F(\d+)", card.locator(".badge").first.inner_text())
    assert number is not None
    page.locator(f"{target} .backlinks a", has_text=f"F{number.group(1)}").click()
    assert back.count() >= 1
    page.wait_for_function("location.hash.startsWith('#f-')")
    assert _in_view(page, f'section.finding[data-finding="{finding["id"]}"]')

    # The README's picture: the article with its highlighted sentences.
    page.close()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(path.as_uri() + "#sources")
    assert _in_view(page, "#sources h2")
    shot = tmp_path / "html-report.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if UPDATE_SCREENSHOT:
        shutil.copy(shot, ROOT / "docs" / "html-report.png")


def test_markup_shows_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    doc, facts = evaluated(*hostile_case(tmp_path))
    out = tmp_path / "hostile.html"
    out.write_text(render_html(doc, facts), encoding="utf-8")
    page = _open(browser, out, [])
    assert page.evaluate("typeof window.__pwned") == "undefined"
    body = page.locator("body").inner_text()
    assert HOSTILE_QUOTE in body
    assert "Title <i>with</i> markup & an ampersand" in body
    assert page.locator("section.finding").count() == 1
    label = next(
        f"S{i}" for i, s in enumerate(doc["record"]["sources"], 1) if s["id"] == HOSTILE_ID
    )
    assert "cited-counter" in page.get_attribute(f"#s-{label}-3", "class")
    assert "cited-support" in page.get_attribute(f"#s-{label}-2", "class")


def _run_installer(path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", str(ROOT / ".ci" / "install-browser")],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_install_browser_script_never_fails(tmp_path: Path) -> None:
    # Where a chromium is on the PATH, it does nothing and says so.
    present = tmp_path / "present"
    present.mkdir()
    fake = present / "chromium"
    fake.write_text("#!/bin/sh\necho Chromium 1.0\n", encoding="utf-8")
    fake.chmod(0o755)
    done = _run_installer(f"{present}:/usr/bin:/bin")
    assert done.returncode == 0 and "already installed" in done.stdout
    # Without chromium and without apt-get, it says the test will be skipped, and exits 0.
    bare = tmp_path / "bare"
    bare.mkdir()
    for tool in ("id", "command"):
        found = shutil.which(tool)
        if found:
            (bare / tool).symlink_to(found)
    skipped = _run_installer(str(bare))
    assert skipped.returncode == 0
    assert "no apt-get here; the browser test will be skipped" in skipped.stderr
