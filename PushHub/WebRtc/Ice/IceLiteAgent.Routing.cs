using System.Buffers.Binary;
using System.Text;
using Ticker.PushHub.WebRtc.Sdp;
using Ticker.TurnRelay.Stun;

namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>Reading the session name from a check before any session state (shared-port routing).</summary>
public sealed partial class IceLiteAgent
{
    private const ushort BindingRequestType = 0x0001;

    /// <summary>
    /// From a Binding request's USERNAME ("local:remote"), the local ufrag that names the session;
    /// false for anything else. Used by the shared port to route a check before any session state.
    /// </summary>
    /// <remarks>
    /// Only bounds and framing are checked here (RFC 8489 §5 header, §14 attribute walk up to
    /// MESSAGE-INTEGRITY); integrity is the agent's job. The ufrag must be 4-256 ice-chars.
    /// </remarks>
    public static bool TryReadLocalUfrag(ReadOnlySpan<byte> datagram, out string localUfrag)
    {
        localUfrag = "";
        if (datagram.Length < StunMessageReader.HeaderLength
            || BinaryPrimitives.ReadUInt16BigEndian(datagram) != BindingRequestType
            || BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunMessageReader.MagicCookie
            || BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) != datagram.Length - StunMessageReader.HeaderLength
            || (datagram.Length & 3) != 0)
        {
            return false;
        }
        var offset = StunMessageReader.HeaderLength;
        while (offset + 4 <= datagram.Length)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            if (offset + 4 + length > datagram.Length || type == StunAttributeType.MessageIntegrity)
            {
                return false;
            }
            if (type == StunAttributeType.Username)
            {
                return TryReadUfrag(datagram.Slice(offset + 4, length), out localUfrag);
            }
            offset += 4 + ((length + 3) & ~3);
        }
        return false;
    }

    private static bool TryReadUfrag(ReadOnlySpan<byte> username, out string localUfrag)
    {
        localUfrag = "";
        var colon = username.IndexOf((byte)':');
        if (colon < SdpSyntax.MinUfragLength || colon > SdpSyntax.MaxIceCredentialLength)
        {
            return false;
        }
        var ufrag = username[..colon];
        foreach (var b in ufrag)
        {
            if (!SdpSyntax.IsIceChar((char)b))
            {
                return false;
            }
        }
        localUfrag = Encoding.ASCII.GetString(ufrag);
        return true;
    }
}
