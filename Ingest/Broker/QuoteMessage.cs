using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Ticker.Ingest.Pipeline;

namespace Ticker.Ingest.Broker;

/// <summary>
/// One quote update as a JetStream message: the whole quote, the fields the tick changed, its commit
/// time and how many ticks it stands for, as compact JSON; the epoch travels in a header. Written with
/// Utf8JsonWriter by hand: the format is the contract between publishers and edges of any version.
/// </summary>
public static class QuoteMessage
{
    /// <summary>The header naming the epoch the message's seq belongs to.</summary>
    public const string EpochHeader = "Ticker-Epoch";

    /// <summary>
    /// The message id (Nats-Msg-Id): the same update published twice (by a leader and the one that took
    /// over from it) has the same id, so JetStream stores it once.
    /// </summary>
    public static string IdOf(string epoch, QuoteUpdate update) =>
        string.Create(CultureInfo.InvariantCulture, $"{epoch}:{QuoteSubjects.Encode(update.Symbol)}:{update.Seq}");

    public static byte[] Encode(QuoteUpdate update)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var q = update.Quote;
            json.WriteStartObject();
            json.WriteString("symbol", q.Symbol);
            json.WriteNumber("seq", q.Seq);
            json.WriteNumber("last", q.Last);
            WriteNullable(json, "bid", q.Bid);
            WriteNullable(json, "ask", q.Ask);
            json.WriteNumber("size", q.Size);
            json.WriteNumber("open", q.Open);
            json.WriteNumber("high", q.High);
            json.WriteNumber("low", q.Low);
            json.WriteNumber("volume", q.Volume);
            json.WriteString("ts", q.Ts);
            json.WriteString("sessionStart", q.SessionStart);
            json.WriteNumber("changed", (int)update.Changed);
            json.WriteString("commitTime", update.CommitTime);
            json.WriteNumber("merged", update.Merged);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The update a message carries; throws <see cref="JsonException"/> or <see cref="KeyNotFoundException"/> on anything else.</summary>
    public static QuoteUpdate Decode(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var quote = new Quote(
            root.GetProperty("symbol").GetString() ?? throw new JsonException("symbol is null"),
            root.GetProperty("seq").GetInt64(),
            root.GetProperty("last").GetDecimal(),
            ReadNullable(root, "bid"),
            ReadNullable(root, "ask"),
            root.GetProperty("size").GetInt64(),
            root.GetProperty("open").GetDecimal(),
            root.GetProperty("high").GetDecimal(),
            root.GetProperty("low").GetDecimal(),
            root.GetProperty("volume").GetInt64(),
            root.GetProperty("ts").GetDateTimeOffset(),
            root.GetProperty("sessionStart").GetDateTimeOffset());
        return new QuoteUpdate(quote, (QuoteFields)root.GetProperty("changed").GetInt32(), root.GetProperty("commitTime").GetDateTimeOffset())
        {
            Merged = root.GetProperty("merged").GetInt32(),
        };
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static decimal? ReadNullable(JsonElement root, string name) =>
        root.GetProperty(name) is { ValueKind: not JsonValueKind.Null } value ? value.GetDecimal() : null;
}
