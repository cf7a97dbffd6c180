-- Time stamps a tick may carry. One tick stamped in the future would hold its symbol's last
-- price until that moment passes; year 1 or +-infinity are always mistakes.
--
-- The lower bound is a CHECK: 1900-01-01 UTC is older than any price record worth importing.
-- NOT VALID: rows already in the table are not re-checked (the hub tolerates them, see
-- QuoteBook), so upgrading a database that holds one never fails; every new row is checked.
ALTER TABLE ticks ADD CONSTRAINT ticks_ts_sane
    CHECK (isfinite(ts) AND ts >= TIMESTAMPTZ '1900-01-01 00:00:00+00') NOT VALID;

-- The upper bound moves with the clock, which a CHECK must not depend on (PostgreSQL assumes a
-- CHECK's result never changes; a dump would not restore). A row trigger checks it at insert time
-- against clock_timestamp() (not now(): a long import transaction must not see its own start
-- time as "the present"). The allowance for feeds' clock drift is the setting
-- ticker.max_future_skew (default 1 minute): ALTER DATABASE ticker SET ticker.max_future_skew = '5 minutes'.
CREATE FUNCTION ticks_ts_not_future() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    skew interval := coalesce(nullif(current_setting('ticker.max_future_skew', true), ''), '1 minute')::interval;
BEGIN
    -- infinity is left to ticks_ts_sane, which names it.
    IF isfinite(NEW.ts) AND NEW.ts > clock_timestamp() + skew THEN
        RAISE EXCEPTION 'tick % at % is more than % ahead of the database clock', NEW.symbol, NEW.ts, skew
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ticks_ts_not_future', TABLE = 'ticks', COLUMN = 'ts';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ticks_ts_not_future BEFORE INSERT ON ticks FOR EACH ROW EXECUTE FUNCTION ticks_ts_not_future();
