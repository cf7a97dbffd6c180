using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Tests.Support;

/// <summary>Fills a request's attributes.</summary>
internal delegate void AttributeWriter(ref StunMessageBuilder builder);

/// <summary>A minimal TURN client over UDP built on the codec, for driving the server in tests.</summary>
internal sealed class TestTurnClient : IDisposable
{
    private readonly string _user;
    private readonly string _realm;
    private readonly byte[] _key = new byte[16];
    private string? _nonce;

    public TestTurnClient(IPEndPoint server, string user, string password, string realm, IPAddress? localAddress = null)
    {
        _user = user;
        _realm = realm;
        StunIntegrity.ComputeLongTermKey(user, realm, password, _key);
        Socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        var loopback = server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        Socket.Bind(new IPEndPoint(localAddress ?? loopback, 0));
        Socket.Connect(server);
    }

    public Socket Socket { get; }

    public StunTransportAddress? Relayed { get; private set; }

    /// <summary>Indications and ChannelData received while waiting for a response.</summary>
    public Queue<byte[]> Unsolicited { get; } = new();

    /// <summary>Sends a request, answering 401/438 challenges once, and returns the final response.</summary>
    public TestResponse Request(ushort method, AttributeWriter? attributes = null, bool authenticate = true)
    {
        var response = Exchange(method, attributes, authenticate);
        if (authenticate && response.ErrorCode is StunErrorCode.Unauthorized or StunErrorCode.StaleNonce && response.Nonce is { } nonce)
        {
            _nonce = nonce;
            response = Exchange(method, attributes, authenticate);
        }
        return response;
    }

    public TestResponse Allocate(AttributeWriter? extra = null)
    {
        var response = Request(StunMethod.Allocate, (ref StunMessageBuilder b) =>
        {
            b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24);
            extra?.Invoke(ref b);
        });
        if (response.IsSuccess)
        {
            Relayed = response.XorAddress(StunAttributeType.XorRelayedAddress);
        }
        return response;
    }

    public TestResponse CreatePermission(IPEndPoint peer) =>
        Request(StunMethod.CreatePermission, (ref StunMessageBuilder b) =>
            b.AddXorAddress(StunAttributeType.XorPeerAddress, StunTransportAddress.FromEndPoint(peer)));

    public TestResponse ChannelBind(ushort channel, IPEndPoint peer) =>
        Request(StunMethod.ChannelBind, (ref StunMessageBuilder b) =>
        {
            b.AddUInt32(StunAttributeType.ChannelNumber, (uint)channel << 16);
            b.AddXorAddress(StunAttributeType.XorPeerAddress, StunTransportAddress.FromEndPoint(peer));
        });

    public TestResponse Refresh(uint lifetime) =>
        Request(StunMethod.Refresh, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.Lifetime, lifetime));

    public void SendIndication(IPEndPoint peer, byte[] data)
    {
        var buffer = new byte[2048];
        var builder = new StunMessageBuilder(buffer, StunMethod.Send, StunClass.Indication, RandomNumberGenerator.GetBytes(12));
        builder.AddXorAddress(StunAttributeType.XorPeerAddress, StunTransportAddress.FromEndPoint(peer));
        builder.AddAttribute(StunAttributeType.Data, data);
        Socket.Send(builder.Written);
    }

    public void SendChannelData(ushort channel, byte[] data)
    {
        var buffer = new byte[4 + data.Length];
        ChannelDataFrame.WriteHeader(buffer, channel, data.Length);
        data.CopyTo(buffer, 4);
        Socket.Send(buffer);
    }

    /// <summary>Receives the next datagram (bounded by the socket's receive timeout); null on timeout.</summary>
    public byte[]? Receive(int timeoutMs = 5000)
    {
        if (Unsolicited.Count > 0)
        {
            return Unsolicited.Dequeue();
        }
        Socket.ReceiveTimeout = timeoutMs;
        var buffer = new byte[65536];
        try
        {
            var n = Socket.Receive(buffer);
            return buffer[..n];
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    /// <summary>Sends raw bytes and returns the next datagram that is a response, or null on timeout.</summary>
    public byte[]? SendRaw(ReadOnlySpan<byte> bytes, int timeoutMs = 2000)
    {
        Socket.Send(bytes);
        return Receive(timeoutMs);
    }

    public byte[] BuildRequest(ushort method, AttributeWriter? attributes, bool authenticate, byte[]? transactionId = null)
    {
        var buffer = new byte[2048];
        var builder = new StunMessageBuilder(buffer, method, StunClass.Request, transactionId ?? RandomNumberGenerator.GetBytes(12));
        attributes?.Invoke(ref builder);
        if (authenticate && _nonce is not null)
        {
            builder.AddString(StunAttributeType.Username, _user);
            builder.AddString(StunAttributeType.Realm, _realm);
            builder.AddString(StunAttributeType.Nonce, _nonce);
            builder.AddMessageIntegrity(_key);
        }
        builder.AddFingerprint();
        return builder.Written.ToArray();
    }

    private TestResponse Exchange(ushort method, AttributeWriter? attributes, bool authenticate)
    {
        var transactionId = RandomNumberGenerator.GetBytes(12);
        Socket.Send(BuildRequest(method, attributes, authenticate, transactionId));
        var deadline = Environment.TickCount64 + 5000;
        while (Environment.TickCount64 < deadline)
        {
            var buffer = new byte[65536];
            Socket.ReceiveTimeout = 5000;
            var n = Socket.Receive(buffer);
            var datagram = buffer[..n];
            if (StunMessageReader.TryParse(datagram, out var message) == StunParseResult.Ok
                && message.TransactionId.SequenceEqual(transactionId))
            {
                return new TestResponse(datagram, _key);
            }
            Unsolicited.Enqueue(datagram);
        }
        throw new TimeoutException("no response");
    }

    public void Dispose() => Socket.Dispose();
}

/// <summary>A copied response with the few accessors tests need.</summary>
internal sealed class TestResponse(byte[] raw, byte[] key)
{
    public byte[] Raw { get; } = raw;

    public StunClass Class => Parse().Class;

    public bool IsSuccess => Class == StunClass.SuccessResponse;

    public int? ErrorCode => Parse().TryGetErrorCode(out var code, out _) ? code : null;

    public string? Nonce => Parse().TryGetAttribute(StunAttributeType.Nonce, out var nonce) ? Encoding.UTF8.GetString(nonce) : null;

    public string? Realm => Parse().TryGetAttribute(StunAttributeType.Realm, out var realm) ? Encoding.UTF8.GetString(realm) : null;

    public uint? Lifetime => Parse().TryGetUInt32(StunAttributeType.Lifetime, out var lifetime) ? lifetime : null;

    public bool IntegrityValid => StunIntegrity.Verify(Parse(), key);

    public bool FingerprintValid => StunFingerprint.Verify(Parse());

    public StunTransportAddress? XorAddress(ushort type) => Parse().TryGetXorAddress(type, out var address) ? address : null;

    public IReadOnlyList<ushort> UnknownAttributes
    {
        get
        {
            var list = new List<ushort>();
            if (Parse().TryGetAttribute(StunAttributeType.UnknownAttributes, out var value))
            {
                for (var i = 0; i + 1 < value.Length; i += 2)
                {
                    list.Add((ushort)((value[i] << 8) | value[i + 1]));
                }
            }
            return list;
        }
    }

    private StunMessageReader Parse()
    {
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(Raw, out var message));
        return message;
    }

    public override string ToString() => ErrorCode is { } code ? $"error {code}" : Class.ToString();
}
