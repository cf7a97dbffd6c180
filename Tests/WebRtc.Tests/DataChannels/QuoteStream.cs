using System.Buffers.Binary;
using Ticker.PushHub.WebRtc.Sctp;
using Ticker.WebRtc.Tests.Sctp;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>
/// The hub's quote channel in virtual time: the server side (the hub) sends one quote every
/// <c>1 / rate</c> seconds on an unordered <c>maxRetransmits: 0</c> channel, each flushed at once as
/// <c>PeerSession.TrySend</c> does, over a link that drops packets (both ways) with a seeded
/// probability. Records when each quote was queued, first transmitted and delivered, which DATA
/// packets were lost, when FORWARD-TSN covered them, and the sender's cwnd and flight size.
/// </summary>
internal sealed class QuoteStream
{
    private const int QuoteBytes = 200;

    private QuoteStream(int count) => Quotes = new QuoteTimes[count];

    public QuoteTimes[] Quotes { get; }

    public TimeSpan OneWay { get; private init; }

    /// <summary>First transmissions of DATA the link dropped, with when FORWARD-TSN first covered their TSN.</summary>
    public List<(uint Tsn, TimeSpan Sent, TimeSpan? Forwarded)> Lost { get; } = [];

    /// <summary>Sender state sampled every quote interval: (time, cwnd, flight bytes, queued quotes).</summary>
    public List<(TimeSpan At, int Cwnd, int Flight, int Queued)> Samples { get; } = [];

    /// <summary>When the sender's T3-rtx timer expired.</summary>
    public List<TimeSpan> T3Expiries { get; } = [];

    /// <summary>Quotes the channel refused because its send buffer was full.</summary>
    public int Refused { get; private set; }

    public long FastRetransmits { get; private set; }

    public long Abandoned { get; private set; }

    public long ForwardTsns { get; private set; }

    public long Retransmissions { get; private set; }

    public double DeliveredFraction => (double)Delivered.Count() / Quotes.Length;

    public IEnumerable<QuoteTimes> Delivered => Quotes.Where(q => q.Delivered is not null);

    /// <summary>
    /// How long a delivered quote waited beyond the link's own delay: time in the sender's queue
    /// (cwnd full, or behind other data) plus any wait at the receiver.
    /// </summary>
    public IEnumerable<TimeSpan> ExtraWaits => Delivered.Select(q => q.Delivered!.Value - q.Queued - OneWay);

    /// <summary>Optional: every packet either way with the sender's state (how the diagnosis in docs/benchmarks.md was read).</summary>
    public static Action<string>? Log { get; set; }

    public static QuoteStream Run(int seed, double loss, TimeSpan oneWay, int quotesPerSecond = 1000, int seconds = 20, int burst = 1, TimeSpan? maxQueueTime = null)
    {
        var link = new LossyLink(seed) { Delay = oneWay };
        var id = link.ConnectAndOpen("quotes", ordered: false, maxRetransmits: 0);
        var stream = new QuoteStream(quotesPerSecond * seconds) { OneWay = oneWay };
        var hub = link.Server;
        var association = hub.Association;
        var drops = new Random(seed * 7919);
        var received = 0;
        var t3Before = hub.Counters.RetransmissionTimeouts;

        link.Drop = (toServer, packet) =>
        {
            var dropped = loss > 0 && drops.NextDouble() < loss;
            Log?.Invoke($"{link.Now.TotalMilliseconds,9:F1} {(toServer ? "<-" : "->")} {(dropped ? "LOST " : string.Empty)}{Summarise(packet)} | cwnd {association.CongestionWindow} flight {association.FlightBytes} queued {association.QueuedChunks}");
            if (!toServer)
            {
                stream.OnHubPacket(packet, dropped, link.Now);
            }

            return dropped;
        };

        var interval = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / quotesPerSecond);
        var start = link.Now;
        for (var i = 0; i < stream.Quotes.Length; i++)
        {
            var message = new byte[QuoteBytes];
            BinaryPrimitives.WriteInt32BigEndian(message, i);
            stream.Quotes[i] = new QuoteTimes(i, link.Now);
            if (!hub.Send(id, message, binary: true, maxQueueTime, link.Now))
            {
                stream.Refused++; // the channel's buffer is full: the hub would send this one on the WebSocket
            }

            if ((i + 1) % burst != 0)
            {
                link.Flush(); // as PeerSession.TrySend: each quote is handed to the association and flushed
                continue;
            }

            link.RunUntil(() =>
            {
                foreach (var m in link.ClientMessages.Skip(received))
                {
                    var index = BinaryPrimitives.ReadInt32BigEndian(m.Payload);
                    stream.Quotes[index] = stream.Quotes[index] with { Delivered = link.Now };
                    received++;
                }

                if (hub.Counters.RetransmissionTimeouts != t3Before)
                {
                    t3Before = hub.Counters.RetransmissionTimeouts;
                    stream.T3Expiries.Add(link.Now);
                }

                return false;
            }, start + (interval * (i + 1)) - link.Now);
            stream.Samples.Add((link.Now, association.CongestionWindow, association.FlightBytes, association.QueuedChunks));
        }

        // Let the last quotes land without loss.
        link.Drop = null;
        link.RunUntil(() =>
        {
            foreach (var m in link.ClientMessages.Skip(received))
            {
                var index = BinaryPrimitives.ReadInt32BigEndian(m.Payload);
                stream.Quotes[index] = stream.Quotes[index] with { Delivered = link.Now };
                received++;
            }

            return hub.BufferedAmount(id) == 0 && link.Client.NextTimeout is null;
        }, TimeSpan.FromSeconds(30));

