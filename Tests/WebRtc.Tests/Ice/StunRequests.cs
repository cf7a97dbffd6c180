using System.Text;
using Ticker.TurnRelay.Stun;

namespace Ticker.WebRtc.Tests.Ice;

/// <summary>Builds connectivity checks shaped like Chromium's (RFC 8445 §7.2.2), with knobs to break them.</summary>
internal static class StunRequests
{
    public const string LocalUfrag = "HubU";
    public const string LocalPwd = "ServerPassword0123456789";
    public const string RemoteUfrag = "Brws";

    public static byte[] Check(
        string username = LocalUfrag + ":" + RemoteUfrag,
        string? password = LocalPwd,
        bool useCandidate = false,
        bool controlled = false,
        ushort extraAttribute = 0,
        bool fingerprint = true,
        ushort method = StunMethod.Binding,
        StunClass stunClass = StunClass.Request,
        byte txSeed = 1)
    {
        var buffer = new byte[512];
        var txId = Enumerable.Range(txSeed, 12).Select(i => (byte)i).ToArray();
        var builder = new StunMessageBuilder(buffer, method, stunClass, txId);
        builder.AddString(StunAttributeType.Username, username);
        builder.AddAttribute(0xC057, [0x00, 0x00, 0x03, 0xE7]); // GOOG-NETWORK-INFO, ignored
        builder.AddAttribute(controlled ? StunAttributeType.IceControlled : StunAttributeType.IceControlling, new byte[8]);
        if (useCandidate)
        {
            builder.AddAttribute(StunAttributeType.UseCandidate, ReadOnlySpan<byte>.Empty);
        }
        builder.AddUInt32(StunAttributeType.Priority, 0x6E001EFF);
        if (extraAttribute != 0)
        {
            builder.AddUInt32(extraAttribute, 7);
        }
        if (password is not null)
        {
            builder.AddMessageIntegrity(Encoding.UTF8.GetBytes(password));
        }
        if (fingerprint)
        {
            builder.AddFingerprint();
        }
        return builder.Written.ToArray();
    }
}
