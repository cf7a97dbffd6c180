using System.Buffers.Binary;

namespace Ticker.TurnRelay.Stun;

/// <summary>Walks the attributes of an already validated message up to a given end offset.</summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly int _end;
    private int _next;
    private StunAttribute _current;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message, int end)
    {
        _message = message;
        _end = end;
        _next = StunMessageReader.HeaderLength;
        _current = default;
    }

    public readonly StunAttribute Current => _current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next + 4 > _end)
        {
            return false;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(_message[_next..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_next + 2)..]);
        _current = new StunAttribute(type, _message.Slice(_next + 4, length), _next);
        _next += 4 + StunMessageReader.Pad4(length);
        return true;
    }
}
