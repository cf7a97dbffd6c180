using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ticker.Database.Ticks;
using Ticker.Ingest.Feeds.Csv;

namespace Ticker.Ingest.Tests;

/// <summary>
/// Properties of the CSV import's rows (no database): a generated valid row reads back as the tick
/// it was written from, and in a whole file every bad row gets a precise reason with its line number.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class CsvRowPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Bad rows and a phrase their reason must contain.</summary>
    private static readonly (string Row, string Reason)[] BadRows =
    [
        ("AAPL,2026-03-02T14:30:00Z,189.12", "expected 4 or 6 fields"),
        ("AAPL,2026-03-02T14:30:00Z,1,1,1", "expected 4 or 6 fields"),
        ("aapl,2026-03-02T14:30:00Z,1,1", "upper-case"),
        (",2026-03-02T14:30:00Z,1,1", "symbol is empty"),
        ("AAPL,yesterday,1,1", "is not an ISO 8601 timestamp"),
        ("AAPL,02/03/2026,1,1", "is not an ISO 8601 timestamp"),
        ("AAPL,2030-01-01T00:00:00Z,1,1", "ahead of the clock"),
        ("AAPL,1899-12-31T23:59:59Z,1,1", "before 1900"),
        ("AAPL,2026-03-02T14:30:00Z,0,1", "price must be positive"),
        ("AAPL,2026-03-02T14:30:00Z,-1.5,1", "price must be positive"),
        ("AAPL,2026-03-02T14:30:00Z,1.123456789,1", "more than 8 decimal places"),
        ("AAPL,2026-03-02T14:30:00Z,1000000000000,1", "more than 12 digits"),
        ("AAPL,2026-03-02T14:30:00Z,1e3,1", "price \"1e3\" is not a decimal number"),
        ("AAPL,2026-03-02T14:30:00Z,1,-1", "size must not be negative"),
        ("AAPL,2026-03-02T14:30:00Z,1,1.5", "is not a whole number"),
        ("AAPL,2026-03-02T14:30:00Z,1,1,x,", "bid \"x\" is not a decimal number"),
        ("AAPL,2026-03-02T14:30:00Z,1,1,,0", "ask must be positive"),
        ("\"AAPL,2026-03-02T14:30:00Z,1,1", "a quoted field is not closed"),
        (string.Join(",", Enumerable.Repeat("1", 20)), "more than 16 fields"),
        ("AAPL,2026-03-02T14:30:00Z,1," + new string('9', 5000), "line is longer than 4096 bytes"),
    ];

    [Property(MaxTest = 300)]
    public Property ValidRow_ReadsBackAsItsTick() =>
        Prop.ForAll(ValidRow().ToArbitrary(), row =>
        {
            var fields = CsvFields.Split(row.Text, out var splitError);

            Assert.Null(splitError);
            Assert.True(CsvTickParser.TryParse(fields!, Now, out var tick, out var error), error);
            Assert.Equal(row.Tick, tick);
        });

    [Property(MaxTest = 300)]
    public Property Fields_QuotedAsRfc4180_SplitBackToThemselves() =>
        Prop.ForAll(FieldsGenerator().ToArbitrary(), fields =>
        {
            var line = string.Join(",", fields.Select(f => f.Quote ? "\"" + f.Text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f.Text));

            var split = CsvFields.Split(line, out var error);

            Assert.Null(error);
            Assert.Equal(fields.Select(f => f.Text), split);
        });

    [Property(MaxTest = 100)]
    public Property File_EveryRowAnsweredOnItsLine() =>
        Prop.ForAll(FileGenerator().ToArbitrary(), file =>
        {
            var rows = Read(file.Bytes, file.ChunkSize);

            Assert.Equal(file.Expected.Select(e => e.Line), rows.Select(r => r.Line));
            foreach (var (expected, row) in file.Expected.Zip(rows))
            {
                switch (expected.Outcome)
                {
                    case Tick tick:
                        Assert.Null(row.Error);
                        Assert.Equal(tick, row.Tick);
                        break;
                    case string reason:
                        Assert.NotNull(row.Error);
                        Assert.Contains(reason, row.Error, StringComparison.Ordinal);
                        break;
                    default:
                        // Noise: either a tick or a reason, never neither.
                        Assert.True(row.Error is not null || Symbols.IsValid(row.Tick.Symbol));
                        break;
                }
            }
        });

    private static List<CsvRow> Read(byte[] bytes, int chunkSize)
    {
        var rows = new List<CsvRow>();
        using var stream = new ChunkedStream(bytes, chunkSize);
        var reader = CsvTickRows.ReadAsync(stream, new FixedClock(Now)).GetAsyncEnumerator();
        try
        {
            // The reader completes synchronously over a memory stream; waiting here keeps the property synchronous.
            while (reader.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                rows.Add(reader.Current);
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return rows;
    }

    private static Gen<(Tick Tick, string Text)> ValidRow() =>
        from symbol in Symbol()
        from ts in Timestamp()
        from price in Decimal(positive: true)
        from size in Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue)).Select(p => ((long)p.Item1 << 32) | (uint)p.Item2)
        from quotes in Gen.Elements(0, 1, 2)
        from bid in Gen.OneOf(Gen.Constant<(decimal?, string)>((null, "")), Decimal(positive: true).Select(d => ((decimal?)d.Value, d.Text)))
        from ask in Gen.OneOf(Gen.Constant<(decimal?, string)>((null, "")), Decimal(positive: true).Select(d => ((decimal?)d.Value, d.Text)))
        from styles in Gen.ArrayOf(Gen.Elements(0, 1, 2), 6)
        select (
            new Tick(symbol, ts.Value, price.Value, size, quotes == 2 ? bid.Item1 : null, quotes == 2 ? ask.Item1 : null),
            string.Join(",", new[] { symbol, ts.Text, price.Text, size.ToString(CultureInfo.InvariantCulture), bid.Item2, ask.Item2 }
                .Take(quotes == 2 ? 6 : 4)
                .Select((field, i) => Style(field, styles[i]))
                .Concat(quotes == 1 ? ["", ""] : [])));

    /// <summary>As written: bare, quoted, or with spaces around it (the parser trims).</summary>
    private static string Style(string field, int style) => style switch
    {
        1 => "\"" + field + "\"",
        2 => "  " + field + " ",
        _ => field,
    };

    private static Gen<string> Symbol() =>
        from first in Gen.Elements("ABCXYZ0189^".ToCharArray())
        from length in Gen.Choose(0, 31)
        from rest in Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:/^=_-".ToCharArray()), length)
        select first + new string(rest);

    /// <summary>A time stamp from 1900 to the clock, written in one of the ISO 8601 shapes the parser accepts.</summary>
    private static Gen<(DateTimeOffset Value, string Text)> Timestamp() =>
        from year in Gen.Choose(1900, 2026)
        from day in Gen.Choose(0, 364)
        from second in Gen.Choose(0, 86_399)
        from fraction in Gen.Choose(0, 9_999_999)
        from offsetQuarters in Gen.Choose(-56, 56)
        from shape in Gen.Choose(0, 4)
        let utc = Min(new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddSeconds(second).AddTicks(fraction), Now)
        select Write(utc, TimeSpan.FromMinutes(offsetQuarters * 15), shape);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static (DateTimeOffset, string) Write(DateTimeOffset utc, TimeSpan offset, int shape)
    {
        var local = utc.ToOffset(offset);
        var invariant = CultureInfo.InvariantCulture;
        return shape switch
        {
            0 => (utc, local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", invariant)),
            1 => (Truncate(utc, TimeSpan.TicksPerSecond), utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", invariant)),
            2 => (Truncate(utc, TimeSpan.TicksPerMillisecond), utc.ToString("yyyy-MM-dd HH:mm:ss.fff", invariant)),
            3 => (Truncate(local, TimeSpan.TicksPerMinute), local.ToString("yyyy-MM-dd'T'HH:mm", invariant) + local.ToString("zzz", invariant).Replace(":", "", StringComparison.Ordinal)),
            _ => (new DateTimeOffset(utc.Date, TimeSpan.Zero), utc.ToString("yyyy-MM-dd", invariant)),
        };
    }

    private static DateTimeOffset Truncate(DateTimeOffset ts, long unit) => ts.AddTicks(-(ts.Ticks % unit));

    /// <summary>Up to twelve digits before the point and eight after, as numeric(20, 8) holds.</summary>
    private static Gen<(decimal Value, string Text)> Decimal(bool positive) =>
        from integer in Gen.OneOf(Gen.Choose(0, 1000).Select(i => (long)i), Gen.Zip(Gen.Choose(0, 999_999), Gen.Choose(0, 999_999)).Select(p => ((long)p.Item1 * 1_000_000) + p.Item2))
        from digits in Gen.Choose(0, 8)
        from fraction in Gen.ArrayOf(Gen.Elements("0123456789".ToCharArray()), digits)
        let text = integer.ToString(CultureInfo.InvariantCulture) + (digits > 0 ? "." + new string(fraction) : "")
        let value = decimal.Parse(text, CultureInfo.InvariantCulture)
        where !positive || value > 0
        select (value, text);

    /// <summary>
    /// A file of valid rows, bad rows, noise and blank lines (optionally a BOM and a header, LF or CRLF),
    /// what each non-blank line must give, and how many bytes the stream hands out per read.
    /// </summary>
    private static Gen<(byte[] Bytes, List<(long Line, object? Outcome)> Expected, int ChunkSize)> FileGenerator()
    {
        var entry = Gen.Frequency(
            (6, ValidRow().Select(r => (r.Text, (object?)r.Tick))),
            (3, Gen.Elements(BadRows).Select(b => (b.Row, (object?)b.Reason))),
            (2, Noise().Select(n => (n, (object?)null))),
            (1, Gen.Elements("", "   ", "\t").Select(b => (b, (object?)"blank"))));
        return
            from bom in Gen.Elements(false, true)
            from header in Gen.Elements("", "symbol,ts,price,size", "Symbol, TS ,Price,Size,Bid,Ask", "symbol,ts,price")
            from count in Gen.Choose(0, 25)
            from entries in Gen.ArrayOf(entry, count)
            from crlf in Gen.ArrayOf(Gen.Elements(false, true), count + 1)
            from finalNewline in Gen.Elements(false, true)
            from chunkSize in Gen.Elements(1, 7, 100, 4096, 65536)
            select Assemble(bom, header, entries, crlf, finalNewline, chunkSize);
    }

    private static (byte[], List<(long, object?)>, int) Assemble(
        bool bom, string header, (string Text, object? Outcome)[] entries, bool[] crlf, bool finalNewline, int chunkSize)
    {
        var lines = new List<(string Text, object? Outcome)>();
        if (header.Length > 0)
        {
            lines.Add((header, header == "symbol,ts,price" ? "header has 3 columns" : "skip"));
        }

        lines.AddRange(entries);
        var text = new StringBuilder();
        var expected = new List<(long, object?)>();
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(lines[i].Text);
            if (i < lines.Count - 1 || finalNewline)
            {
                text.Append(crlf[i % crlf.Length] ? "\r\n" : "\n");
            }

            if (lines[i].Outcome is not ("blank" or "skip"))
            {
                expected.Add((i + 1, lines[i].Outcome));
            }
        }

        byte[] bytes = [.. bom ? new byte[] { 0xEF, 0xBB, 0xBF } : [], .. Encoding.UTF8.GetBytes(text.ToString())];
        return (bytes, expected, chunkSize);
    }

    /// <summary>Up to 16 fields; those holding a comma or a quote, and some others, quoted (RFC 4180).</summary>
    private static Gen<(string Text, bool Quote)[]> FieldsGenerator() =>
        from count in Gen.Choose(1, CsvFields.MaxFields)
        from fields in Gen.ArrayOf(
            from length in Gen.Choose(0, 12)
            from chars in Gen.ArrayOf(Gen.Elements("Az9 ,\".-é\t".ToCharArray()), length)
            from quote in Gen.Elements(false, true)
            let text = new string(chars)
            select (text, quote || text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)),
            count)
        select fields;

    /// <summary>Printable text with commas, quotes and spaces that never reads as blank or as a header.</summary>
    private static Gen<string> Noise() =>
        from length in Gen.Choose(1, 60)
        from chars in Gen.ArrayOf(Gen.Elements("AZaz09,,\"\" .-:+é€".ToCharArray()), length)
        let text = new string(chars)
        where text.Trim().Length > 0 && !CsvTickParser.IsHeader(CsvFields.Split(text, out _) ?? [])
        select text;

    /// <summary>Hands out at most a given number of bytes per read, so lines straddle the reader's buffers.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunkSize) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunkSize));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunkSize)], cancellationToken);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
