using System.Buffers.Binary;

namespace Ticker.PushHub.WebRtc.Sctp;

/// <summary>Association set-up (RFC 4960 §5.1) and the peer-driven shutdown (§9.2).</summary>
internal sealed partial class SctpAssociation
{
    private const ushort StreamCount = 65535;
    private readonly List<byte> _unrecognized = [];
    private uint _localInitialTsn;
    private byte[]? _cookieEcho;
    private int _initRetransmissions;

    /// <summary>Active open (test/client role): INIT with tag 0 and our Initiate Tag, T1-init running.</summary>
    public void Connect(TimeSpan now)
    {
        _now = now;
        if (State != AssociationState.Listen)
        {
            return;
        }

        _localTag = RandomNonZero();
        _localInitialTsn = RandomNonZero();
        State = AssociationState.CookieWait;
        SendInit();
        _t1Deadline = now + _rto.Rto;
    }

    private void SendInit()
    {
        _writer.Begin(_port, _peerPort, 0);
        var value = _writer.BeginChunk(ChunkType.Init, 0);
        var info = LocalInitInfo();
        _writer.EndChunk(InitChunk.Write(value, info, default, default));
        _readyPackets.Enqueue(_writer.ToArray());
    }

    private InitInfo LocalInitInfo() => new()
    {
        InitiateTag = _localTag,
        ReceiverWindow = (uint)ReceiveCapacity,
        OutboundStreams = StreamCount,
        InboundStreams = StreamCount,
        InitialTsn = _localInitialTsn,
    };

    /// <summary>
    /// §5.1 B / §5.2.1: answer INIT with INIT-ACK and a MAC'd cookie; nothing is kept. While our own
    /// INIT is outstanding (collision) the INIT-ACK reuses our tag and TSN so either cookie works.
    /// </summary>
    private void HandleInit(in Chunk chunk)
    {
        _unrecognized.Clear();
        if (!InitChunk.TryParse(chunk.Value, out var peer, _unrecognized)
            || peer.InitiateTag == 0 || peer.OutboundStreams == 0 || peer.InboundStreams == 0)
        {
            _counters.MalformedChunks++;
            return;
        }

        var activeSide = State is AssociationState.CookieWait or AssociationState.CookieEchoed;
        var tag = activeSide ? _localTag : RandomNonZero();
        var tsn = activeSide ? _localInitialTsn : RandomNonZero();
        Span<byte> cookie = stackalloc byte[StateCookie.Length];
        _cookie.Write(cookie, tag, tsn, peer, _now);

        var info = new InitInfo
        {
            InitiateTag = tag,
            ReceiverWindow = (uint)ReceiveCapacity,
            OutboundStreams = StreamCount,
            InboundStreams = StreamCount,
            InitialTsn = tsn,
        };
        _writer.Begin(_port, _peerPort, peer.InitiateTag);
        var fixedPart = SctpPacketReader.ChunkHeaderLength + InitChunk.FixedLength + 12 + ((4 + StateCookie.Length + 3) & ~3);
        var extra = fixedPart + _unrecognized.Count <= _writer.Remaining ? _unrecognized.ToArray() : [];
        var value = _writer.BeginChunk(ChunkType.InitAck, 0);
        _writer.EndChunk(InitChunk.Write(value, info, cookie, extra));
        _readyPackets.Enqueue(_writer.ToArray());
    }

    private void HandleInitAck(in Chunk chunk)
    {
        if (State != AssociationState.CookieWait)
        {
            return;
        }

        _unrecognized.Clear();
        if (!InitChunk.TryParse(chunk.Value, out var peer, _unrecognized) || peer.InitiateTag == 0 || peer.CookieLength == 0)
        {
            _counters.MalformedChunks++;
            return;
        }

        _cookieEcho = chunk.Value.Slice(peer.CookieOffset, peer.CookieLength).ToArray();
        SetPeer(peer);
        State = AssociationState.CookieEchoed;
        _initRetransmissions = 0;
        SendCookieEcho();
        _t1Deadline = _now + _rto.Rto;
    }

