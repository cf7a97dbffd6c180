using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// RE-CONFIG parameters (RFC 6525 §4). Outgoing SSN Reset Request (type 13):
/// <code>
/// | Type = 13                     | Parameter Length = 16 + 2 * N |
/// | Re-configuration Request Sequence Number                      |
/// | Re-configuration Response Sequence Number                     |
/// | Sender's Last Assigned TSN                                    |
/// | Stream Number 1 (optional)    | Stream Number 2 (optional)    | ...
/// </code>
/// Re-configuration Response (type 16): Response Sequence Number, Result (1 = success performed,
/// 2 = denied, 5 = bad sequence number, 6 = in progress).
/// </summary>
internal static class ReConfigParameter
{
    public const uint ResultSuccess = 1;
    public const uint ResultDenied = 2;
    public const uint ResultBadSequenceNumber = 5;
    public const uint ResultInProgress = 6;

    public static int WriteOutgoingReset(Span<byte> destination, uint requestSeq, uint responseSeq, uint lastTsn, ReadOnlySpan<ushort> streams)
    {
        var length = 16 + (2 * streams.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination, ParameterType.OutgoingSsnResetRequest);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], requestSeq);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], responseSeq);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], lastTsn);
        for (var i = 0; i < streams.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(16 + (2 * i))..], streams[i]);
        }

        return Pad(destination, length);
    }

    public static int WriteResponse(Span<byte> destination, uint responseSeq, uint result)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, ParameterType.ReconfigurationResponse);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 12);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], responseSeq);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], result);
        return 12;
    }

    private static int Pad(Span<byte> destination, int length)
    {
        var padded = (length + 3) & ~3;
        destination[length..padded].Clear();
        return padded;
    }
}
