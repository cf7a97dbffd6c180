-- Idempotency keys of gRPC Publish calls. A call that carries a key writes its ticks and its key
-- in one transaction; a retry with the same key finds the key and writes nothing again. Keys are
-- per publisher (a digest of its x-publisher-key), so two feeds cannot collide. The hub deletes
-- keys older than Hub:PublishKeyRetention (created_at is indexed for that).
CREATE TABLE publish_keys (
    publisher  text        NOT NULL,
    key        text        NOT NULL,
    accepted   bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (publisher, key),
    CONSTRAINT publish_keys_key_length CHECK (length(key) BETWEEN 1 AND 128)
);

CREATE INDEX publish_keys_created_at ON publish_keys (created_at);
