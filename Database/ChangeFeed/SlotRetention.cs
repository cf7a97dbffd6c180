namespace Ticker.Database.ChangeFeed;

/// <summary>What a replication slot holds back: bytes of WAL past its confirmed position, and <c>pg_replication_slots.wal_status</c>.</summary>
public readonly record struct SlotRetention(long Bytes, string WalStatus);
