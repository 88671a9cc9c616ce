"""`python -m bot` is the `briefbot` command."""

from __future__ import annotations

from bot.cli.main import main

raise SystemExit(main())
