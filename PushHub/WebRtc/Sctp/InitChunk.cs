using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// INIT and INIT-ACK values (RFC 4960 §3.3.2, §3.3.3):
/// <code>
/// | Initiate Tag                                                  |
/// | Advertised Receiver Window Credit (a_rwnd)                    |
/// | Number of Outbound Streams    | Number of Inbound Streams     |
/// | Initial TSN                                                   |
/// | Optional/Variable-Length Parameters (type, length, value; padded to 4)
/// </code>
/// </summary>
internal static class InitChunk
{
    public const int FixedLength = 16;

    /// <summary>
    /// Parses the fixed part and walks the parameters, honouring the top two type bits of unknown ones
    /// (RFC 4960 §3.2.1): 00 stop, 01 stop and report, 10 skip, 11 skip and report. Reported parameters
    /// are copied into <paramref name="unrecognized"/> as Unrecognized Parameter (type 8) TLVs.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out InitInfo info, List<byte>? unrecognized)
    {
        info = default;
        if (value.Length < FixedLength)
        {
            return false;
        }

        info = new InitInfo
        {
            InitiateTag = BinaryPrimitives.ReadUInt32BigEndian(value),
            ReceiverWindow = BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            OutboundStreams = BinaryPrimitives.ReadUInt16BigEndian(value[8..]),
            InboundStreams = BinaryPrimitives.ReadUInt16BigEndian(value[10..]),
            InitialTsn = BinaryPrimitives.ReadUInt32BigEndian(value[12..]),
        };

        var rest = value[FixedLength..];
        while (rest.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (length < 4 || length > rest.Length)
            {
                return false;
            }

            var body = rest[4..length];
            switch (type)
            {
                case ParameterType.StateCookie:
                    info.CookieOffset = value.Length - rest.Length + 4;
                    info.CookieLength = body.Length;
                    break;
                case ParameterType.ForwardTsnSupported:
                    info.ForwardTsnSupported = true;
                    break;
                case ParameterType.SupportedExtensions:
                    info.ReConfigSupported |= body.Contains(ChunkType.ReConfig);
                    info.ForwardTsnSupported |= body.Contains(ChunkType.ForwardTsn);
                    break;
                case 5 or 6 or 9 or 11 or 12:
                    // Addresses, cookie preservative and host names mean nothing over DTLS (RFC 8261 §4).
                    break;
                default:
                    if ((type & 0x4000) != 0 && unrecognized is not null)
                    {
                        AppendUnrecognized(unrecognized, rest[..length]);
                    }

                    if ((type & 0x8000) == 0)
                    {
                        return true;
                    }

                    break;
            }

            rest = rest[Math.Min((length + 3) & ~3, rest.Length)..];
        }

        return true;
    }

    private static void AppendUnrecognized(List<byte> into, ReadOnlySpan<byte> parameter)
    {
        var length = 4 + parameter.Length;
        into.Add((byte)(ParameterType.UnrecognizedParameter >> 8));
        into.Add((byte)ParameterType.UnrecognizedParameter);
        into.Add((byte)(length >> 8));
        into.Add((byte)length);
        foreach (var b in parameter)
        {
            into.Add(b);
        }

        while (into.Count % 4 != 0)
        {
            into.Add(0);
        }
    }

    /// <summary>Writes an INIT or INIT-ACK value; returns its length.</summary>
    public static int Write(Span<byte> destination, in InitInfo info, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> extraParameters)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, info.InitiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], info.ReceiverWindow);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], info.OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], info.InboundStreams);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], info.InitialTsn);
        var offset = FixedLength;

        // Forward-TSN-Supported (RFC 3758 §3.1) and Supported Extensions (RFC 5061 §4.2.7).
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], ParameterType.ForwardTsnSupported);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 4);
        offset += 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], ParameterType.SupportedExtensions);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 6);
        destination[offset + 4] = ChunkType.ReConfig;
        destination[offset + 5] = ChunkType.ForwardTsn;
        destination[offset + 6] = 0;
        destination[offset + 7] = 0;
        offset += 8;

        if (!cookie.IsEmpty)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], ParameterType.StateCookie);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(4 + cookie.Length));
            cookie.CopyTo(destination[(offset + 4)..]);
            offset += (4 + cookie.Length + 3) & ~3;
        }

        extraParameters.CopyTo(destination[offset..]);
        return offset + extraParameters.Length;
    }
}

/// <summary>The fields of an INIT or INIT-ACK that matter here.</summary>
internal struct InitInfo
{
    public uint InitiateTag;
    public uint ReceiverWindow;
    public ushort OutboundStreams;
    public ushort InboundStreams;
    public uint InitialTsn;
    public bool ForwardTsnSupported;
    public bool ReConfigSupported;
    public int CookieOffset;
    public int CookieLength;
}
