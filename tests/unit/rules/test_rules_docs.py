"""docs/rulebook.md stays true: its complete example loads, and every key is documented."""

from __future__ import annotations

import re
from pathlib import Path

from mandate.rules import events, load
from mandate.rules.load import parse_rulebook

DOC = Path(__file__).resolve().parents[3] / "docs" / "rulebook.md"


def test_the_complete_example_in_the_docs_is_a_valid_rulebook() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    complete = [b for b in blocks if b.startswith("format_version")]
    assert len(complete) == 1
    rulebook = parse_rulebook(complete[0], source="docs/rulebook.md")
    assert rulebook.ballot.method.value == "irv"


def test_every_key_the_loaders_accept_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    keys = {
        *load._TOP,
        *load._PROCESS_KEYS,
        *load._BALLOT_KEYS,
        *events._TOP,
        *events._MOTION,
        *events._NOMINATION,
        *events._LETTERS,
    }
    missing = sorted(k for k in keys if f"`{k}`" not in text and f"{k} =" not in text)
    assert missing == []


def test_the_whatif_shown_in_the_docs_is_what_the_command_prints() -> None:
    from mandate.rules import load_events, load_rulebook, whatif
    from mandate.rules.explain import render_whatif

    command = "$ mandate rules whatif labour-2016 --events examples/labour-2016/events.toml\n"
    shown = DOC.read_text(encoding="utf-8").split(command)[1].split("```")[0]
    events = load_events(DOC.parents[1] / "examples" / "labour-2016" / "events.toml")
    assert render_whatif(whatif(load_rulebook("labour-2016"), events)) == shown
