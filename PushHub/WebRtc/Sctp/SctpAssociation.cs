using System.Security.Cryptography;
using Ticker.PushHub.WebRtc.DataChannels;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// One SCTP association over DTLS (RFC 8261), sans-IO: packets and time in, packets out. Facets:
/// Handshake (INIT, cookie), Receive (DATA, FORWARD-TSN, delayed SACK), Send (queueing, packet
/// building, SACK processing, partial reliability), ReConfig (stream reset), Timers.
/// </summary>
internal sealed partial class SctpAssociation
{
    /// <summary>RFC 4960 §15 Association.Max.Retrans.</summary>
    public const int MaxRetransmissions = 10;
    public const int MaxInitRetransmissions = 8;
    public static readonly TimeSpan DelayedSackTime = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromSeconds(60);

    private readonly IAssociationHandler _handler;
    private readonly DataChannelCounters _counters;
    private readonly SctpPacketWriter _writer;
    private readonly StateCookie _cookie = new(CookieLifetime);
    private readonly Queue<byte[]> _readyPackets = new();
    private readonly Queue<ControlChunk> _control = new();
    private readonly ushort _port;
    private ushort _peerPort;
    private uint _localTag;
    private uint _peerTag;
    private TimeSpan _now;

    public SctpAssociation(IAssociationHandler handler, DataChannelCounters counters, ushort port, int maxPacketBytes, int localMaxMessageBytes, TimeSpan now)
    {
        _handler = handler;
        _counters = counters;
        _port = port;
        _peerPort = port;
        MaxPacketBytes = maxPacketBytes;
        _writer = new SctpPacketWriter(maxPacketBytes);
        LocalMaxMessageBytes = localMaxMessageBytes;
        ReceiveCapacity = localMaxMessageBytes + (256 * 1024);
        _now = now;
    }

    public AssociationState State { get; private set; } = AssociationState.Listen;

    public int MaxPacketBytes { get; }

    public int LocalMaxMessageBytes { get; }

    /// <summary>Receive buffer budget; also the a_rwnd advertised when empty.</summary>
    public int ReceiveCapacity { get; }

    /// <summary>User data that fits one DATA chunk in one packet: the packet minus common and DATA headers, padding-aware.</summary>
    public int MaxDataPerChunk => ((MaxPacketBytes - SctpPacketReader.CommonHeaderLength) & ~3) - SctpPacketReader.ChunkHeaderLength - DataChunk.HeaderLength;

    public string? CloseReason { get; private set; }

    /// <summary>
    /// One decrypted packet. Checks run in RFC order: structure, CRC32c (§6.8), port, verification
    /// tag (§8.5), then chunk by chunk with unknown types handled by their top two bits (§3.2).
    /// </summary>
    public void HandlePacket(ReadOnlySpan<byte> packet, TimeSpan now)
    {
        _now = now;
        _counters.PacketsReceived++;
        var reader = new SctpPacketReader(packet);
        if (!reader.TryValidate(out _))
        {
            _counters.MalformedPackets++;
            return;
        }

        if (!Crc32c.VerifyPacket(packet))
        {
            _counters.BadChecksums++;
            return;
        }

        if (reader.DestinationPort != _port || State == AssociationState.Closed)
        {
            // After close everything is out of the blue; the peer's own timers end its side.
            _counters.BadVerificationTags++;
            return;
        }

        if (!CheckVerificationTag(reader))
        {
            _counters.BadVerificationTags++;
            return;
        }

        _peerPort = reader.SourcePort;
        var sawData = false;
        foreach (var chunk in reader)
        {
            if (State == AssociationState.Closed)
            {
                break;
            }

            if (!HandleChunk(chunk, reader.VerificationTag, ref sawData))
            {
                break;
            }
        }

        AfterPacket(sawData);
    }

    /// <summary>§8.5 and §8.5.1: INIT carries tag 0; ABORT/SHUTDOWN-COMPLETE with the T bit carry the peer's tag.</summary>
    private bool CheckVerificationTag(in SctpPacketReader reader)
    {
        var enumerator = reader.GetEnumerator();
        enumerator.MoveNext();
        var first = enumerator.Current;
        var tag = reader.VerificationTag;
        switch (first.Type)
        {
            case ChunkType.Init:
                return tag == 0;
            case ChunkType.Abort or ChunkType.ShutdownComplete:
                return State != AssociationState.Listen
                    && ((first.Flags & 1) == 0 ? tag == _localTag : tag == _peerTag && _peerTag != 0);
            case ChunkType.CookieEcho when State is AssociationState.Listen or AssociationState.CookieWait or AssociationState.CookieEchoed:
                return true; // checked against the cookie's own tag once the MAC holds
            default:
                return State != AssociationState.Listen && tag == _localTag;
        }
    }

