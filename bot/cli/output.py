"""How the command line prints: exit statuses, JSON, and answers as terminal text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from briefs import render

if TYPE_CHECKING:  # `briefbot parse` prints through this module without the services
    from briefs.answers import Answer

EXIT_OK, EXIT_EMPTY, EXIT_USAGE = 0, 1, 2


def print_json(data: object) -> None:
    """JSON on standard output, dates and paths as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_answer_json(answer: Answer) -> int:
    """An answer as JSON; the exit status says whether anything was found."""
    print_json(
        {"found": answer.found, "text": answer.text, "cards": [asdict(c) for c in answer.cards]}
    )
    return EXIT_OK if answer.found else EXIT_EMPTY


def print_answer(answer: Answer) -> None:
    """An answer as terminal text: every page, one after another."""
    if answer.text:
        print(render.plain(answer.text))
    for card in answer.cards:
        print(render.card_text(card))
        print()
