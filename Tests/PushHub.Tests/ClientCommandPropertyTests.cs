using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ticker.PushHub.Push;

namespace Ticker.PushHub.Tests;

/// <summary>
/// Properties of the WebSocket command parser (docs/protocol.md): a generated valid command parses
/// to what was generated; any other text or bytes gives an <c>Invalid</c> naming the problem, never
/// an exception, which would end the connection without an answer.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ClientCommandPropertyTests
{
    private const int MaxSymbols = 50;

    private static readonly string[] Codes = ["bad-json", "invalid-argument", "unknown-op", "invalid-symbol", "too-many-symbols"];

    [Property(MaxTest = 300)]
    public Property ValidCommand_ParsesToWhatWasGenerated() =>
        Prop.ForAll(ValidCommand().ToArbitrary(), sample =>
        {
            var command = ClientCommand.Parse(Encoding.UTF8.GetBytes(sample.Json), MaxSymbols);

            Assert.Equal(sample.Expected, Describe(command));
        });

    [Property(MaxTest = 300)]
    public Property AnyText_GivesACommandOrAPreciseError() =>
        Prop.ForAll(HostileText().ToArbitrary(), text => AssertAnswered(Encoding.UTF8.GetBytes(text)));

    [Property(MaxTest = 300)]
    public Property AnyBytes_GiveACommandOrAPreciseError() =>
        Prop.ForAll(Gen.OneOf(Bytes(0, 100), BrokenValidCommand()).ToArbitrary(), AssertAnswered);

    /// <summary>
    /// Escaped lone surrogates are valid JSON but no .NET string, and a byte source may carry invalid
    /// UTF-8 inside a string: System.Text.Json throws when such text is read (found by the properties above).
    /// </summary>
    [Theory]
    [InlineData("""{"op":"\ud800"}""")]
    [InlineData("""{"op":"ping","id":"\udc00"}""")]
    [InlineData("""{"\ud83d":{},"op":"ping"}""")]
    [InlineData("""{"op":"subscribe","symbols":["\ud800"]}""")]
    [InlineData("""{"op":"subscribe","symbols":["AAPL"],"resume":{"\ud800":1}}""")]
    [InlineData("""{"op":"rtc-offer","sdp":"v=0\ud800"}""")]
    [InlineData("""{"op":"auth","token":"\udfff"}""")]
    public void LoneSurrogateEscape_IsBadJson(string json)
    {
        var command = ClientCommand.Parse(Encoding.UTF8.GetBytes(json), MaxSymbols);

        var invalid = Assert.IsType<ClientCommand.Invalid>(command);
        Assert.Equal("bad-json", invalid.Code);
        Assert.Contains("UTF-16", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8InAString_IsBadJson()
    {
        byte[] json = [.. """{"op":"auth","token":"a"""u8, 0xF1, .. "\"}"u8];

        var invalid = Assert.IsType<ClientCommand.Invalid>(ClientCommand.Parse(json, MaxSymbols));
        Assert.Equal("bad-json", invalid.Code);
    }

    /// <summary>.NET's <c>$</c> matches before a final newline; the table's constraint does not accept "AAPL\n".</summary>
    [Fact]
    public void SymbolWithTrailingNewline_IsInvalid()
    {
        var command = ClientCommand.Parse("""{"op":"subscribe","symbols":["AAPL\n"]}"""u8.ToArray(), MaxSymbols);

        Assert.Equal("invalid-symbol", Assert.IsType<ClientCommand.Invalid>(command).Code);
    }

    private static void AssertAnswered(byte[] utf8)
    {
        var command = ClientCommand.Parse(utf8, MaxSymbols);

        if (command is ClientCommand.Invalid invalid)
        {
            Assert.Contains(invalid.Code, Codes);
            Assert.False(string.IsNullOrWhiteSpace(invalid.Message));

            // The answer must also go out: the session writes it as JSON, echoing the id.
            Assert.NotEmpty(QuoteJson.Error(invalid.Code, invalid.Message, invalid.Id));
        }
    }

    /// <summary>A parsed command as text, so that generated and parsed commands compare by value.</summary>
    private static string Describe(ClientCommand command) => command switch
    {
        ClientCommand.Subscribe s => $"subscribe {Id(s.Id)} [{string.Join(",", s.Symbols)}] {Rate(s.MaxRate)} "
            + $"{{{string.Join(",", s.Resume.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}}}",
        ClientCommand.Unsubscribe u => $"unsubscribe {Id(u.Id)} [{string.Join(",", u.Symbols)}]",
        ClientCommand.Ping p => $"ping {Id(p.Id)}",
        ClientCommand.RtcOffer o => $"rtc-offer {Id(o.Id)} {o.Sdp}",
        ClientCommand.Authenticate a => $"{(a.Refresh ? "refresh" : "auth")} {Id(a.Id)} {a.Token}",
        ClientCommand.Invalid i => $"invalid {i.Code}: {i.Message}",
        _ => throw new InvalidOperationException(command.GetType().Name),
    };

    private static string Id(JsonElement? id) => id switch
    {
        null => "-",
        { ValueKind: JsonValueKind.Number } n => "n:" + n.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        { } s => "s:" + s.GetString(),
    };

    private static string Rate(double? rate) => rate?.ToString("R", CultureInfo.InvariantCulture) ?? "-";

    private static Gen<(string Json, string Expected)> ValidCommand() =>
        from id in Gen.OneOf(
            Gen.Constant<object?>(null),
            Gen.Choose(int.MinValue, int.MaxValue).Select(i => (object?)(double)i),
            Text(0, 64).Select(s => (object?)s))
        from symbols in ArrayOf(Gen.Frequency((20, Symbol()), (1, Gen.Constant("*"))), 1, MaxSymbols)
        from maxRate in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(100, 1_000_000).Select(i => (double?)(i / 1000.0)))
        from resume in ArrayOf(Gen.Zip(Symbol(), Gen.Choose(0, int.MaxValue).Select(i => (long)i * 1000)), 0, 5)
        from text in Text(0, 300)
        from op in Gen.Elements("subscribe", "unsubscribe", "ping", "rtc-offer", "auth", "refresh")
        from relaxed in Gen.Elements(false, true)
        from order in Gen.Choose(0, 1000)
        select Write(op, id, symbols, maxRate, resume.DistinctBy(r => r.Item1).ToArray(), text, relaxed, order);

    private static (string Json, string Expected) Write(
        string op, object? id, string[] symbols, double? maxRate, (string Symbol, long Seq)[] resume, string text, bool relaxed, int order)
    {
        var fields = new List<Action<Utf8JsonWriter>> { w => w.WriteString("op", op) };
        if (id is double number)
        {
            fields.Add(w => w.WriteNumber("id", number));
        }
        else if (id is string s)
        {
            fields.Add(w => w.WriteString("id", s));
        }

        var expectedId = id switch
        {
            double n => "n:" + n.ToString("R", CultureInfo.InvariantCulture),
            string s => "s:" + s,
            _ => "-",
        };
        string expected;
        switch (op)
        {
            case "subscribe" or "unsubscribe":
                fields.Add(w =>
                {
                    w.WriteStartArray("symbols");
                    foreach (var symbol in symbols)
                    {
                        w.WriteStringValue(symbol);
                    }

                    w.WriteEndArray();
                });
                var distinct = string.Join(",", symbols.Distinct(StringComparer.Ordinal));
                if (op == "unsubscribe")
                {
                    expected = $"unsubscribe {expectedId} [{distinct}]";
                    break;
                }

                if (maxRate is { } rate)
                {
                    fields.Add(w => w.WriteNumber("maxRate", rate));
                }

                if (resume.Length > 0 || order % 2 == 0)
                {
                    fields.Add(w =>
                    {
                        w.WriteStartObject("resume");
                        foreach (var (symbol, seq) in resume)
                        {
                            w.WriteNumber(symbol, seq);
                        }

                        w.WriteEndObject();
                    });
                }

                var positions = string.Join(",", resume.OrderBy(r => r.Symbol, StringComparer.Ordinal).Select(r => $"{r.Symbol}={r.Seq}"));
                expected = $"subscribe {expectedId} [{distinct}] {Rate(maxRate)} {{{positions}}}";
                break;
            case "rtc-offer":
                fields.Add(w => w.WriteString("sdp", text));
                expected = $"rtc-offer {expectedId} {text}";
                break;
            case "auth" or "refresh":
                fields.Add(w => w.WriteString("token", text));
                expected = $"{op} {expectedId} {text}";
                break;
            default:
                expected = $"ping {expectedId}";
                break;
        }

        // Fields a client may add and the parser ignores.
        fields.Add(w => w.WriteString("note", text));

        // Members in any order: rotate the list.
        var rotation = order % fields.Count;
        var ordered = fields.Skip(rotation).Concat(fields.Take(rotation));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = relaxed ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default }))
        {
            writer.WriteStartObject();
            foreach (var field in ordered)
            {
                field(writer);
            }

            writer.WriteEndObject();
        }

        return (Encoding.UTF8.GetString(stream.ToArray()), expected);
    }

    /// <summary>Hand-written JSON text, valid and not, with values of every kind in every field the parser reads.</summary>
    private static Gen<string> HostileText()
    {
        var scalar = Gen.Elements(
            "null", "true", "false", "0", "-1", "1e400", "-0.0", "0.05", "1000.5", "12345678901234567890", "3.5", "\"\"",
            "\"AAPL\"", "\"*\"", "\"aapl\"", "\"AAPL\\n\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"v=0\\r\\n\"",
            "\"" + new string('A', 70) + "\"", "\"" + new string('A', 39) + "😀\"", "{}", "[]", "[1,2]", "{\"AAPL\":-1}", "{\"AAPL\":1.5}", "{\"\\ud800\":1}", "[\"AAPL\",1]");
        var value = Gen.OneOf(
            scalar,
            ArrayOf(scalar, 0, 4).Select(items => "[" + string.Join(",", items) + "]"),
            ArrayOf(Gen.Zip(Gen.Elements("\"AAPL\"", "\"MSFT\"", "\"x\"", "\"\\ud83d\""), scalar), 0, 3)
                .Select(members => "{" + string.Join(",", members.Select(m => m.Item1 + ":" + m.Item2)) + "}"));
        var op = Gen.Elements("\"" + new string('x', 39) + "😀\"", "\"subscribe\"", "\"unsubscribe\"", "\"ping\"", "\"rtc-offer\"", "\"auth\"", "\"refresh\"", "\"pong\"", "\"\\ud800\"", "1", "null");
        var member = Gen.Zip(Gen.Elements("id", "symbols", "maxRate", "resume", "sdp", "token", "op", "\\ud800"), value)
            .Select(m => $"\"{m.Item1}\":{m.Item2}");
        var document =
            from opValue in op
            from members in ArrayOf(member, 0, 6)
            select "{\"op\":" + opValue + string.Concat(members.Select(m => "," + m)) + "}";
        return Gen.OneOf(
            document,
            value,
            from text in document
            from cut in Gen.Choose(0, 1000)
            select text[..(cut % (text.Length + 1))],
            Text(0, 40));
    }

    /// <summary>Valid commands with one byte replaced or the end cut off.</summary>
    private static Gen<byte[]> BrokenValidCommand() =>
        from sample in ValidCommand()
        from at in Gen.Choose(0, 10_000)
        from value in Gen.Choose(0, 255)
        from cut in Gen.Choose(0, 10_000)
        select Break(Encoding.UTF8.GetBytes(sample.Json), at, (byte)value, cut);

    private static byte[] Break(byte[] bytes, int at, byte value, int cut)
    {
        bytes[at % bytes.Length] = value;
        return cut % 3 == 0 ? bytes[..(cut % (bytes.Length + 1))] : bytes;
    }

    private static Gen<string> Symbol() =>
        from first in Gen.Elements("ABCXYZ0189^".ToCharArray())
        from rest in ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:/^=_-".ToCharArray()), 0, 31)
        select first + new string(rest);

    /// <summary>Well-formed text: ASCII with the characters JSON must escape, accents, CJK and an emoji (a surrogate pair).</summary>
    private static Gen<string> Text(int min, int max) =>
        ArrayOf(Gen.Elements("a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "<", "&", "é", "€", "中", "😀"), min, max)
            .Select(parts => new string(string.Concat(parts).Take(max).ToArray()))
            .Where(s => !char.IsHighSurrogate(s.LastOrDefault()));

    private static Gen<byte[]> Bytes(int min, int max) => ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), min, max);

    private static Gen<T[]> ArrayOf<T>(Gen<T> element, int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(element, n));
}
