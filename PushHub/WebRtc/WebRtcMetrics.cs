using System.Diagnostics.Metrics;

namespace Ticker.PushHub.WebRtc;

/// <summary>Instruments of the WebRTC side, on the <c>Ticker.PushHub.WebRtc</c> meter.</summary>
public sealed class WebRtcMetrics : IDisposable
{
    public const string MeterName = "Ticker.PushHub.WebRtc";

    private readonly Meter _meter;

    public WebRtcMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        Sessions = _meter.CreateUpDownCounter<long>("ticker.webrtc.sessions", "{session}", "WebRTC sessions signaled and not yet ended");
        DtlsConnected = _meter.CreateCounter<long>("ticker.webrtc.dtls_handshakes", "{handshake}", "DTLS handshakes completed with a matching fingerprint");
        SetupTime = _meter.CreateHistogram<double>("ticker.webrtc.setup_time", "ms", "Offer answered to data channel open");
        MessagesSent = _meter.CreateCounter<long>("ticker.webrtc.messages_sent", "{message}", "Quotes sent on data channels");
        Fallbacks = _meter.CreateCounter<long>("ticker.webrtc.fallbacks", "{message}", "Quotes sent on the WebSocket because the channel's buffer was full");
        QuotesRepeated = _meter.CreateCounter<long>("ticker.webrtc.quotes_repeated", "{message}", "Last quotes of a quiet symbol repeated once on the data channel");
        QuotesSettled = _meter.CreateCounter<long>("ticker.webrtc.quotes_settled", "{message}", "Last quotes of a quiet symbol (or of a closed channel) repeated once on the WebSocket");
        MessagesIgnored = _meter.CreateCounter<long>("ticker.webrtc.messages_ignored", "{message}", "Messages subscribers sent on a data channel (commands go on the WebSocket)");
        DatagramsReceived = _meter.CreateCounter<long>("ticker.webrtc.datagrams_received", "{datagram}", "Datagrams received on the shared port");
        DatagramsSent = _meter.CreateCounter<long>("ticker.webrtc.datagrams_sent", "{datagram}", "Datagrams sent from the shared port");
        DatagramsDropped = _meter.CreateCounter<long>("ticker.webrtc.datagrams_dropped", "{datagram}", "Datagrams on the shared port that belong to no session, by reason");
    }

    public UpDownCounter<long> Sessions { get; }
    public Counter<long> DtlsConnected { get; }
    public Histogram<double> SetupTime { get; }
    public Counter<long> MessagesSent { get; }
    public Counter<long> Fallbacks { get; }
    public Counter<long> QuotesRepeated { get; }
    public Counter<long> QuotesSettled { get; }
    public Counter<long> MessagesIgnored { get; }
    public Counter<long> DatagramsReceived { get; }
    public Counter<long> DatagramsSent { get; }
    public Counter<long> DatagramsDropped { get; }

    public void Dispose() => _meter.Dispose();
}
