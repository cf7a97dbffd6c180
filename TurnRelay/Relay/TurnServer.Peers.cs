using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>CreatePermission (RFC 8656 §9), ChannelBind (§12.2), Send indications (§11.2) and Binding (RFC 8489).</summary>
internal sealed partial class TurnServer
{
    private int HandleCreatePermission(in StunMessageReader request, in RequestContext context, Span<byte> response, in RequestCredentials credentials)
    {
        if (context.Allocation is not { } allocation)
        {
            return Error(request, response, StunErrorCode.AllocationMismatch, credentials);
        }
        // Check every XOR-PEER-ADDRESS before installing any (§9.2: all or nothing).
        var count = 0;
        foreach (var attribute in request.Attributes)
        {
            if (attribute.Type != StunAttributeType.XorPeerAddress)
            {
                continue;
            }
            if (!StunAddressCodec.TryReadXor(attribute.Value, request.TransactionId, out var peer))
            {
                return Error(request, response, StunErrorCode.BadRequest, credentials);
            }
            var refusal = CheckPeer(peer, allocation, context);
            if (refusal != 0)
            {
                return Error(request, response, refusal, credentials);
            }
            count++;
        }
        if (count == 0)
        {
            return Error(request, response, StunErrorCode.BadRequest, credentials);
        }
        var now = Clock.NowMs;
        foreach (var attribute in request.Attributes)
        {
            if (attribute.Type == StunAttributeType.XorPeerAddress
                && StunAddressCodec.TryReadXor(attribute.Value, request.TransactionId, out var peer)
                && !allocation.TryAddPermission(peer.AddressKey, now))
            {
                return Error(request, response, StunErrorCode.InsufficientCapacity, credentials);
            }
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.SuccessResponse, request.TransactionId);
        return Finish(ref builder, credentials);
    }

    private int HandleChannelBind(in StunMessageReader request, in RequestContext context, Span<byte> response, in RequestCredentials credentials)
    {
        if (context.Allocation is not { } allocation)
        {
            return Error(request, response, StunErrorCode.AllocationMismatch, credentials);
        }
        if (!request.TryGetAttribute(StunAttributeType.ChannelNumber, out var rawChannel) || rawChannel.Length != 4
            || !IsAcceptedChannel((rawChannel[0] << 8) | rawChannel[1])
            || !request.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer))
        {
            return Error(request, response, StunErrorCode.BadRequest, credentials);
        }
        var refusal = CheckPeer(peer, allocation, context);
        if (refusal != 0)
        {
            return Error(request, response, refusal, credentials);
        }
        var channel = (ushort)((rawChannel[0] << 8) | rawChannel[1]);
        switch (allocation.BindChannel(channel, peer, Clock.NowMs))
        {
            case Allocation.BindResult.Conflict:
                return Error(request, response, StunErrorCode.BadRequest, credentials);
            case Allocation.BindResult.PermissionQuota:
                return Error(request, response, StunErrorCode.InsufficientCapacity, credentials);
            default:
                var builder = new StunMessageBuilder(response, request.Method, StunClass.SuccessResponse, request.TransactionId);
                return Finish(ref builder, credentials);
        }
    }

    /// <summary>RFC 8656 §12: 0x4000–0x4FFF; RFC 5766 clients (coturn's) also use up to 0x7FFF when allowed.</summary>
    private bool IsAcceptedChannel(int channel) =>
        ChannelDataFrame.IsValidChannel(channel) || (Options.LegacyChannelNumbers && channel is >= 0x5000 and <= ChannelDataFrame.MaxLegacyChannel);

    /// <summary>0 when the peer may be relayed to; else 443 (family differs from the relay's) or 403 (policy).</summary>
    private int CheckPeer(in StunTransportAddress peer, Allocation allocation, in RequestContext context)
    {
        if (peer.Family != allocation.RelayFamily)
        {
            return StunErrorCode.PeerAddressFamilyMismatch;
        }
        if (!Policy.IsAllowed(peer))
        {
            TurnRelayLog.PeerRefused(Logger, peer.ToString(), context.Client.ToString());
            return StunErrorCode.Forbidden;
        }
        return 0;
    }

    /// <summary>§11.2: needs XOR-PEER-ADDRESS and DATA, and a permission; anything wrong is dropped silently.</summary>
    private void HandleSendIndication(in StunMessageReader message, Allocation allocation)
    {
        foreach (var attribute in message.Attributes)
        {
            if (!IsKnownAttribute(attribute.Type))
            {
                return;
            }
        }
        if (message.TryGetXorAddress(StunAttributeType.XorPeerAddress, out var peer)
            && message.TryGetAttribute(StunAttributeType.Data, out var data)
            && peer.Family == allocation.RelayFamily)
        {
            allocation.RelaySend(peer, data, Clock.NowMs);
        }
    }

    /// <summary>RFC 8489 §3: the reflexive address, as XOR-MAPPED-ADDRESS (and MAPPED-ADDRESS for RFC 3489 clients).</summary>
    private int HandleBinding(in StunMessageReader request, in RequestContext context, Span<byte> response, bool fingerprint)
    {
        var credentials = new RequestCredentials { Key = default, Fingerprint = fingerprint };
        if (HasUnknownAttributes(request, response, credentials, out var unknownLength))
        {
            return unknownLength;
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.SuccessResponse, request.TransactionId);
        builder.AddXorAddress(StunAttributeType.XorMappedAddress, context.Client);
        builder.AddMappedAddress(context.Client);
        return Finish(ref builder, credentials);
    }
}
