using System.Text;
using BenchmarkDotNet.Attributes;
using Ticker.PushHub.WebRtc.DataChannels;

namespace Ticker.WebRtc.Benchmarks;

/// <summary>
/// The data channel's hot path, sans IO: the hub sends one quote on the unordered, unreliable
/// channel a subscriber opened; the subscriber's association takes it and its SACKs go back. Both
/// ends run here, so the time is an upper bound for the hub's share (DTLS encryption not included).
/// </summary>
[MemoryDiagnoser]
public class DataChannelBenchmarks
{
    // A typical full quote as QuoteJson.FullQuote writes it.
    private static readonly byte[] Quote = Encoding.UTF8.GetBytes(
        """{"type":"quote","symbol":"AAPL","seq":182312,"price":189.12,"bid":189.11,"ask":189.13,"size":100,"open":187.4,"high":189.5,"low":187.1,"volume":1203400,"change":1.72,"changePercent":0.9178,"ts":"2026-11-25T15:04:05.123456Z"}""");

    private DataChannelConnection _hub = null!;
    private DataChannelConnection _subscriber = null!;
    private ushort _channel;
    private TimeSpan _now = TimeSpan.FromSeconds(1);

    [GlobalSetup]
    public void Setup()
    {
        _hub = new DataChannelConnection(new DataChannelOptions { MaxPacketBytes = 1163 }, _now);
        _subscriber = new DataChannelConnection(new DataChannelOptions { MaxPacketBytes = 1163, IsDtlsClient = true }, _now);
        _subscriber.Connect(_now);
        Exchange();
        _channel = _subscriber.OpenChannel("quotes", ordered: false, maxRetransmits: 0, _now);
        Exchange();
        if (!_hub.IsEstablished || !_hub.Send(_channel, Quote, binary: false, _now))
        {
            throw new InvalidOperationException("the channel did not open");
        }

        Exchange();
    }

    [Benchmark(Description = "quote hub -> subscriber, SACKs back")]
    public void QuoteToSubscriber()
    {
        _hub.Send(_channel, Quote, binary: false, _now);
        while (_hub.TryPollTransmit(out var packet))
        {
            _subscriber.HandlePacket(packet, _now);
        }

        while (_subscriber.TryPollEvent(out _))
        {
        }

        while (_subscriber.TryPollTransmit(out var sack))
        {
            _hub.HandlePacket(sack, _now);
        }

        // 20,000 quotes a second: delayed SACKs and other timers fire as they would.
        _now += TimeSpan.FromMicroseconds(50);
        RunTimers(_hub);
        RunTimers(_subscriber);
    }

    private void RunTimers(DataChannelConnection connection)
    {
        if (connection.NextTimeout is { } due && due <= _now)
        {
            connection.HandleTimeout(_now);
        }
    }

    private void Exchange()
    {
        for (var moved = true; moved;)
        {
            moved = false;
            while (_subscriber.TryPollTransmit(out var packet))
            {
                _hub.HandlePacket(packet, _now);
                moved = true;
            }

            while (_hub.TryPollTransmit(out var packet))
            {
                _subscriber.HandlePacket(packet, _now);
                moved = true;
            }
        }

        while (_hub.TryPollEvent(out _) | _subscriber.TryPollEvent(out _))
        {
        }
    }
}
