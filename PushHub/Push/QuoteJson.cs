using System.Buffers;
using System.Text.Json;
using Ticker.Ingest.Pipeline;

namespace Ticker.PushHub.Push;

/// <summary>The server's JSON messages (docs/protocol.md), written straight to UTF-8 bytes.</summary>
internal static class QuoteJson
{
    public static byte[] Snapshot(Quote quote, string? epoch = null) => Write(w =>
    {
        w.WriteString("type", "snapshot");
        WriteQuote(w, quote, QuoteFields.All);
        WriteEpoch(w, epoch);
    });

    /// <summary>What a data channel carries: the symbol's whole current quote, so a lost message is superseded by the next.</summary>
    public static byte[] FullQuote(Quote quote) => Write(w =>
    {
        w.WriteString("type", "quote");
        WriteQuote(w, quote, QuoteFields.All);
    });

    public static byte[] RtcAnswer(string sdp, JsonElement? id) => Write(w =>
    {
        w.WriteString("type", "rtc-answer");
        w.WriteString("sdp", sdp);
        WriteId(w, id);
    });

    /// <summary><c>rtc-open</c> (with the channel's label) or <c>rtc-closed</c> (with the reason).</summary>
    public static byte[] RtcState(string type, string? label, string? reason) => Write(w =>
    {
        w.WriteString("type", type);
        if (label is not null)
        {
            w.WriteString("label", label);
        }

        if (reason is not null)
        {
            w.WriteString("reason", reason);
        }
    });

    /// <summary>A delta with the <paramref name="changed"/> fields; <c>merged</c> only when more than one update went into it.</summary>
    public static byte[] Delta(Quote quote, QuoteFields changed, int merged) => Write(w =>
    {
        w.WriteString("type", "delta");
        WriteQuote(w, quote, changed);
        if (merged > 1)
        {
            w.WriteNumber("merged", merged);
        }
    });

    public static byte[] Reset(Quote quote, string reason, string? epoch = null) => Write(w =>
    {
        w.WriteString("type", "reset");
        w.WriteString("symbol", quote.Symbol);
        w.WriteNumber("seq", quote.Seq);
        WriteEpoch(w, epoch);
        w.WriteString("reason", reason);
    });

    /// <summary><c>subscribed</c> also names the epoch the positions that follow belong to.</summary>
    public static byte[] Acknowledge(string type, IEnumerable<string> symbols, JsonElement? id, string? epoch = null) => Write(w =>
    {
        w.WriteString("type", type);
        w.WriteStartArray("symbols");
        foreach (var symbol in symbols)
        {
            w.WriteStringValue(symbol);
        }

        w.WriteEndArray();
        WriteEpoch(w, epoch);
        WriteId(w, id);
    });

    public static byte[] Error(string code, string message, JsonElement? id) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        WriteId(w, id);
    });

    public static byte[] Pong(JsonElement? id, DateTimeOffset now) => Write(w =>
    {
        w.WriteString("type", "pong");
        WriteId(w, id);
        w.WriteString("ts", now.UtcDateTime);
    });

    public static byte[] Heartbeat(DateTimeOffset now) => Write(w =>
    {
        w.WriteString("type", "heartbeat");
        w.WriteString("ts", now.UtcDateTime);
    });

    private static void WriteQuote(Utf8JsonWriter w, Quote q, QuoteFields fields)
    {
        w.WriteString("symbol", q.Symbol);
        w.WriteNumber("seq", q.Seq);
        if (fields.HasFlag(QuoteFields.Last))
        {
            w.WriteNumber("price", q.Last);
        }

        if (fields.HasFlag(QuoteFields.Bid))
        {
            WriteOptional(w, "bid", q.Bid);
        }

        if (fields.HasFlag(QuoteFields.Ask))
        {
            WriteOptional(w, "ask", q.Ask);
        }

        if (fields.HasFlag(QuoteFields.Size))
        {
            w.WriteNumber("size", q.Size);
        }

        if (fields.HasFlag(QuoteFields.Open))
        {
            w.WriteNumber("open", q.Open);
        }

        if (fields.HasFlag(QuoteFields.High))
        {
            w.WriteNumber("high", q.High);
        }

        if (fields.HasFlag(QuoteFields.Low))
        {
            w.WriteNumber("low", q.Low);
        }

        if (fields.HasFlag(QuoteFields.Volume))
        {
            w.WriteNumber("volume", q.Volume);
        }

        if ((fields & (QuoteFields.Last | QuoteFields.Open)) != 0)
        {
            w.WriteNumber("change", q.Change);
            w.WriteNumber("changePercent", q.ChangePercent);
        }

        if (fields.HasFlag(QuoteFields.Ts))
        {
            w.WriteString("ts", q.Ts.UtcDateTime);
        }
    }

    private static void WriteEpoch(Utf8JsonWriter w, string? epoch)
    {
        if (!string.IsNullOrEmpty(epoch))
        {
            w.WriteString("epoch", epoch);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Echoes a client's request id, when it gave one (every reply to a command does).</summary>
    internal static void WriteId(Utf8JsonWriter w, JsonElement? id)
    {
        if (id is { } element)
        {
            w.WritePropertyName("id");
            element.WriteTo(w);
        }
    }

    /// <summary>One JSON object written by <paramref name="body"/>, encoded once.</summary>
    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
