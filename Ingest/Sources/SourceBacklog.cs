namespace Ticker.Ingest.Sources;

/// <summary>What the server holds back for a source until it acknowledges (see <see cref="ITickSource.HoldsBacklog"/>).</summary>
/// <param name="Holder">What holds it, for logs: a replication slot's name.</param>
/// <param name="Bytes">How much it holds, in bytes of WAL.</param>
/// <param name="Status">The server's word for the holder's state (a slot's <c>wal_status</c>).</param>
/// <param name="Lost">Changes the source had not read yet are gone: its subscribers will be reset.</param>
/// <param name="AtRisk">The server may discard what is held at its next checkpoint.</param>
public readonly record struct SourceBacklog(string Holder, long Bytes, string Status, bool Lost, bool AtRisk);
