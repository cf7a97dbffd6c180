using System.Threading.Channels;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A <see cref="ISubscriberSink"/> that records what the pump hands it, in order, as one entry per
/// call (a heartbeat as null messages). While <see cref="Hold"/> is set its writes stay pending until
/// the test completes them, a reader as slow as the test likes.
/// </summary>
internal sealed class RecordingSink : ISubscriberSink
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public Channel<Call> Calls { get; } = Channel.CreateUnbounded<Call>();

    public TaskCompletionSource<CloseReason> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes answer false: the peer is gone.</summary>
    public bool Gone { get; set; }

    /// <summary>Writes stay pending until the test completes the call's <see cref="Call.Accept"/>.</summary>
    public bool Hold { get; set; }

    public Queue<IReadOnlyList<Outgoing>> Due { get; } = new();

    public DateTimeOffset? NextDue { get; set; }

    public async Task<Call> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await Calls.Reader.ReadAsync(timeout.Token);
    }

    public ValueTask<bool> WriteAsync(Outgoing message, CancellationToken cancellationToken) => Record(new Call("one", [message], null));

    public ValueTask<bool> WriteManyAsync(IReadOnlyList<Outgoing> messages, CancellationToken cancellationToken) => Record(new Call("many", [.. messages], null));

    public ValueTask<bool> WriteHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => Record(new Call("heartbeat", [], now));

    public Task CloseAsync(CloseReason reason)
    {
        Closed.TrySetResult(reason);
        return Task.CompletedTask;
    }

    public IReadOnlyList<Outgoing>? TakeDue(DateTimeOffset now) => Due.TryDequeue(out var due) ? due : null;

    private ValueTask<bool> Record(Call call)
    {
        Calls.Writer.TryWrite(call);
        if (Gone)
        {
            return ValueTask.FromResult(false);
        }

        return Hold ? new ValueTask<bool>(call.Accept.Task) : ValueTask.FromResult(true);
    }

    internal sealed record Call(string Kind, IReadOnlyList<Outgoing> Messages, DateTimeOffset? Heartbeat)
    {
        public TaskCompletionSource<bool> Accept { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
