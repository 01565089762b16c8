"""Ranked play against the real server: a ticket's board, no pause, rank and percentile afterwards."""

from __future__ import annotations

import random
import re
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, expect

from tests.web.conftest import board, cell, sequence
from tests.web.test_sync import signed_up, sync_status


def test_a_ranked_game_shows_its_rank_on_the_daily_board_and_its_percentile(
    context: BrowserContext, server_url: str, real_server: Any
) -> None:
    page, _email = signed_up(context, server_url, "Ranker")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Ranked").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_role("button", name="Pause")).to_be_hidden()

    pace = random.Random(6)
    for number in sequence(5):
        page.wait_for_timeout(pace.uniform(170, 330))  # a human's irregular pace: the server replays it
        cell(page, number).click()

    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_role("status", name="Ranking")).to_have_text(
        re.compile(r"^Rank 1 on today's board · faster than \d+% of players$"), timeout=30_000
    )
    expect(sync_status(page)).to_have_text("Synced")
    query = {"grid_size": 5, "order_mode": "ASC"}
    daily = httpx.get(f"{real_server.url}/api/v1/leaderboards/daily", params=query)
    names = [row.get("display_name") for row in daily.json()["data"]]
    assert "Ranker" in names


def test_ranked_needs_the_network_at_the_start_and_offers_practice_when_offline(
    context: BrowserContext, server_url: str
) -> None:
    page, _email = signed_up(context, server_url, "Offline")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Play").click()
    context.set_offline(True)
    page.get_by_role("button", name="Ranked").click()
    expect(page.get_by_role("alert").filter(has_text="You are offline")).to_have_text(
        "You are offline. Ranked play needs the network to fetch a fresh board: play practice instead."
    )
    page.get_by_role("button", name="Play practice instead").click()
    expect(board(page).get_by_role("button")).to_have_count(25)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
