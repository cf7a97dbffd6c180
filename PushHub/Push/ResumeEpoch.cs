namespace Ticker.PushHub.Push;

/// <summary>
/// Whether a resume position may be continued, as far as its epoch goes (docs/protocol.md#positions-and-epochs).
/// A position is (epoch, seq): a seq from another epoch may name other data however well it
/// fits the numbers, so it is never continued. A client that sends no epoch (built before epochs)
/// is judged by the numbers alone: its position is served only when the hub holds it in the
/// current epoch's replay window, which retention never invalidates (it does not lower seq).
/// </summary>
internal static class ResumeEpoch
{
    /// <summary>Epochs the database makes are 12 characters; a little room for other stores.</summary>
    public const int MaxLength = 64;

    /// <summary>Why the position must be reset, or null when the numbers may decide.</summary>
    public static string? Refusal(string? clientEpoch, string currentEpoch, long seq) =>
        clientEpoch is null || clientEpoch == currentEpoch
            ? null
            : $"resume position {seq} is of epoch {clientEpoch}; positions are now numbered in epoch {currentEpoch}";
}
