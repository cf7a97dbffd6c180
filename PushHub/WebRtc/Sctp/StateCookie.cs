using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>
/// The INIT-ACK state cookie (RFC 4960 §5.1.3): everything needed to build the association, so the
/// passive side commits no state before COOKIE-ECHO. Layout (big-endian):
/// <code>
/// version(1) localTag(4) peerTag(4) localTsn(4) peerTsn(4) peerRwnd(4) peerOs(2) peerMis(2)
/// flags(1: 1=forward-tsn, 2=re-config) created(8: ticks of the connection clock) | HMAC-SHA256(32)
/// </code>
/// The MAC key is random per connection, so a cookie is only good for the connection that made it.
/// </summary>
internal sealed class StateCookie
{
    public const int BodyLength = 34;
    public const int Length = BodyLength + 32;
    private const byte Version = 1;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public StateCookie(TimeSpan lifetime) => Lifetime = lifetime;

    public TimeSpan Lifetime { get; }

    public void Write(Span<byte> destination, uint localTag, uint localTsn, in InitInfo peer, TimeSpan now)
    {
        destination[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], localTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], peer.InitiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], localTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[13..], peer.InitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[17..], peer.ReceiverWindow);
        BinaryPrimitives.WriteUInt16BigEndian(destination[21..], peer.OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[23..], peer.InboundStreams);
        destination[25] = (byte)((peer.ForwardTsnSupported ? 1 : 0) | (peer.ReConfigSupported ? 2 : 0));
        BinaryPrimitives.WriteInt64BigEndian(destination[26..], now.Ticks);
        HMACSHA256.HashData(_key, destination[..BodyLength], destination[BodyLength..Length]);
    }

    /// <summary>Checks MAC, version and lifetime; on success returns the values the cookie carries.</summary>
    public CookieResult TryRead(ReadOnlySpan<byte> cookie, TimeSpan now, out CookieContents contents)
    {
        contents = default;
        if (cookie.Length != Length)
        {
            return CookieResult.Invalid;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, cookie[..BodyLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, cookie[BodyLength..]) || cookie[0] != Version)
        {
            return CookieResult.Invalid;
        }

        var created = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(cookie[26..]));
        if (now - created > Lifetime || created > now)
        {
            return CookieResult.Expired;
        }

        var flags = cookie[25];
        contents = new CookieContents(
            BinaryPrimitives.ReadUInt32BigEndian(cookie[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[9..]),
            new InitInfo
            {
                InitiateTag = BinaryPrimitives.ReadUInt32BigEndian(cookie[5..]),
                InitialTsn = BinaryPrimitives.ReadUInt32BigEndian(cookie[13..]),
                ReceiverWindow = BinaryPrimitives.ReadUInt32BigEndian(cookie[17..]),
                OutboundStreams = BinaryPrimitives.ReadUInt16BigEndian(cookie[21..]),
                InboundStreams = BinaryPrimitives.ReadUInt16BigEndian(cookie[23..]),
                ForwardTsnSupported = (flags & 1) != 0,
                ReConfigSupported = (flags & 2) != 0,
            });
        return CookieResult.Valid;
    }
}

internal enum CookieResult
{
    Valid,
    Invalid,
    Expired,
}

internal readonly record struct CookieContents(uint LocalTag, uint LocalInitialTsn, InitInfo Peer);