    /// <summary>Returns false to stop processing the rest of the packet.</summary>
    private bool HandleChunk(in Chunk chunk, uint packetTag, ref bool sawData)
    {
        switch (chunk.Type)
        {
            case ChunkType.Data:
                sawData = true;
                return HandleData(chunk);
            case ChunkType.Init:
                HandleInit(chunk);
                return false; // §6.10: INIT is never bundled
            case ChunkType.InitAck:
                HandleInitAck(chunk);
                return false;
            case ChunkType.CookieEcho:
                return HandleCookieEcho(chunk, packetTag);
            case ChunkType.CookieAck:
                HandleCookieAck();
                return true;
            case ChunkType.Sack:
                HandleSack(chunk);
                return true;
            case ChunkType.ForwardTsn:
                sawData = true;
                HandleForwardTsn(chunk);
                return true;
            case ChunkType.ReConfig:
                HandleReConfig(chunk);
                return true;
            case ChunkType.Heartbeat:
                if (State == AssociationState.Established)
                {
                    // §8.3: echo the Heartbeat Info parameter unchanged.
                    _control.Enqueue(new ControlChunk(ChunkType.HeartbeatAck, 0, chunk.Value.ToArray()));
                }

                return true;
            case ChunkType.HeartbeatAck or ChunkType.Error:
                return true;
            case ChunkType.Abort:
                Close(AbortReason(chunk.Value));
                return false;
            case ChunkType.Shutdown:
                HandleShutdown();
                return false;
            case ChunkType.ShutdownAck:
                HandleShutdownAck();
                return false;
            case ChunkType.ShutdownComplete:
                Close("peer completed shutdown");
                return false;
            default:
                return HandleUnknownChunk(chunk);
        }
    }

    /// <summary>§3.2: top bits 00 stop, 01 stop and report, 10 skip, 11 skip and report (ERROR, cause 6).</summary>
    private bool HandleUnknownChunk(in Chunk chunk)
    {
        _counters.UnknownChunks++;
        if ((chunk.Type & 0x40) != 0 && State == AssociationState.Established)
        {
            var reported = Math.Min(chunk.Value.Length, 256);
            var cause = new byte[4 + 4 + reported];
            cause[1] = (byte)ErrorCause.UnrecognizedChunkType;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(cause.AsSpan(2), (ushort)cause.Length);
            cause[4] = chunk.Type;
            cause[5] = chunk.Flags;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(cause.AsSpan(6), (ushort)(4 + reported));
            chunk.Value[..reported].CopyTo(cause.AsSpan(8));
            _control.Enqueue(new ControlChunk(ChunkType.Error, 0, cause));
        }

        return (chunk.Type & 0x80) != 0;
    }

    public void Abort(string reason, TimeSpan now) => Abort(reason, now, ErrorCause.UserInitiatedAbort);

    /// <summary>Sends ABORT with one error cause carrying the reason text (12 user-initiated, 13 protocol violation).</summary>
    private void Abort(string reason, TimeSpan now, ushort cause)
    {
        _now = now;
        if (State == AssociationState.Closed)
        {
            return;
        }

        if (State != AssociationState.Listen)
        {
            // §3.3.7 with a User-Initiated Abort cause (12) carrying the reason.
            var text = System.Text.Encoding.UTF8.GetBytes(reason.Length > 200 ? reason[..200] : reason);
            _writer.Begin(_port, _peerPort, _peerTag);
            var value = _writer.BeginChunk(ChunkType.Abort, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value, cause);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(4 + text.Length));
            text.CopyTo(value[4..]);
            _writer.EndChunk((4 + text.Length + 3) & ~3);
            _readyPackets.Enqueue(_writer.ToArray());
        }

        Close(reason);
    }

    private static string AbortReason(ReadOnlySpan<byte> causes)
    {
        if (causes.Length >= 4 && causes[0] == 0 && causes[1] is (byte)ErrorCause.UserInitiatedAbort or (byte)ErrorCause.ProtocolViolation)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(causes[2..]);
            if (length >= 4 && length <= causes.Length && System.Text.Unicode.Utf8.IsValid(causes[4..length]))
            {
                return "peer aborted: " + System.Text.Encoding.UTF8.GetString(causes[4..length]);
            }
        }

        return "peer aborted";
    }

    private void Close(string reason)
    {
        if (State == AssociationState.Closed)
        {
            return;
        }

        State = AssociationState.Closed;
        CloseReason = reason;
        _t1Deadline = null;
        _t3Deadline = null;
        _sackDeadline = null;
        _reconfigDeadline = null;
        _control.Clear();
        _handler.OnClosed(reason);
    }

    private static uint RandomNonZero()
    {
        uint value;
        do
        {
            value = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        }
        while (value == 0);
        return value;
    }

    private readonly record struct ControlChunk(byte Type, byte Flags, byte[] Value);
}
