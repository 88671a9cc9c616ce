"""Feed deliveries and their queued items (delivery_items), in the library's transactions.

Exactly once, like digest runs: an item is queued in the transaction that stores its entry;
`claim` moves it pending → claimed before the post, `record_posted` claimed → posted after. A
crash between the two leaves it claimed, and a restart looks for it in the channel
(DeliveryService.settle) before posting it again."""

from __future__ import annotations

import datetime as dt

from briefs.errors import AlreadySubscribed, NotFound
from briefs.sources.changes import Shown
from briefs.sources.delivery import Delivery, DeliveryOptions, QueuedItem
from briefs.sources.filters import ItemFilter, join_terms, parse_terms
from storage.db import Row
from storage.rows import from_utc_text, to_utc_text
from storage.runs import Library

_DELIVERY = (
    "d.id, d.feed_id, d.guild_id, d.channel_id, d.include_terms, d.exclude_terms, "
    "d.mention_role_id, d.thread, d.backlog, f.url, f.title, d.last_post, d.last_error, "
    "d.created_by"
)
_ITEM = (
    "i.id, i.entry_id, i.brief_id, i.status, i.attempts, e.link, e.title, e.published, e.image, "
    "i.message_id, i.reply_channel, i.shown, i.revised, i.last_reply"
)
_FROM = (
    "FROM delivery_items i JOIN feed_deliveries d ON d.id = i.delivery_id "
    "JOIN feeds f ON f.id = d.feed_id "
    "LEFT JOIN feed_entries e ON e.feed_id = i.feed_id AND e.entry_id = i.entry_id"
)


def _maybe(text: str | None) -> dt.datetime | None:
    return from_utc_text(text) if text else None


def _delivery(row: Row) -> Delivery:
    options = DeliveryOptions(
        ItemFilter(parse_terms(row[4]), parse_terms(row[5])), row[6], bool(row[7])
    )
    return Delivery(
        id=row[0],
        feed_id=row[1],
        guild_id=row[2],
        channel_id=row[3],
        options=options,
        backlog=row[8],
        feed_url=row[9],
        feed_title=row[10],
        last_post=_maybe(row[11]),
        last_error=row[12],
        created_by=row[13],
    )


def _item(row: Row) -> QueuedItem:
    n = len(_DELIVERY.split(","))
    d, i = row[:n], row[n:]
    return QueuedItem(
        id=i[0],
        delivery=_delivery(d),
        entry_id=i[1],
        brief_id=i[2],
        status=i[3],
        attempts=i[4],
        link=i[5],
        title=i[6],
        published=_maybe(i[7]),
        image=i[8],
        message_id=i[9],
        reply_channel=i[10],
        shown=Shown.from_json(i[11]),
        revised=bool(i[12]),
        last_reply=_maybe(i[13]),
    )


