"""A real browser for the site's tests: Debian's Chromium driven by Playwright, the hub served by
uvicorn on a free port. `make test` installs chromium, fonts-noto-cjk and poppler-utils with
apt-get (Playwright's own browser download is not used). Screenshots go to test-artifacts/."""

from __future__ import annotations

import asyncio
import contextlib
import os
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, Page, Route, async_playwright

from hub.app import create_app
from hub.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
HAVE_CHROMIUM = CHROMIUM.exists()
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "site"


@contextlib.asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[str]:
    """The hub on 127.0.0.1 and a free port; yields its base URL."""
    app = create_app(settings, "test")
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(400):  # up to 20 s
            if server.started or serving.done():
                break
            await asyncio.sleep(0.05)
        assert server.started, "the hub did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.skip("no /usr/bin/chromium: run `make test` (it installs chromium with apt-get)")
    async with async_playwright() as playwright:
        # In Chinese, as a county user's browser is: on Linux LANGUAGE (with --lang) sets the
        # browser's own strings, so native date and file inputs read 年/月/日 and 选择文件
        # (chromium-l10n holds them); the context's locale (visit) is what pages see
        # (navigator.language, Accept-Language). LANG stays C.UTF-8: a zh_CN locale the host
        # has not generated would leave Chromium unable to read non-ASCII file names.
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--lang=zh-CN"],
            env={**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "zh_CN:zh"},
        )
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class Visit:
    """A browser page that refuses (and records) every request to another host."""

    page: Page
    base: str
    foreign: list[str] = field(default_factory=list)
    artifacts: Path = ARTIFACTS

    async def open(self, path: str) -> None:
        answer = await self.page.goto(self.base + path)
        assert answer is not None and answer.ok, (path, answer and answer.status)
        await self.page.wait_for_load_state("networkidle")

    async def text(self) -> str:
        return await self.page.inner_text("body")

    async def shot(self, name: str) -> Path:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path


async def visit(
    browser: Browser,
    base: str,
    width: int = 1280,
    js: bool = True,
    artifacts: Path = ARTIFACTS,
    downloads: bool = False,
) -> Visit:
    context = await browser.new_context(
        viewport={"width": width, "height": 800},
        java_script_enabled=js,
        locale="zh-CN",
        accept_downloads=downloads,
    )
    page = await context.new_page()
    own = urllib.parse.urlsplit(base).netloc
    result = Visit(page, base, artifacts=artifacts)

    async def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith("data:") or urllib.parse.urlsplit(url).netloc == own:
            await route.continue_()
        else:
            result.foreign.append(url)
            await route.abort()

    await page.route("**/*", guard)
    return result
