using Ticker.Database.Ticks;

namespace Ticker.Database.ChangeFeed;

/// <summary>A stored tick and the 64-bit id of the transaction that inserted it.</summary>
public readonly record struct TransactionTick(long Txid, StoredTick Tick);
