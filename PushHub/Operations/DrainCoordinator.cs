namespace Ticker.PushHub.Operations;

/// <summary>
/// Turns the host's stop (SIGTERM, Ctrl+C) into a drain: the signal fires the moment stopping
/// begins, and the host's stop waits (at most <c>Hub:DrainTimeout</c>) for the sessions it counts to end.
/// Registered as a hosted service after the server, so it stops before Kestrel does: the
/// connections are still open while their sessions say goodbye.
/// </summary>
internal sealed class DrainCoordinator : IDrainSignal, IHostedService, IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly TaskCompletionSource _empty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HubOperationsOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<DrainCoordinator> _logger;
    private int _sessions;

    public DrainCoordinator(IHostApplicationLifetime lifetime, Microsoft.Extensions.Options.IOptions<HubOperationsOptions> options,
        TimeProvider clock, ILogger<DrainCoordinator> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        lifetime.ApplicationStopping.Register(Begin);
    }

    public bool IsDraining => _draining.IsCancellationRequested;

    public CancellationToken Draining => _draining.Token;

    /// <summary>Sessions open now.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Counts a session until the returned lease is disposed.</summary>
    public IDisposable Track()
    {
        Interlocked.Increment(ref _sessions);
        return new Lease(this);
    }

    public void Begin()
    {
        if (!_draining.IsCancellationRequested)
        {
            OperationsLog.DrainStarted(_logger, Sessions, _options.DrainTimeout);
            _draining.Cancel();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Begin();
        var started = _clock.GetTimestamp();
        if (Sessions == 0)
        {
            return;
        }

        try
        {
            await _empty.Task.WaitAsync(_options.DrainTimeout, _clock, cancellationToken);
            OperationsLog.Drained(_logger, _clock.GetElapsedTime(started));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            OperationsLog.DrainTimedOut(_logger, _options.DrainTimeout, Sessions);
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _sessions) == 0 && IsDraining)
        {
            _empty.TrySetResult();
        }
    }

    public void Dispose() => _draining.Dispose();

    private sealed class Lease(DrainCoordinator owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
