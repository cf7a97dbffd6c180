using System.Text;
using Ticker.Ingest.Feeds.Csv;

namespace Ticker.Ingest.Tests;

[Trait("Tier", "Fast")]
public sealed class CsvLineReaderTests
{
    private static async Task<List<CsvLine>> ReadAsync(byte[] bytes)
    {
        var lines = new List<CsvLine>();
        // A tiny stream buffer size is not configurable from outside; a one-byte-at-a-time stream exercises resumption.
        await foreach (var line in CsvLineReader.ReadAsync(new TrickleStream(bytes)))
        {
            lines.Add(line);
        }

        return lines;
    }

    [Fact]
    public async Task Read_MixedEndingsBomAndNoFinalNewline_NumberedLines()
    {
        var lines = await ReadAsync([0xEF, 0xBB, 0xBF, .. "a,1\r\nb,2\n\nc,3"u8]);

        Assert.Equal([new CsvLine(1, "a,1"), new CsvLine(2, "b,2"), new CsvLine(3, ""), new CsvLine(4, "c,3")], lines);
    }

    [Fact]
    public async Task Read_OverlongLines_ReportedWithoutTextAndNumberingContinues()
    {
        var longLine = new string('x', CsvLineReader.MaxLineBytes + 1);
        var endless = new string('y', CsvLineReader.MaxLineBytes * 50);
        var lines = await ReadAsync(Encoding.UTF8.GetBytes($"ok,1\n{longLine}\nok,3\n{endless}\nok,5\n{endless}"));

        Assert.Equal(
            [new CsvLine(1, "ok,1"), new CsvLine(2, null), new CsvLine(3, "ok,3"), new CsvLine(4, null), new CsvLine(5, "ok,5"), new CsvLine(6, null)],
            lines);
    }

    [Fact]
    public async Task Read_Empty_NoLines() => Assert.Empty(await ReadAsync([]));

    /// <summary>Hands out at most 7 bytes per read, so lines straddle reads.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);
    }
}
