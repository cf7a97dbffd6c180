using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Tests.Support;

/// <summary>A minimal TURN-over-TCP client: framing by STUN length or padded ChannelData length.</summary>
internal sealed class TestTcpClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly string _user;
    private readonly string _realm;
    private readonly byte[] _key = new byte[16];
    private string? _nonce;

    private TestTcpClient(TcpClient tcp, Stream stream, string user, string password, string realm)
    {
        _tcp = tcp;
        _stream = stream;
        _user = user;
        _realm = realm;
        StunIntegrity.ComputeLongTermKey(user, realm, password, _key);
    }

    public static async Task<TestTcpClient> ConnectAsync(IPEndPoint server, string user, string password, string realm)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(server);
        return new TestTcpClient(tcp, tcp.GetStream(), user, password, realm);
    }

    /// <summary>TURN over TLS (RFC 8656 §3.1), trusting the test's self-signed certificate.</summary>
    public static async Task<TestTcpClient> ConnectTlsAsync(IPEndPoint server, string user, string password, string realm)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(server);
#pragma warning disable CA5359 // The test server's certificate is self-signed on purpose.
        var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync("localhost");
        return new TestTcpClient(tcp, tls, user, password, realm);
    }

    public Task<TestResponse> AllocateAsync() =>
        RequestAsync(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24));

    public Task<TestResponse> ChannelBindAsync(ushort channel, IPEndPoint peer) =>
        RequestAsync(StunMethod.ChannelBind, (ref StunMessageBuilder b) =>
        {
            b.AddUInt32(StunAttributeType.ChannelNumber, (uint)channel << 16);
            b.AddXorAddress(StunAttributeType.XorPeerAddress, StunTransportAddress.FromEndPoint(peer));
        });

    public async Task<TestResponse> RequestAsync(ushort method, AttributeWriter? attributes)
    {
        var response = await ExchangeAsync(method, attributes);
        if (response.ErrorCode is StunErrorCode.Unauthorized or StunErrorCode.StaleNonce)
        {
            _nonce = response.Nonce;
            response = await ExchangeAsync(method, attributes);
        }
        return response;
    }

    public async Task SendChannelDataAsync(ushort channel, byte[] data)
    {
        var frame = new byte[(4 + data.Length + 3) & ~3];
        ChannelDataFrame.WriteHeader(frame, channel, data.Length);
        data.CopyTo(frame, 4);
        await _stream.WriteAsync(frame);
    }

    public async Task WriteRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads one frame (STUN or padded ChannelData), bounded by a 5 s timeout.</summary>
    public async Task<byte[]> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var head = new byte[4];
        await _stream.ReadExactlyAsync(head, timeout.Token);
        var length = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(2));
        var total = (head[0] & 0xC0) == 0x40 ? (4 + length + 3) & ~3 : 20 + length;
        var frame = new byte[total];
        head.CopyTo(frame, 0);
        await _stream.ReadExactlyAsync(frame.AsMemory(4), timeout.Token);
        return frame;
    }

    public async Task<bool> IsClosedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await _stream.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<TestResponse> ExchangeAsync(ushort method, AttributeWriter? attributes)
    {
        var transactionId = RandomNumberGenerator.GetBytes(12);
        var request = Build(method, attributes, transactionId);
        await _stream.WriteAsync(request);
        while (true)
        {
            var frame = await ReadFrameAsync();
            if (StunMessageReader.TryParse(frame, out var message) == StunParseResult.Ok && message.TransactionId.SequenceEqual(transactionId))
            {
                return new TestResponse(frame, _key);
            }
        }
    }

    private byte[] Build(ushort method, AttributeWriter? attributes, byte[] transactionId)
    {
        var buffer = new byte[1024];
        var builder = new StunMessageBuilder(buffer, method, StunClass.Request, transactionId);
        attributes?.Invoke(ref builder);
        if (_nonce is not null)
        {
            builder.AddString(StunAttributeType.Username, _user);
            builder.AddString(StunAttributeType.Realm, _realm);
            builder.AddString(StunAttributeType.Nonce, _nonce);
            builder.AddMessageIntegrity(_key);
        }
        return builder.Written.ToArray();
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
