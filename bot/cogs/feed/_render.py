"""What /feed answers with: the delivery list and the test verdict, as Markdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from briefs.render import clip
from briefs.sources.delivery import Delivery


def _stamp(moment: dt.datetime | None) -> str:
    return f"<t:{int(moment.timestamp())}:R>" if moment else "never"


def delivery_line(d: Delivery) -> str:
    """One delivery: channel, filters, mention, last post, last error."""
    parts = [f"**#{d.feed_id}→<#{d.channel_id}>** (delivery `{d.id}`)"]
    parts.append(d.options.filter.describe())
    if d.options.mention_role_id:
        parts.append(f"mentions <@&{d.options.mention_role_id}>")
    if d.options.thread:
        parts.append("thread per item")
    line = " · ".join(parts) + f"\nLast post: {_stamp(d.last_post)}"
    if d.last_error:
        line += f" · ⚠️ {clip(d.last_error, 200)}"
    return line


def deliveries_text(deliveries: Sequence[Delivery]) -> str:
    """The channels section of `/feed list`."""
    if not deliveries:
        return "No feed posts in a channel yet: `/feed add url channel`."
    return "\n".join(delivery_line(d) for d in deliveries)
