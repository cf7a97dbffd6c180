-- Positions that survive retention, and an epoch for what does not.
--
-- A symbol's seq is how many of its ticks have committed. Counting the rows alone would make it
-- drop when old ticks are deleted, so a client resuming from an older position would be handed
-- other data as if nothing happened. Instead seq = tick_retention.removed + count(ticks): the
-- retention command (PushHub retention) deletes a symbol's old ticks and adds their number here in
-- the same statement, so every snapshot of the database sees the same seq before and after, and
-- retention alone invalidates no client.
--
-- removed_through_* is the newest (ts, id) retention removed: a history cursor (oldest first)
-- below it points into deleted ticks and is answered "gone" rather than skipping them silently.
CREATE TABLE tick_retention (
    symbol             text        PRIMARY KEY,
    removed            bigint      NOT NULL DEFAULT 0,
    removed_through_ts timestamptz NOT NULL,
    removed_through_id bigint      NOT NULL,
    removed_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tick_retention_removed_not_negative CHECK (removed >= 0)
);

COMMENT ON TABLE tick_retention IS 'Per symbol, how many ticks retention deleted: seq = removed + count(ticks)';

-- The epoch: a short opaque name for the numbering of positions. It changes when positions of
-- data already served may change meaning: ticks deleted other than by the retention command,
-- rows updated, the table truncated (a re-import), or by hand (PushHub epoch --rotate, after
-- restoring a backup). A resume that names another epoch is answered by a reset and a snapshot.
CREATE TABLE ticker_epoch (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch      text        NOT NULL,
    reason     text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    -- The transaction that last changed it (ticker_xact_key): a DELETE of a million rows rotates it
    -- once, not a million times.
    changed_by text        NOT NULL
);

-- A transaction's id with its start time: an id alone could recur in a cluster restored elsewhere.
CREATE FUNCTION ticker_xact_key() RETURNS text LANGUAGE sql VOLATILE
    RETURN pg_current_xact_id()::text || '@' || now()::text;

-- 48 random bits as 12 hex digits: the first 12 of a version-4 UUID are all random.
CREATE FUNCTION ticker_new_epoch() RETURNS text LANGUAGE sql VOLATILE
    RETURN left(replace(gen_random_uuid()::text, '-', ''), 12);

INSERT INTO ticker_epoch (epoch, reason, changed_by) VALUES (ticker_new_epoch(), 'created', ticker_xact_key());

CREATE FUNCTION ticker_rotate_epoch(why text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    rotated text;
BEGIN
    UPDATE ticker_epoch SET epoch = ticker_new_epoch(), reason = why, changed_at = now(), changed_by = ticker_xact_key()
    RETURNING epoch INTO rotated;
    RETURN rotated;
END
$$;

CREATE FUNCTION ticks_rewritten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ticker_epoch SET epoch = ticker_new_epoch(), reason = lower(TG_OP) || ' on ticks', changed_at = now(),
                            changed_by = ticker_xact_key()
    WHERE changed_by <> ticker_xact_key();
    IF TG_OP = 'TRUNCATE' THEN
        -- A new epoch numbers from the rows that come next; what retention removed before is moot,
        -- and its bound would wrongly turn away cursors into re-imported history.
        DELETE FROM tick_retention;
    END IF;
    RETURN NULL;
END
$$;

-- The retention command sets ticker.retention = 'on' for its own session; any other DELETE or
-- UPDATE of ticks rotates the epoch (the WHEN clause costs the retention's deletes one check each).
CREATE TRIGGER ticks_rewritten AFTER UPDATE OR DELETE ON ticks FOR EACH ROW
    WHEN (coalesce(current_setting('ticker.retention', true), '') <> 'on')
    EXECUTE FUNCTION ticks_rewritten();

CREATE TRIGGER ticks_truncated AFTER TRUNCATE ON ticks FOR EACH STATEMENT EXECUTE FUNCTION ticks_rewritten();
