using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// Builds one SCTP packet in a reusable scratch buffer: common header, then chunks appended with
/// <see cref="BeginChunk"/>/<see cref="EndChunk"/>; <see cref="ToArray"/> stamps the CRC32c.
/// The buffer is sized to the packet limit so nothing built here can exceed it.
/// </summary>
internal sealed class SctpPacketWriter
{
    private readonly byte[] _buffer;
    private int _length;
    private int _chunkStart = -1;

    public SctpPacketWriter(int maxPacketBytes) => _buffer = new byte[maxPacketBytes];

    public int ChunkCount { get; private set; }

    /// <summary>Where the most recent chunk of this packet starts; -1 before the first.</summary>
    public int LastChunkStart { get; private set; } = -1;

    /// <summary>Bytes still free for one more chunk (header included), after padding of the last one.</summary>
    public int Remaining => _buffer.Length - _length;

    public void Begin(ushort sourcePort, ushort destinationPort, uint verificationTag)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(4), verificationTag);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(8), 0);
        _length = SctpPacketReader.CommonHeaderLength;
        ChunkCount = 0;
        _chunkStart = -1;
        LastChunkStart = -1;
    }

    /// <summary>Sets flag bits on a chunk already written to this packet (e.g. DATA's I bit once the packet is complete).</summary>
    public void AddFlags(int chunkStart, byte flags) => _buffer[chunkStart + 1] |= flags;

    /// <summary>Starts a chunk and returns the span for its value (up to what is left in the packet).</summary>
    public Span<byte> BeginChunk(byte type, byte flags)
    {
        _chunkStart = _length;
        LastChunkStart = _length;
        _buffer[_length] = type;
        _buffer[_length + 1] = flags;
        _length += SctpPacketReader.ChunkHeaderLength;
        return _buffer.AsSpan(_length);
    }

    /// <summary>Ends the chunk whose value took <paramref name="valueLength"/> bytes; pads it to 4.</summary>
    public void EndChunk(int valueLength)
    {
        var chunkLength = SctpPacketReader.ChunkHeaderLength + valueLength;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_chunkStart + 2), (ushort)chunkLength);
        var end = _chunkStart + chunkLength;
        var padded = Math.Min((chunkLength + 3) & ~3, _buffer.Length - _chunkStart);
        _buffer.AsSpan(end, _chunkStart + padded - end).Clear();
        _length = _chunkStart + padded;
        _chunkStart = -1;
        ChunkCount++;
    }

    /// <summary>Appends a chunk whose value is already encoded, if it fits.</summary>
    public bool TryAppend(byte type, byte flags, ReadOnlySpan<byte> value)
    {
        if (PaddedChunkLength(value.Length) > Remaining)
        {
            return false;
        }

        value.CopyTo(BeginChunk(type, flags));
        EndChunk(value.Length);
        return true;
    }

    public static int PaddedChunkLength(int valueLength) => (SctpPacketReader.ChunkHeaderLength + valueLength + 3) & ~3;

    public byte[] ToArray()
    {
        var packet = _buffer.AsSpan(0, _length).ToArray();
        Crc32c.StampPacket(packet);
        return packet;
    }
}
