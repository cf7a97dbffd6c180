using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay.Relay;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Benchmarks;

/// <summary>
/// The relay hot path per datagram, with real loopback sockets: a client's ChannelData or Send
/// indication arriving at the UDP listener and leaving the relay socket, and a peer's datagram
/// leaving as ChannelData or a Data indication. Allocated bytes must be 0. Each operation also
/// receives the relayed datagram at its destination, so no socket queue overflows (the kernel's
/// back-pressure would otherwise surface as exceptions that have nothing to do with the relay).
/// </summary>
[MemoryDiagnoser]
public class RelayPathBenchmarks
{
    private const ushort Channel = 0x4000;
    private readonly byte[] _channelData = new byte[4 + 200];
    private readonly byte[] _sendIndication = new byte[512];
    private readonly byte[] _peerBuffer = new byte[Allocation.Headroom + Allocation.MaxDatagram + 4];
    private readonly byte[] _drainBuffer = new byte[65536];
    private int _sendIndicationLength;
    private TurnServer _server = null!;
    private UdpListener _listener = null!;
    private Allocation _allocation = null!;
    private Socket _clientSink = null!;
    private Socket _peerSink = null!;
    private SocketAddress _clientAddress = null!;
    private SocketAddress _boundPeerAddress = null!;
    private SocketAddress _otherPeerAddress = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new TurnRelayOptions { Enabled = true, ListeningIp = "127.0.0.1", Port = 0, AllowLoopbackPeers = true, NoTls = true };
        options.Users["bench"] = "bench";
        _server = new TurnServer(Options.Create(options));
        _listener = new UdpListener(_server, new IPEndPoint(IPAddress.Loopback, 0));
        _clientSink = Bind();
        _peerSink = Bind();
        _clientAddress = ((IPEndPoint)_clientSink.LocalEndPoint!).Serialize();
        var relay = _server.RelayPlan.TryBind(AddressFamily.InterNetwork, false, out var relayed)!;
        _allocation = new Allocation(_server, _listener.CreateConnection(_clientAddress), "bench", new byte[16], relay, relayed,
            long.MaxValue / 2, 64, 0);
        _listener.Register(_allocation);
        var peer = StunTransportAddress.FromEndPoint((IPEndPoint)_peerSink.LocalEndPoint!);
        _allocation.BindChannel(Channel, peer, _server.Clock.NowMs);
        _boundPeerAddress = ((IPEndPoint)_peerSink.LocalEndPoint!).Serialize();
        // Same IP (so permitted) but another port: no channel, so it goes out as a Data indication.
        _otherPeerAddress = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)_peerSink.LocalEndPoint!).Port + 1).Serialize();

        ChannelDataFrame.WriteHeader(_channelData, Channel, 200);
        var builder = new StunMessageBuilder(_sendIndication, StunMethod.Send, StunClass.Indication, new byte[12]);
        builder.AddXorAddress(StunAttributeType.XorPeerAddress, peer);
        builder.AddAttribute(StunAttributeType.Data, new byte[200]);
        _sendIndicationLength = builder.Length;
    }

    [Benchmark]
    public int ClientChannelDataToPeer()
    {
        _listener.Process(_channelData, _clientAddress);
        return _peerSink.Receive(_drainBuffer);
    }

    [Benchmark]
    public int ClientSendIndicationToPeer()
    {
        _listener.Process(_sendIndication.AsSpan(0, _sendIndicationLength), _clientAddress);
        return _peerSink.Receive(_drainBuffer);
    }

    [Benchmark]
    public int PeerDatagramToClientAsChannelData()
    {
        _allocation.OnPeerDatagram(_peerBuffer, 200, _boundPeerAddress);
        return _clientSink.Receive(_drainBuffer);
    }

    [Benchmark]
    public int PeerDatagramToClientAsDataIndication()
    {
        _allocation.OnPeerDatagram(_peerBuffer, 200, _otherPeerAddress);
        return _clientSink.Receive(_drainBuffer);
    }

    public void Drain()
    {
        while (_clientSink.Available > 0)
        {
            _clientSink.Receive(_drainBuffer);
        }
        while (_peerSink.Available > 0)
        {
            _peerSink.Receive(_drainBuffer);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _allocation.Dispose();
        _listener.Dispose();
        _clientSink.Dispose();
        _peerSink.Dispose();
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