    private void SendCookieEcho()
    {
        _writer.Begin(_port, _peerPort, _peerTag);
        _writer.TryAppend(ChunkType.CookieEcho, 0, _cookieEcho);
        if (_unrecognized.Count > 0)
        {
            // §3.2.1: parameters of INIT-ACK we must report go back in an ERROR bundled with COOKIE-ECHO.
            // Each entry is an Unrecognized Parameters cause (8) wrapping one parameter.
            var causes = _unrecognized.ToArray();
            _writer.TryAppend(ChunkType.Error, 0, causes);
        }

        _readyPackets.Enqueue(_writer.ToArray());
    }

    /// <summary>§5.1 D and §5.1.5: verify MAC, lifetime and the packet's tag against the cookie.</summary>
    private bool HandleCookieEcho(in Chunk chunk, uint packetTag)
    {
        var result = _cookie.TryRead(chunk.Value, _now, out var contents);
        if (result != CookieResult.Valid || packetTag != contents.LocalTag)
        {
            _counters.CookiesRejected++;
            return false;
        }

        if (State == AssociationState.Established)
        {
            // A retransmitted COOKIE-ECHO (our COOKIE-ACK was lost): acknowledge again; no restart.
            if (contents.LocalTag == _localTag && contents.Peer.InitiateTag == _peerTag)
            {
                _control.Enqueue(new ControlChunk(ChunkType.CookieAck, 0, []));
                return true;
            }

            _counters.CookiesRejected++;
            return false;
        }

        if (State is AssociationState.CookieWait or AssociationState.CookieEchoed && contents.LocalTag != _localTag)
        {
            _counters.CookiesRejected++;
            return false;
        }

        _localTag = contents.LocalTag;
        _localInitialTsn = contents.LocalInitialTsn;
        SetPeer(contents.Peer);
        _control.Enqueue(new ControlChunk(ChunkType.CookieAck, 0, []));
        Establish();
        return true;
    }

    private void HandleCookieAck()
    {
        if (State == AssociationState.CookieEchoed)
        {
            Establish();
        }
    }

    private void SetPeer(in InitInfo peer)
    {
        _peerTag = peer.InitiateTag;
        _receive = new ReceiveTracker(peer.InitialTsn);
        _peerReconfigSeqExpected = peer.InitialTsn;
        _peerRwnd = peer.ReceiverWindow;
        _congestion = new CongestionControl(MaxPacketBytes, peer.ReceiverWindow);
        _peerInboundStreams = peer.InboundStreams;
    }

    private void Establish()
    {
        _nextTsn = _localInitialTsn;
        _cumAckPoint = _localInitialTsn - 1;
        _advancedPeerAckPoint = _cumAckPoint;
        _reconfigRequestSeq = _localInitialTsn;
        _t1Deadline = null;
        State = AssociationState.Established;
        _handler.OnEstablished();
    }

    /// <summary>§9.2, simplified: acknowledge at once (outstanding data is given up) and close.</summary>
    private void HandleShutdown()
    {
        if (State != AssociationState.Established)
        {
            return;
        }

        _writer.Begin(_port, _peerPort, _peerTag);
        _writer.TryAppend(ChunkType.ShutdownAck, 0, default);
        _readyPackets.Enqueue(_writer.ToArray());
        Close("peer shut down");
    }

    private void HandleShutdownAck()
    {
        if (State == AssociationState.Listen)
        {
            return;
        }

        // §9.2: SHUTDOWN-COMPLETE with our tag.
        _writer.Begin(_port, _peerPort, _peerTag);
        _writer.TryAppend(ChunkType.ShutdownComplete, 0, default);
        _readyPackets.Enqueue(_writer.ToArray());
        Close("shutdown acknowledged");
    }
}
