-- The symbol directory: reference data for the tickers the feeds write. A feed never depends on
-- it: ticks for a symbol missing here still flow, and the hub lists them (GET /api/unknown-symbols).
--
-- Name search uses pg_trgm (fuzzy: "aple" finds Apple) and a tsvector of the name's words (word
-- prefix: "gen ele" finds General Electric). pg_trgm ships with PostgreSQL's contrib modules (in
-- Debian's postgresql-15 package) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE symbols (
    -- The same rule as ticks_symbol_format (0001_ticks.sql).
    symbol      text           PRIMARY KEY,
    name        text           NOT NULL,
    -- The market identifier code (ISO 10383) where one exists: XNAS, XNYS, ARCX; else CRYPTO, FX.
    venue       text           NOT NULL,
    asset_class text           NOT NULL,
    -- ISO 4217: the currency prices are quoted in.
    currency    text           NOT NULL,
    -- An IANA time zone id (America/New_York): the venue's local time.
    time_zone   text           NOT NULL,
    -- The session calendar the venue trades by (us-equity, crypto-24x7, fx-24x5).
    calendar    text           NOT NULL,
    -- The smallest price step.
    tick_size   numeric(20, 8) NOT NULL,
    active      boolean        NOT NULL DEFAULT true,
    updated_at  timestamptz    NOT NULL DEFAULT now(),
    -- The name's words, for word-prefix search ('simple': no stemming, no stop words dropped).
    name_words  tsvector       GENERATED ALWAYS AS (to_tsvector('simple', name)) STORED,
    CONSTRAINT symbols_symbol_format CHECK (symbol ~ '^[A-Z0-9^][A-Z0-9.:/^=_-]{0,31}$'),
    CONSTRAINT symbols_name_length CHECK (length(name) BETWEEN 1 AND 200),
    CONSTRAINT symbols_venue_format CHECK (venue ~ '^[A-Z0-9][A-Z0-9._-]{0,15}$'),
    CONSTRAINT symbols_asset_class CHECK (asset_class IN ('equity', 'etf', 'fund', 'index', 'crypto', 'fx', 'future', 'option', 'bond', 'other')),
    CONSTRAINT symbols_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT symbols_time_zone_format CHECK (time_zone ~ '^[A-Za-z0-9_+/-]{1,64}$'),
    CONSTRAINT symbols_calendar_format CHECK (calendar ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    CONSTRAINT symbols_tick_size_positive CHECK (tick_size > 0)
);

COMMENT ON TABLE symbols IS 'The symbol directory; load it with `make import-symbols FILE=...` (docs/operations.md)';

-- Ticker prefix (LIKE 'AA%'): the primary key's index follows the database's collation, which a
-- LIKE prefix can use only under "C"; text_pattern_ops can under any.
CREATE INDEX symbols_symbol_prefix ON symbols (symbol text_pattern_ops);
-- Fuzzy ticker (MSFY finds MSFT) and fuzzy name (aple finds Apple Inc.).
CREATE INDEX symbols_symbol_trgm ON symbols USING gin (symbol gin_trgm_ops);
CREATE INDEX symbols_name_trgm ON symbols USING gin (lower(name) gin_trgm_ops);
-- Word prefix of the name ('gen:* & ele:*').
CREATE INDEX symbols_name_words ON symbols USING gin (name_words);
