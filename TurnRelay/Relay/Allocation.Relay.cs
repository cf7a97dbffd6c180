using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>The relay paths: no allocation per datagram, no copies beyond the socket's own.</summary>
internal sealed partial class Allocation
{
    /// <summary>Room in front of a received peer datagram for a Data indication or ChannelData header.</summary>
    public const int Headroom = 64;

    /// <summary>Largest peer datagram relayed; larger ones are truncated by the socket and dropped.</summary>
    public const int MaxDatagram = 4096;

    private readonly byte[] _indicationPrefix = RandomNumberGenerator.GetBytes(8);
    private uint _indicationCounter;

    public async Task RunRelayLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(Headroom + MaxDatagram + 4, pinned: true);
        var memory = buffer.AsMemory(Headroom, MaxDatagram);
        var from = new SocketAddress(RelaySocket.AddressFamily);
        while (!IsDisposed)
        {
            int received;
            try
            {
                received = await RelaySocket.ReceiveFromAsync(memory, SocketFlags.None, from).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted || IsDisposed)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // truncated datagram, ICMP-reported errors: drop and go on
            }
            OnPeerDatagram(buffer, received, from);
        }
    }

    /// <summary>Id in the <see cref="RelayPoller"/>, when one drives this allocation.</summary>
    public int PollId { get; set; }

    /// <summary>Reads one ready datagram from the relay socket (the poller saw it readable) and relays it.</summary>
    public void ReceiveOnce(byte[] buffer, SocketAddress from)
    {
        int received;
        try
        {
            received = RelaySocket.ReceiveFrom(buffer.AsSpan(Headroom, MaxDatagram), SocketFlags.None, from);
        }
        catch (SocketException)
        {
            return; // would block (spurious wake-up), truncated datagram, ICMP-reported error
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        OnPeerDatagram(buffer, received, from);
    }

    /// <summary>
    /// A datagram from a peer (RFC 8656 §11.3): relayed only with a permission (and, for an address
    /// opened only for an allowed endpoint, from that port); as ChannelData if the peer has a channel
    /// (§12.7), else as a Data indication.
    /// </summary>
    internal void OnPeerDatagram(byte[] buffer, int length, SocketAddress from)
    {
        var peer = SocketAddressCodec.Read(from);
        var nowMs = _server.Clock.NowMs;
        ChannelBinding? channel;
        lock (_lock)
        {
            if (!_permissions.TryGetValue(peer.AddressKey, out var expires) || expires <= nowMs
                || !_server.Policy.PermitsDatagram(peer))
            {
                _server.Metrics.Dropped();
                return;
            }
            if (_channelsByPeer.TryGetValue(peer, out channel) && channel.ExpiresAtMs <= nowMs)
            {
                channel = null;
            }
        }
        if (!Bandwidth.TryConsume(length, nowMs))
        {
            _server.Metrics.Dropped();
            return;
        }
        var span = buffer.AsSpan();
        int start, total;
        if (channel is not null)
        {
            start = Headroom - ChannelDataFrame.HeaderLength;
            ChannelDataFrame.WriteHeader(span[start..], channel.Number, length);
            total = ChannelDataFrame.HeaderLength + length;
            if (Client.IsStream)
            {
                var pad = (4 - (total & 3)) & 3;
                span.Slice(Headroom + length, pad).Clear();
                total += pad;
            }
        }
        else
        {
            start = WriteDataIndicationHeader(span, peer, length, out total);
        }
        _server.Metrics.Relayed(length); // before sending, so a test that saw the datagram sees the count
        Client.Send(span.Slice(start, total));
    }

    /// <summary>
    /// Data indication (RFC 8656 §11.4) built backwards in front of the payload:
    /// header (20) | XOR-PEER-ADDRESS (4 + 8 or 20) | DATA header (4) | payload | zero padding.
    /// </summary>
    private int WriteDataIndicationHeader(Span<byte> buffer, in StunTransportAddress peer, int length, out int total)
    {
        var addressLength = StunAddressCodec.GetXorLength(peer);
        var start = Headroom - (StunMessageReader.HeaderLength + 4 + addressLength + 4);
        var message = buffer[start..];
        var pad = (4 - (length & 3)) & 3;
        total = StunMessageReader.HeaderLength + 4 + addressLength + 4 + length + pad;
        BinaryPrimitives.WriteUInt16BigEndian(message, StunMessageType.Encode(StunMethod.Data, StunClass.Indication));
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)(total - StunMessageReader.HeaderLength));
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], StunMessageReader.MagicCookie);
        _indicationPrefix.CopyTo(message[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(message[16..], Interlocked.Increment(ref _indicationCounter));
        BinaryPrimitives.WriteUInt16BigEndian(message[20..], StunAttributeType.XorPeerAddress);
        BinaryPrimitives.WriteUInt16BigEndian(message[22..], (ushort)addressLength);
        StunAddressCodec.WriteXor(message[24..], peer, message.Slice(8, 12));
        var data = 24 + addressLength;
        BinaryPrimitives.WriteUInt16BigEndian(message[data..], StunAttributeType.Data);
        BinaryPrimitives.WriteUInt16BigEndian(message[(data + 2)..], (ushort)length);
        message.Slice(data + 4 + length, pad).Clear();
        return start;
    }

    /// <summary>ChannelData from the client (RFC 8656 §12.6): relayed if the channel is bound and its permission alive.</summary>
    public void RelayChannelData(ushort number, ReadOnlySpan<byte> payload, long nowMs)
    {
        ChannelBinding? binding;
        lock (_lock)
        {
            binding = _channelsByNumber[number - ChannelDataFrame.MinChannel];
            if (binding is null || binding.ExpiresAtMs <= nowMs
                || !_permissions.TryGetValue(binding.Peer.AddressKey, out var expires) || expires <= nowMs)
            {
                binding = null;
            }
        }
        if (binding is null)
        {
            _server.Metrics.Dropped();
            return;
        }
        SendToPeer(payload, binding.PeerSocketAddress, nowMs);
    }

    /// <summary>Send indication (RFC 8656 §11.2): relayed only with a permission for the peer's address (and port, see <see cref="PeerPolicy.PermitsDatagram"/>).</summary>
    public void RelaySend(in StunTransportAddress peer, ReadOnlySpan<byte> data, long nowMs)
    {
        SocketAddress? target;
        lock (_lock)
        {
            if (!_permissions.TryGetValue(peer.AddressKey, out var expires) || expires <= nowMs
                || !_server.Policy.PermitsDatagram(peer))
            {
                target = null;
            }
            else if (!_peerCache.TryGetValue(peer, out target))
            {
                target = SocketAddressCodec.Create(peer);
                if (_peerCache.Count < PeerCacheLimit)
                {
                    _peerCache[peer] = target;
                }
            }
        }
        if (target is null)
        {
            _server.Metrics.Dropped();
            return;
        }
        SendToPeer(data, target, nowMs);
    }

    private void SendToPeer(ReadOnlySpan<byte> payload, SocketAddress target, long nowMs)
    {
        if (!Bandwidth.TryConsume(payload.Length, nowMs))
        {
            _server.Metrics.Dropped();
            return;
        }
        _server.Metrics.Relayed(payload.Length);
        try
        {
            RelaySocket.SendTo(payload, SocketFlags.None, target);
        }
        catch (SocketException)
        {
            _server.Metrics.Dropped();
        }
        catch (ObjectDisposedException)
        {
            _server.Metrics.Dropped();
        }
    }
}
