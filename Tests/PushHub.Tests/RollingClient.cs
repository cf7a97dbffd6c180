using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ticker.PushHub.Tests;

/// <summary>
/// A subscriber that follows docs/protocol.md as a careful client does: it holds each symbol's last
/// seq and price, checks every delta against them, and on <c>reconnect</c> waits for the 1012 close,
/// then connects again (through the proxy) resuming from what it holds. Anything else — a close that
/// is not 1012, a seq going back, a jump <c>merged</c> does not explain — is recorded as a fault.
/// </summary>
internal sealed class RollingClient(Uri uri, string[] symbols)
{
    private readonly Dictionary<string, (long Seq, decimal Price)> _held = new(StringComparer.Ordinal);
    private readonly List<string> _faults = [];
    private int _refused;
    private readonly List<TimeSpan> _moves = [];
    private readonly Lock _lock = new();
    private int _connection;
    private int _sinceConnect;

    /// <summary>Connects a draining hub refused with 503 (retried; not a fault).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (_lock)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>For each move to another hub: from the old hub's goodbye to the first update from the new one.</summary>
    public IReadOnlyList<TimeSpan> Moves
    {
        get
        {
            lock (_lock)
            {
                return [.. _moves];
            }
        }
    }

    public (long Seq, decimal Price) Held(string symbol)
    {
        lock (_lock)
        {
            return _held.GetValueOrDefault(symbol);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        Stopwatch? moving = null;
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(uri, stop);
            }
            catch (WebSocketException e) when (e.Message.Contains("'503'", StringComparison.Ordinal) && !stop.IsCancellationRequested)
            {
                // A draining hub refuses new WebSockets with 503 until the balancer's next check
                // takes it out (up to its check interval, longer on a loaded machine); a client
                // retries, as docs/protocol.md asks. Nothing it held is lost by a refused connect.
                Interlocked.Increment(ref _refused);
                await Task.Delay(100, stop);
                continue;
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException && !stop.IsCancellationRequested)
            {
                Fault($"connect failed: {e.Message}");
                await Task.Delay(100, stop);
                continue;
            }

            _connection++;
            _sinceConnect = 0;
            await socket.SendAsync(Encoding.UTF8.GetBytes(Subscribe()), WebSocketMessageType.Text, true, stop);
            var buffer = new byte[256 * 1024];
            while (true)
            {
                ValueWebSocketReceiveResult result;
                var length = 0;
                try
                {
                    do
                    {
                        result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (WebSocketException e)
                {
                    Fault($"connection lost without a close (1006): {e.Message}");
                    break;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.CloseStatus != (WebSocketCloseStatus)1012)
                    {
                        Fault($"closed with {socket.CloseStatus} {socket.CloseStatusDescription}");
                    }

                    moving ??= Stopwatch.StartNew();
                    break;
                }

                var message = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement;
                _sinceConnect++;
                var type = message.GetProperty("type").GetString();
                if (type == "reconnect")
                {
                    moving = Stopwatch.StartNew();
                }
                else if (type is "snapshot" or "delta")
                {
                    if (moving is not null)
                    {
                        lock (_lock)
                        {
                            _moves.Add(moving.Elapsed);
                        }

                        moving = null;
                    }

                    Apply(type, message);
                }
                else if (type == "reset")
                {
                    lock (_lock)
                    {
                        _held.Remove(message.GetProperty("symbol").GetString()!);
                    }
                }
            }
        }
    }

    private string Subscribe()
    {
        lock (_lock)
        {
            return JsonSerializer.Serialize(new { op = "subscribe", symbols, resume = _held.ToDictionary(h => h.Key, h => h.Value.Seq) });
        }
    }

    private void Apply(string type, JsonElement message)
    {
        var symbol = message.GetProperty("symbol").GetString()!;
        var seq = message.GetProperty("seq").GetInt64();
        lock (_lock)
        {
            var known = _held.TryGetValue(symbol, out var held);
            if (known && type == "delta")
            {
                var merged = message.TryGetProperty("merged", out var m) ? m.GetInt64() : 1;
                if (seq <= held.Seq)
                {
                    _faults.Add($"{symbol}: seq went from {held.Seq} to {seq}");
                    return;
                }

                if (seq - held.Seq > merged)
                {
                    _faults.Add($"{symbol}: seq jumped from {held.Seq} to {seq} with merged {merged} (connection {_connection}, message {_sinceConnect})");
                }
            }
            else if (known && seq < held.Seq)
            {
                _faults.Add($"{symbol}: a snapshot took seq back from {held.Seq} to {seq}");
            }

            var price = message.TryGetProperty("price", out var p) ? p.GetDecimal() : held.Price;
            _held[symbol] = (seq, price);
        }
    }

    private void Fault(string fault)
    {
        lock (_lock)
        {
            _faults.Add(fault);
        }
    }
}
