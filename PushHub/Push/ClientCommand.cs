using System.Globalization;
using System.Text.Json;
using Ticker.Database.Ticks;

namespace Ticker.PushHub.Push;

/// <summary>A parsed client message (docs/protocol.md), or the error that answers it.</summary>
internal abstract record ClientCommand(JsonElement? Id)
{
    public sealed record Subscribe(JsonElement? Id, IReadOnlyList<string> Symbols, double? MaxRate, IReadOnlyDictionary<string, long> Resume)
        : ClientCommand(Id)
    {
        /// <summary>The epoch the <see cref="Resume"/> positions belong to; null from a client that predates epochs.</summary>
        public string? Epoch { get; init; }
    }

    public sealed record Unsubscribe(JsonElement? Id, IReadOnlyList<string> Symbols) : ClientCommand(Id);

    public sealed record Ping(JsonElement? Id) : ClientCommand(Id);

    public sealed record RtcOffer(JsonElement? Id, string Sdp) : ClientCommand(Id);

    /// <summary><c>auth</c> (the first message in jwt mode) or <c>refresh</c> (a new token before the old one expires).</summary>
    public sealed record Authenticate(JsonElement? Id, string Token, bool Refresh) : ClientCommand(Id);

    public sealed record Invalid(JsonElement? Id, string Code, string Message) : ClientCommand(Id);

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>Parses one text frame. Never throws: anything wrong becomes <see cref="Invalid"/> naming the problem.</summary>
    public static ClientCommand Parse(ReadOnlyMemory<byte> utf8, int maxSymbols)
    {
        try
        {
            return ParseDocument(utf8, maxSymbols);
        }
        catch (InvalidOperationException e)
        {
            // JsonDocument accepts an escaped lone surrogate ("\ud800") anywhere, and invalid UTF-8 inside a
            // string; reading such a string or property name as .NET text throws. That is an answer, not a crash.
            return new Invalid(null, "bad-json", $"not valid JSON text: {e.Message}");
        }
    }

    private static ClientCommand ParseDocument(ReadOnlyMemory<byte> utf8, int maxSymbols)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            return new Invalid(null, "bad-json", $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Invalid(null, "bad-json", "a message must be a JSON object");
            }

            JsonElement? id = root.TryGetProperty("id", out var idElement) ? idElement.Clone() : null;
            if (id is { } i && !(i.ValueKind == JsonValueKind.Number || (i.ValueKind == JsonValueKind.String && i.GetString()!.Length <= 64)))
            {
                return new Invalid(null, "invalid-argument", "id must be a number or a string of at most 64 characters");
            }

            if (!root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                return new Invalid(id, "unknown-op", "a message needs \"op\": subscribe, unsubscribe, ping or rtc-offer");
            }

            return op.GetString() switch
            {
                "subscribe" => ParseSubscribe(root, id, maxSymbols),
                "unsubscribe" => ParseSymbols(root, id, maxSymbols, out var symbols) is { } error ? error : new Unsubscribe(id, symbols),
                "ping" => new Ping(id),
                "rtc-offer" => root.TryGetProperty("sdp", out var sdp) && sdp.ValueKind == JsonValueKind.String
                    ? new RtcOffer(id, sdp.GetString()!)
                    : new Invalid(id, "invalid-argument", "rtc-offer needs \"sdp\" as a string"),
                "auth" or "refresh" => root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                    ? new Authenticate(id, token.GetString()!, op.ValueEquals("refresh"))
                    : new Invalid(id, "invalid-argument", $"{op.GetString()} needs \"token\" as a string"),
                var other => new Invalid(id, "unknown-op", $"unknown op \"{Shorten(other)}\"; expected subscribe, unsubscribe, ping or rtc-offer"),
            };
        }
    }

    private static ClientCommand ParseSubscribe(JsonElement root, JsonElement? id, int maxSymbols)
    {
        if (ParseSymbols(root, id, maxSymbols, out var symbols) is { } error)
        {
            return error;
        }

        double? maxRate = null;
        if (root.TryGetProperty("maxRate", out var rate))
        {
            if (rate.ValueKind != JsonValueKind.Number || !rate.TryGetDouble(out var r) || r is < 0.1 or > 1000)
            {
                return new Invalid(id, "invalid-argument", "maxRate must be a number of updates per second between 0.1 and 1000");
            }

            maxRate = r;
        }

        var resume = new Dictionary<string, long>(StringComparer.Ordinal);
        if (root.TryGetProperty("resume", out var positions))
        {
            if (positions.ValueKind != JsonValueKind.Object)
            {
                return new Invalid(id, "invalid-argument", "resume must be an object of symbol: last seq");
            }

            foreach (var position in positions.EnumerateObject())
            {
                if (Symbols.Explain(position.Name) is { } why)
                {
                    return new Invalid(id, "invalid-symbol", $"resume: {Shorten(position.Name)}: {why}");
                }

                if (position.Value.ValueKind != JsonValueKind.Number || !position.Value.TryGetInt64(out var seq) || seq < 0)
                {
                    return new Invalid(id, "invalid-argument", $"resume: {position.Name} must be a non-negative whole seq");
                }

                resume[position.Name] = seq;
            }
        }

        string? epoch = null;
        if (root.TryGetProperty("epoch", out var epochElement))
        {
            if (epochElement.ValueKind != JsonValueKind.String || epochElement.GetString() is not { Length: > 0 and <= ResumeEpoch.MaxLength } named)
            {
                return new Invalid(id, "invalid-argument", $"epoch must be a string of 1 to {ResumeEpoch.MaxLength} characters, as a snapshot or reset gave it");
            }

            epoch = named;
        }

        return new Subscribe(id, symbols, maxRate, resume) { Epoch = epoch };
    }

    private static Invalid? ParseSymbols(JsonElement root, JsonElement? id, int maxSymbols, out List<string> symbols)
    {
        symbols = [];
        if (!root.TryGetProperty("symbols", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            return new Invalid(id, "invalid-argument", "symbols must be a non-empty array of strings");
        }

        if (array.GetArrayLength() > maxSymbols)
        {
            return new Invalid(id, "too-many-symbols", string.Create(CultureInfo.InvariantCulture, $"at most {maxSymbols} symbols per connection"));
        }

        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                return new Invalid(id, "invalid-symbol", "every symbol must be a string");
            }

            var symbol = element.GetString()!;
            if (symbol != "*" && Symbols.Explain(symbol) is { } why)
            {
                return new Invalid(id, "invalid-symbol", $"{Shorten(symbol)}: {why}");
            }

            symbols.Add(symbol);
        }

        symbols = symbols.Distinct(StringComparer.Ordinal).ToList();
        return null;
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}
