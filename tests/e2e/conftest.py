"""Browser tests: the three deployables as live servers, driven by Debian's Chromium.

Each server runs the real settings of its deployable (through config.settings.test) on a
free port with its own temporary SQLite database. ``axe_check(page)`` fails on any WCAG 2.1
AA violation; a screenshot of every failing test lands in test-artifacts/.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("TAXGOV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEPLOYABLES = ("identity", "federal", "state")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback test server
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}:\n{log.read_text()[-3000:]}")


class LiveServers(dict[str, str]):
    """Base URL of each deployable; ``manage(name, *args)`` runs a command against its database."""

    def __init__(self) -> None:
        super().__init__()
        self.environments: dict[str, dict[str, str]] = {}

    def manage(self, name: str, *args: str, **extra_env: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.environments[name], **extra_env},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    @functools.cached_property
    def personas(self) -> list[dict[str, Any]]:
        """The demo personas as ``demo_personas --json`` prints them (computed once a run)."""
        return list(json.loads(self.manage("federal", "demo_personas", "--json"))["personas"])


@pytest.fixture(scope="session")
def live_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServers]:
    """Base URLs (http://localhost:PORT) of the three deployables, each on a fresh database."""
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[BinaryIO] = []
    urls = LiveServers()
    environments = urls.environments
    ports = {name: _free_port() for name in DEPLOYABLES}
    for name in DEPLOYABLES:
        folder = tmp_path_factory.mktemp(name)
        environments[name] = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TAXGOV_DEPLOYABLE": name,
            "TAXGOV_ENV": "test",
            "TAXGOV_DEBUG": "false",
            "TAXGOV_DATA_DIR": str(folder),
            "TAXGOV_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            # The fake camera's video turns the head one way (tests/e2e/test_identity_verification.py).
            "TAXGOV_IDV_CHALLENGES": "left",
            # Every browser test's user comes from 127.0.0.1 (config/settings/test.py).
            "TAXGOV_ONE_ADDRESS_FOR_ALL_USERS": "true",
            # The federal account signs in at this run's identity provider.
            "TAXGOV_FEDERAL_OIDC_ISSUER": f"http://localhost:{ports['identity']}",
        }
    migrations = [
        subprocess.Popen(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=environments[name],
        )
        for name in DEPLOYABLES
    ]
    if any(migration.wait() != 0 for migration in migrations):
        raise RuntimeError("migrating the e2e databases failed")
    # The state portal's journeys need the demo personas' returns and letters in its ledger.
    urls.manage("state", "load_demo_data")
    urls.manage("federal", "load_demo_data")
    urls.manage("identity", "load_demo_data")
    urls.manage("identity", "rotate_signing_key")
    registration = Path(environments["federal"]["TAXGOV_DATA_DIR"]) / "client-registration.json"
    registration.write_text(
        urls.manage("federal", "oidc_client_registration", "--base-url", f"http://localhost:{ports['federal']}")
    )
    urls.manage("identity", "register_client", "--from-file", str(registration))
    try:
        for name in DEPLOYABLES:
            port = ports[name]
            log = Path(environments[name]["TAXGOV_DATA_DIR"]) / "server.log"
            logs.append(log.open("wb"))
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nostatic"],
                    cwd=ROOT,
                    env=environments[name],
                    stdout=logs[-1],
                    stderr=subprocess.STDOUT,
                )
            )
            urls[name] = f"http://localhost:{port}"
            _wait_until_up(urls[name] + "/", processes[-1], log)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        for handle in logs:
            handle.close()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def axe_check(page: Page) -> None:
    """Fail on any WCAG 2.1 A/AA violation axe-core finds on the page as it is now.

    The script is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the page is scanned under its real production policy.
    """
    # Colours measured mid-transition (a modal fading in) are not the colours people read.
    page.evaluate("() => Promise.all(document.getAnimations().map((animation) => animation.finished))")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
            .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        WCAG_TAGS,
    )
    assert violations == [], f"axe found WCAG 2.1 AA violations on {page.url}:\n" + "\n".join(violations)


@pytest.fixture(scope="session")
def state_personas(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The demo personas as ``demo_personas --json`` prints them (computed, not read from a database)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TAXGOV_DEPLOYABLE": "state",
        "TAXGOV_ENV": "test",
        "TAXGOV_DATA_DIR": str(tmp_path_factory.mktemp("personas")),
    }
    printed = subprocess.run(
        [sys.executable, "manage.py", "demo_personas", "--json"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=True,
    )
    personas: list[dict[str, Any]] = json.loads(printed.stdout)["personas"]
    return personas


def screenshot(page: Page, folder: str, name: str) -> None:
    """Keep a picture of a page the run walked through (test-artifacts/<folder>/<name>.png)."""
    target = ARTIFACTS / folder
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def launch_with_camera(playwright_instance: Playwright, video: Path) -> Browser:
    """Chromium whose camera (and microphone) are fakes that play ``video``, allowed without asking."""
    return playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )


@pytest.fixture(scope="module")
def camera_browser(playwright_instance: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium whose camera plays a video of the astronaut turning her head to her left."""
    from tests.support.documents import fake_camera_video, sample_face

    video = tmp_path_factory.mktemp("camera") / "turning.y4m"
    fake_camera_video(video, sample_face("astronaut"), 1)
    browser = launch_with_camera(playwright_instance, video)
    yield browser
    browser.close()


@pytest.fixture
def camera_page(camera_browser: Browser) -> Iterator[Page]:
    """A page allowed to use the fake camera."""
    context = camera_browser.new_context(locale="en-US", permissions=["camera"])
    page = context.new_page()
    yield page
    context.close()
