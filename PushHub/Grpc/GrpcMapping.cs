using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Ticker.Database.Ticks;
using Ticker.Ingest.Pipeline;
using Ticker.PushHub.Grpc.V1;
using Ticker.PushHub.Push;
using Tick = Ticker.PushHub.Grpc.V1.Tick;

namespace Ticker.PushHub.Grpc;

/// <summary>Between the pipeline's and store's types and the protobuf messages of ticker.proto.</summary>
internal static class GrpcMapping
{
    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static QuoteMessage ToMessage(Outgoing message) => message switch
    {
        Outgoing.Snapshot snapshot => WithEpoch(Quote(snapshot.Quote, QuoteFields.All, QuoteMessage.Types.Kind.Snapshot, 1), snapshot.Epoch),
        Outgoing.Delta delta => Quote(delta.Latest.Update.Quote, delta.Changed, QuoteMessage.Types.Kind.Delta, delta.Merged),
        Outgoing.Reset reset => new QuoteMessage
        {
            Kind = QuoteMessage.Types.Kind.Reset, Symbol = reset.Quote.Symbol, Seq = reset.Quote.Seq, Reason = reset.Reason, Epoch = reset.Epoch,
        },
        _ => throw new InvalidOperationException($"no protobuf form for {message}"),
    };

    private static QuoteMessage WithEpoch(QuoteMessage message, string epoch)
    {
        message.Epoch = epoch;
        return message;
    }

    public static QuoteMessage Heartbeat(DateTimeOffset now) =>
        new() { Kind = QuoteMessage.Types.Kind.Heartbeat, Ts = Timestamp.FromDateTimeOffset(now) };

    public static QuoteMessage Quote(Quote q, QuoteFields fields, QuoteMessage.Types.Kind kind, int merged)
    {
        var m = new QuoteMessage { Kind = kind, Symbol = q.Symbol, Seq = q.Seq, Merged = merged };
        if (fields.HasFlag(QuoteFields.Last))
        {
            m.Price = Text(q.Last);
        }

        if (fields.HasFlag(QuoteFields.Bid) && q.Bid is { } bid)
        {
            m.Bid = Text(bid);
        }

        if (fields.HasFlag(QuoteFields.Ask) && q.Ask is { } ask)
        {
            m.Ask = Text(ask);
        }

        if (fields.HasFlag(QuoteFields.Size))
        {
            m.Size = q.Size;
        }

        if (fields.HasFlag(QuoteFields.Open))
        {
            m.Open = Text(q.Open);
        }

        if (fields.HasFlag(QuoteFields.High))
        {
            m.High = Text(q.High);
        }

        if (fields.HasFlag(QuoteFields.Low))
        {
            m.Low = Text(q.Low);
        }

        if (fields.HasFlag(QuoteFields.Volume))
        {
            m.Volume = q.Volume;
        }

        if ((fields & (QuoteFields.Last | QuoteFields.Open)) != 0)
        {
            m.Change = Text(q.Change);
            m.ChangePercent = Text(q.ChangePercent);
        }

        if (fields.HasFlag(QuoteFields.Ts))
        {
            m.Ts = Timestamp.FromDateTimeOffset(q.Ts);
        }

        return m;
    }

    public static Tick ToMessage(StoredTick t)
    {
        var m = new Tick { Id = t.Id, Symbol = t.Symbol, Ts = Timestamp.FromDateTimeOffset(t.Ts), Price = Text(t.Price), Size = t.Size };
        if (t.Bid is { } bid)
        {
            m.Bid = Text(bid);
        }

        if (t.Ask is { } ask)
        {
            m.Ask = Text(ask);
        }

        return m;
    }

    public static V1.Bar ToMessage(Database.Ticks.Bar b) => new()
    {
        Start = Timestamp.FromDateTimeOffset(b.Start), Open = Text(b.Open), High = Text(b.High), Low = Text(b.Low), Close = Text(b.Close),
        Volume = b.Volume, Trades = b.Trades,
    };
}
