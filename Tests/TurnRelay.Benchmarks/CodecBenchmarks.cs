using System.Net;
using BenchmarkDotNet.Attributes;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Benchmarks;

/// <summary>The STUN codec: parsing, integrity and fingerprint checks, building a signed response.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _key = new byte[16];
    private readonly byte[] _request = new byte[512];
    private readonly byte[] _response = new byte[512];
    private readonly byte[] _transactionId = new byte[12];
    private int _requestLength;
    private StunTransportAddress _address;

    [GlobalSetup]
    public void Setup()
    {
        StunIntegrity.ComputeLongTermKey("alice", "ticker", "password", _key);
        var builder = new StunMessageBuilder(_request, StunMethod.ChannelBind, StunClass.Request, _transactionId);
        builder.AddUInt32(StunAttributeType.ChannelNumber, 0x40000000);
        _address = StunTransportAddress.FromEndPoint(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000));
        builder.AddXorAddress(StunAttributeType.XorPeerAddress, _address);
        builder.AddString(StunAttributeType.Username, "alice");
        builder.AddString(StunAttributeType.Realm, "ticker");
        builder.AddString(StunAttributeType.Nonce, "0000019a7c3e2f1b9f8e7d6c5b4a3f2e");
        builder.AddMessageIntegrity(_key);
        builder.AddFingerprint();
        _requestLength = builder.Length;
    }

    [Benchmark]
    public int ParseAndReadAttributes()
    {
        StunMessageReader.TryParse(_request.AsSpan(0, _requestLength), out var message);
        message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer);
        message.TryGetUInt32(StunAttributeType.ChannelNumber, out var channel);
        return peer.Port + (int)channel;
    }

    [Benchmark]
    public bool ParseAndVerifyIntegrityAndFingerprint()
    {
        StunMessageReader.TryParse(_request.AsSpan(0, _requestLength), out var message);
        return StunIntegrity.Verify(message, _key) && StunFingerprint.Verify(message);
    }

    [Benchmark]
    public int BuildSignedResponse()
    {
        var builder = new StunMessageBuilder(_response, StunMethod.Allocate, StunClass.SuccessResponse, _transactionId);
        builder.AddXorAddress(StunAttributeType.XorRelayedAddress, _address);
        builder.AddUInt32(StunAttributeType.Lifetime, 600);
        builder.AddXorAddress(StunAttributeType.XorMappedAddress, _address);
        builder.AddMessageIntegrity(_key);
        builder.AddFingerprint();
        return builder.Length;
    }
}
