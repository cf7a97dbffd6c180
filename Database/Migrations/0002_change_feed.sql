-- What the pipeline reads changes through.
--
-- 1. Logical replication: a publication of inserts into ticks (the hub creates its own slot).
--    Deletes (retention) are not published: they never reach subscribers as changes.
CREATE PUBLICATION ticker_ticks FOR TABLE ticks WITH (publish = 'insert');

-- 2. The fallback where replication is not allowed: LISTEN/NOTIFY wakes the hub, and a keyed
--    catch-up query reads what committed. Each row records the transaction that inserted it, so
--    the hub can read "every transaction older than any still running" — a set that can never
--    grow later, unlike "ids above N" (ids are assigned at INSERT, not at commit).
-- The 64-bit transaction id (xid8) as bigint: comparable, and BRIN-indexable since it only grows.
ALTER TABLE ticks ADD COLUMN txid bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint;
CREATE INDEX ticks_txid_brin ON ticks USING brin (txid);

CREATE FUNCTION ticks_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One notification per statement; PostgreSQL folds repeats within a transaction.
    PERFORM pg_notify('ticker_ticks', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER ticks_notify AFTER INSERT ON ticks FOR EACH STATEMENT EXECUTE FUNCTION ticks_notify();
