using Ticker.Ingest.Sources;

namespace Ticker.Ingest.Pipeline;

/// <summary>
/// The epoch of the pipeline's positions (see <c>PositionEpoch</c>): read with every state the
/// book is loaded from. A running hub keeps numbering on from its own book, so its epoch changes
/// only when it reloads (a restart after a failure, a new temporary slot) and finds another: then
/// the book becomes the new state whole, the replay buffer is forgotten, and
/// <see cref="EpochChanged"/> tells the push side to reset every subscriber.
/// </summary>
public sealed partial class TickPipeline
{
    private volatile string _epoch = "";

    /// <summary>The epoch every <see cref="Quote.Seq"/> of <see cref="Book"/> belongs to; empty until started.</summary>
    public string Epoch => _epoch;

    /// <summary>
    /// Raised on the pipeline's thread when a reload found a new epoch, after the book holds the new
    /// state and before any update of it. Subscribers hold positions of the old one: reset them all.
    /// </summary>
    public event Action<string>? EpochChanged;

    private void LoadBook(StartupState state)
    {
        if (_epoch.Length == 0 || state.Epoch == _epoch)
        {
            foreach (var quote in state.Quotes)
            {
                Book.Load(quote);
            }

            _epoch = state.Epoch;
            return;
        }

        // Replaced before the epoch is named: whoever reads the new epoch finds the new book.
        Book.Replace(state.Quotes);
        Replays.Clear();
        var old = _epoch;
        _epoch = state.Epoch;
        IngestLog.EpochChanged(_logger, old, state.Epoch);
        EpochChanged?.Invoke(state.Epoch);
    }

    /// <summary>A reload in the stream (a new temporary slot) may come from another epoch: adopt it before the book merges it.</summary>
    private void AdoptReloadedEpoch(SourceEvent change)
    {
        if (change.Kind == SourceEventKind.Reload && change.State!.Epoch != _epoch)
        {
            LoadBook(change.State);
        }
    }
}
