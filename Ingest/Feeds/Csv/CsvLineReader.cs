using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace Ticker.Ingest.Feeds.Csv;

/// <summary>One line of a CSV file: its 1-based number and its text, or <c>null</c> text when it was too long.</summary>
internal readonly record struct CsvLine(long Number, string? Text);

/// <summary>
/// Streams lines from a file of any size without holding more than one line: a line longer than
/// <see cref="MaxLineBytes"/> is reported (text <c>null</c>) and skipped without being buffered.
/// Accepts LF and CRLF endings, a UTF-8 byte-order mark, and a last line without an ending.
/// </summary>
internal static class CsvLineReader
{
    public const int MaxLineBytes = 4096;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static async IAsyncEnumerable<CsvLine> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        long number = 0;
        var skippingLongLine = false;
        var atStart = true;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (atStart && (buffer.Length >= Bom.Length || result.IsCompleted))
                {
                    atStart = false;
                    if (buffer.Length >= Bom.Length && buffer.Slice(0, Bom.Length).ToArray().AsSpan().SequenceEqual(Bom))
                    {
                        buffer = buffer.Slice(Bom.Length);
                    }
                }
                else if (atStart)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (skippingLongLine)
                    {
                        // The end of a line already reported as too long.
                        skippingLongLine = false;
                        continue;
                    }

                    number++;
                    yield return line.Length > MaxLineBytes ? new CsvLine(number, null) : new CsvLine(number, Decode(line));
                }

                if (buffer.Length > MaxLineBytes && !skippingLongLine)
                {
                    // Refuse to buffer an endless line: report it now, discard the rest up to its end.
                    number++;
                    skippingLongLine = true;
                    yield return new CsvLine(number, null);
                }

                if (skippingLongLine)
                {
                    buffer = buffer.Slice(buffer.End);
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty && !skippingLongLine)
                    {
                        yield return new CsvLine(number + 1, Decode(buffer));
                    }

                    yield break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static string Decode(ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        return text.EndsWith('\r') ? text[..^1] : text;
    }
}