class DeliveryStore:
    """Deliveries (feed → channel) and their items, on the library's shared connection."""

    def __init__(self, library: Library, *, max_per_guild: int = 50) -> None:
        self._library = library
        self.max_per_guild = max_per_guild

    async def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Row]:
        """Rows of one read (driver errors leave the snapshot as StorageError)."""
        async with self._library.snapshot() as conn:
            return await conn.fetch(sql, params)

    async def _write(self, sql: str, params: tuple[object, ...]) -> int:
        """One write in its own transaction; returns the rows changed."""
        async with self._library.transaction() as conn:
            return await conn.execute(sql, params)

    # --- deliveries ----------------------------------------------------------------------

    async def add(
        self,
        feed_id: int,
        *,
        guild_id: int,
        channel_id: int,
        options: DeliveryOptions,
        backlog: int,
        created_by: int | None,
        now: dt.datetime,
    ) -> Delivery:
        """A feed posting into a channel, with its newest `backlog` briefs queued at once."""
        async with self._library.transaction() as conn:
            same = await conn.fetch(
                "SELECT id FROM feed_deliveries WHERE feed_id = ? AND channel_id = ?",
                (feed_id, channel_id),
            )
            if same:
                raise AlreadySubscribed("feed delivery", same[0][0])
            inserted = await conn.fetch(
                "INSERT INTO feed_deliveries (feed_id, guild_id, channel_id, include_terms, "
                "exclude_terms, mention_role_id, thread, backlog, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    feed_id, guild_id, channel_id, join_terms(options.filter.include),
                    join_terms(options.filter.exclude), options.mention_role_id,
                    int(options.thread), backlog, created_by, to_utc_text(now),
                ),
            )  # fmt: skip
            delivery_id = int(inserted[0][0])
            if backlog > 0:
                # casts: PostgreSQL types a bare parameter of a SELECT list as text
                await conn.execute(
                    "INSERT INTO delivery_items (delivery_id, feed_id, entry_id, channel_id, "
                    "brief_id, not_before, created_at) SELECT CAST(?1 AS BIGINT), feed_id, "
                    "entry_id, CAST(?2 AS BIGINT), brief_id, CAST(?3 AS TEXT), CAST(?3 AS TEXT) "
                    "FROM feed_entries WHERE feed_id = ?4 AND brief_id IS NOT NULL "
                    "ORDER BY published DESC NULLS LAST, seen_at DESC LIMIT ?5 "
                    "ON CONFLICT DO NOTHING",
                    (delivery_id, channel_id, to_utc_text(now), feed_id, backlog),
                )
        return await self.get(guild_id, delivery_id)

    async def get(self, guild_id: int, delivery_id: int) -> Delivery:
        """One of the guild's deliveries; NotFound otherwise."""
        rows = await self._rows(
            f"SELECT {_DELIVERY} FROM feed_deliveries d JOIN feeds f ON f.id = d.feed_id "  # noqa: S608
            "WHERE d.id = ? AND d.guild_id = ?",
            (delivery_id, guild_id),
        )
        if not rows:
            raise NotFound("feed delivery", delivery_id)
        return _delivery(rows[0])

    async def in_guild(self, guild_id: int) -> list[Delivery]:
        """The guild's deliveries, oldest first."""
        rows = await self._rows(
            f"SELECT {_DELIVERY} FROM feed_deliveries d JOIN feeds f ON f.id = d.feed_id "  # noqa: S608
            "WHERE d.guild_id = ? ORDER BY d.id",
            (guild_id,),
        )
        return [_delivery(r) for r in rows]

    async def of_feed(self, feed_id: int) -> list[Delivery]:
        """A feed's deliveries."""
        rows = await self._rows(
            f"SELECT {_DELIVERY} FROM feed_deliveries d JOIN feeds f ON f.id = d.feed_id "  # noqa: S608
            "WHERE d.feed_id = ? ORDER BY d.id",
            (feed_id,),
        )
        return [_delivery(r) for r in rows]

    async def edit(self, guild_id: int, delivery_id: int, options: DeliveryOptions) -> Delivery:
        """Change a delivery's filters, mention or thread setting."""
        changed = await self._write(
            "UPDATE feed_deliveries SET include_terms = ?, exclude_terms = ?, "
            "mention_role_id = ?, thread = ? WHERE id = ? AND guild_id = ?",
            (
                join_terms(options.filter.include), join_terms(options.filter.exclude),
                options.mention_role_id, int(options.thread), delivery_id, guild_id,
            ),
        )  # fmt: skip
        if not changed:
            raise NotFound("feed delivery", delivery_id)
        return await self.get(guild_id, delivery_id)

    async def remove(self, guild_id: int, delivery_id: int) -> Delivery:
        """Stop a feed posting in a channel (its feed and briefs stay)."""
        delivery = await self.get(guild_id, delivery_id)
        async with self._library.transaction() as conn:
            await conn.execute("DELETE FROM delivery_items WHERE delivery_id = ?", (delivery_id,))
            await conn.execute("DELETE FROM feed_deliveries WHERE id = ?", (delivery_id,))
        return delivery

    async def set_error(self, delivery_id: int, error: str | None) -> bool:
        """Record (or clear) why the delivery fails; True when that is news."""
        return bool(
            await self._write(
                "UPDATE feed_deliveries SET last_error = ?1 WHERE id = ?2 "
                "AND last_error IS DISTINCT FROM ?1",
                (error, delivery_id),
            )
        )

    # --- items ---------------------------------------------------------------------------

    async def due(
        self, *, now: dt.datetime, limit: int = 2000, per_channel: int = 25
    ) -> list[QueuedItem]:
        """Items to post, and posted items with a revision to tell, oldest first; at most
        `per_channel` per channel, so one busy channel never holds the others back."""
        rows = await self._rows(
            f"SELECT {_DELIVERY}, {_ITEM} FROM (SELECT *, row_number() OVER ("  # noqa: S608  # constant fragments
            "PARTITION BY channel_id ORDER BY not_before, id) AS n FROM delivery_items "
            "WHERE (status = 'pending' OR revised = 1) AND not_before <= ?) i "
            "JOIN feed_deliveries d ON d.id = i.delivery_id JOIN feeds f ON f.id = d.feed_id "
            "LEFT JOIN feed_entries e ON e.feed_id = i.feed_id AND e.entry_id = i.entry_id "
            "WHERE i.n <= ? ORDER BY i.not_before, e.published NULLS FIRST, i.id LIMIT ?",
            (to_utc_text(now), per_channel, limit),
        )
        return [_item(r) for r in rows]

    async def claimed(self) -> list[QueuedItem]:
        """Items claimed but never recorded: a crash interrupted their post."""
        rows = await self._rows(
            f"SELECT {_DELIVERY}, {_ITEM} {_FROM} WHERE i.status = 'claimed' ORDER BY i.id"
        )
        return [_item(r) for r in rows]

    async def claim(self, item_id: int, *, now: dt.datetime) -> bool:
        """pending → claimed, before posting; False when someone else has it."""
        return bool(
            await self._write(
                "UPDATE delivery_items SET status = 'claimed', attempts = attempts + 1, "
                "not_before = ? WHERE id = ? AND status = 'pending'",
                (to_utc_text(now), item_id),
            )
        )

    async def record_posted(
        self,
        item: QueuedItem,
        *,
        message_id: int,
        reply_channel: int,
        shown: Shown,
        publish: bool,
        now: dt.datetime,
    ) -> None:
        """claimed → posted with its message; an announcement joins the publish queue, at once."""
        at = to_utc_text(now)
        async with self._library.transaction() as conn:
            await conn.execute(
                "UPDATE delivery_items SET status = 'posted', message_id = ?, reply_channel = ?, "
                "shown = ?, posted_at = ?, error = NULL WHERE id = ?",
                (message_id, reply_channel, shown.to_json(), at, item.id),
            )
            await conn.execute(
                "UPDATE feed_deliveries SET last_post = ?, last_error = NULL WHERE id = ?",
                (at, item.delivery.id),
            )
            if publish:
                await conn.execute(
                    "INSERT INTO publish_queue (guild_id, channel_id, message_id, not_before, "
                    "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (item.delivery.guild_id, item.delivery.channel_id, message_id, at, at),
                )

    async def record_filtered(self, item_id: int, reason: str) -> None:
        """pending → filtered: the delivery's filters kept it out."""
        await self._write(
            "UPDATE delivery_items SET status = 'filtered', error = ? WHERE id = ?",
            (reason, item_id),
        )

    async def record_failed(self, item_id: int, error: str) -> None:
        """A post that cannot succeed (channel gone, permission refused): not tried again."""
        await self._write(
            "UPDATE delivery_items SET status = 'failed', error = ? WHERE id = ?",
            (error, item_id),
        )

    async def retry(self, item_id: int, *, not_before: dt.datetime, error: str) -> None:
        """Back to pending, to be tried again at `not_before` (Discord unavailable)."""
        await self._write(
            "UPDATE delivery_items SET status = CASE WHEN status = 'claimed' THEN 'pending' "
            "ELSE status END, not_before = ?, error = ? WHERE id = ?",
            (to_utc_text(not_before), error, item_id),
        )

    async def record_reply(
        self, item_id: int, *, shown: Shown, now: dt.datetime, replied: bool
    ) -> None:
        """The revision is told (or had nothing to tell): remember what the post now shows."""
        await self._write(
            "UPDATE delivery_items SET revised = 0, shown = ?, "
            "last_reply = coalesce(CAST(? AS TEXT), last_reply) WHERE id = ?",
            (shown.to_json(), to_utc_text(now) if replied else None, item_id),
        )

    async def defer(self, item_id: int, *, not_before: dt.datetime) -> None:
        """Tell the revision later (at most one reply per item per hour)."""
        await self._write(
            "UPDATE delivery_items SET not_before = ? WHERE id = ?",
            (to_utc_text(not_before), item_id),
        )

    async def counts(self, delivery_id: int) -> dict[str, int]:
        """How many items of the delivery are in each status."""
        rows = await self._rows(
            "SELECT status, count(*) FROM delivery_items WHERE delivery_id = ? GROUP BY status",
            (delivery_id,),
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def newest(self, delivery: Delivery) -> QueuedItem | None:
        """The feed's newest entry with a brief, as the delivery would post it (`/feed test`)."""
        rows = await self._rows(
            "SELECT e.entry_id, e.brief_id, e.link, e.title, e.published, e.image "
            "FROM feed_entries e WHERE e.feed_id = ? AND e.brief_id IS NOT NULL "
            "ORDER BY e.published DESC NULLS LAST, e.seen_at DESC LIMIT 1",
            (delivery.feed_id,),
        )
        if not rows:
            return None
        r = rows[0]
        return QueuedItem(
            0, delivery, r[0], r[1], "pending", link=r[2], title=r[3],
            published=_maybe(r[4]), image=r[5],
        )  # fmt: skip