        stream.FastRetransmits = hub.Counters.FastRetransmits;
        stream.Abandoned = hub.Counters.ChunksAbandoned;
        stream.ForwardTsns = hub.Counters.ForwardTsnsSent;
        stream.Retransmissions = hub.Counters.Retransmissions;
        Assert.Equal(0, hub.Counters.InternalErrors + link.Client.Counters.InternalErrors);
        return stream;
    }

    private void OnHubPacket(byte[] packet, bool dropped, TimeSpan now)
    {
        foreach (var chunk in SctpPackets.Chunks(packet))
        {
            if (chunk.Type == ChunkType.Data && chunk.Value.Length >= DataChunk.HeaderLength + 4)
            {
                var tsn = BinaryPrimitives.ReadUInt32BigEndian(chunk.Value);
                var index = BinaryPrimitives.ReadInt32BigEndian(chunk.Value.AsSpan(DataChunk.HeaderLength));
                if (index < Quotes.Length && Quotes[index] is { FirstSent: null } quote)
                {
                    Quotes[index] = quote with { FirstSent = now };
                    if (dropped)
                    {
                        Lost.Add((tsn, now, null));
                    }
                }
            }
            else if (chunk.Type == ChunkType.ForwardTsn && !dropped)
            {
                var cumulative = BinaryPrimitives.ReadUInt32BigEndian(chunk.Value);
                for (var i = Lost.Count - 1; i >= 0 && Lost[i].Forwarded is null; i--)
                {
                    if (SerialNumber.Lte(Lost[i].Tsn, cumulative))
                    {
                        Lost[i] = Lost[i] with { Forwarded = now };
                    }
                }
            }
        }
    }

    private static string Summarise(byte[] packet) => string.Join(' ', SctpPackets.Chunks(packet).Select(c => c.Type switch
    {
        ChunkType.Data => $"D{BinaryPrimitives.ReadUInt32BigEndian(c.Value)}",
        ChunkType.ForwardTsn => $"FWD{BinaryPrimitives.ReadUInt32BigEndian(c.Value)}",
        ChunkType.Sack => DescribeSack(c.Value),
        _ => $"T{c.Type}",
    }));

    private static string DescribeSack(byte[] value)
    {
        if (!SackChunk.TryParse(value, out var sack))
        {
            return "SACK?";
        }

        var text = $"SACK{sack.CumulativeTsn}";
        for (var g = 0; g < sack.GapCount; g++)
        {
            text += $"+{sack.GapStart(g)}-{sack.GapEnd(g)}";
        }

        return text;
    }

    public static TimeSpan Percentile(IEnumerable<TimeSpan> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    /// <summary>A readable summary of the run, for the diagnosis.</summary>
    public string Describe()
    {
        static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:F0}";
        var waits = ExtraWaits.ToArray();
        var queueWaits = Quotes.Where(q => q.FirstSent is not null).Select(q => q.FirstSent!.Value - q.Queued).ToArray();
        var forwardDelays = Lost.Where(l => l.Forwarded is not null).Select(l => l.Forwarded!.Value - l.Sent).ToArray();
        var cwnds = Samples.Select(s => s.Cwnd).Order().ToArray();
        var queued = Samples.Select(s => s.Queued).Order().ToArray();
        return string.Join(Environment.NewLine,
            $"quotes {Quotes.Length}, delivered {Delivered.Count()} ({100.0 * Delivered.Count() / Quotes.Length:F1} %), refused (buffer full) {Refused}",
            $"extra wait (delivered - queued - one-way) p50 {Ms(Percentile(waits, 0.5))} p99 {Ms(Percentile(waits, 0.99))} p99.9 {Ms(Percentile(waits, 0.999))} max {Ms(waits.DefaultIfEmpty().Max())} ms",
            $"send-queue wait (first transmission - queued) p50 {Ms(Percentile(queueWaits, 0.5))} p99 {Ms(Percentile(queueWaits, 0.99))} p99.9 {Ms(Percentile(queueWaits, 0.999))} max {Ms(queueWaits.DefaultIfEmpty().Max())} ms; quotes waiting > 10 ms: {queueWaits.Count(w => w > TimeSpan.FromMilliseconds(10))}",
            $"lost DATA packets' first chunks {Lost.Count}; FORWARD-TSN after loss p50 {Ms(Percentile(forwardDelays, 0.5))} p99 {Ms(Percentile(forwardDelays, 0.99))} max {Ms(forwardDelays.DefaultIfEmpty().Max())} ms; never forwarded in the run {Lost.Count(l => l.Forwarded is null)}",
            $"T3 expiries {T3Expiries.Count}, fast retransmits {FastRetransmits}, chunks abandoned {Abandoned}, FORWARD-TSNs {ForwardTsns}, retransmissions {Retransmissions}",
            $"cwnd p1 {cwnds[cwnds.Length / 100]} p50 {cwnds[cwnds.Length / 2]} max {cwnds[^1]} B; quotes queued p50 {queued[queued.Length / 2]} p99 {queued[queued.Length * 99 / 100]} max {queued[^1]}");
    }

    internal readonly record struct QuoteTimes(int Index, TimeSpan Queued, TimeSpan? FirstSent = null, TimeSpan? Delivered = null);
}
