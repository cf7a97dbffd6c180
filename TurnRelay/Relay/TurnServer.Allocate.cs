using System.Net.Sockets;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>Allocate (RFC 8656 §7.2) and Refresh (§7.4).</summary>
internal sealed partial class TurnServer
{
    private const byte TransportUdp = 17;

    private int HandleAllocate(in StunMessageReader request, in RequestContext context, Span<byte> response, in RequestCredentials credentials)
    {
        if (context.Allocation is { } existing)
        {
            // A retransmitted Allocate gets the same success answer; anything else is a mismatch (§7.2 step 2).
            return request.TransactionId.SequenceEqual(existing.AllocateTransactionId)
                && string.Equals(existing.Username, credentials.Username, StringComparison.Ordinal)
                ? AllocateSuccess(request, context, response, credentials, existing)
                : Error(request, response, StunErrorCode.AllocationMismatch, credentials);
        }
        if (!request.TryGetAttribute(StunAttributeType.RequestedTransport, out var transport) || transport.Length != 4)
        {
            return Error(request, response, StunErrorCode.BadRequest, credentials);
        }
        if (transport[0] != TransportUdp)
        {
            return Error(request, response, StunErrorCode.UnsupportedTransportProtocol, credentials);
        }
        var hasToken = request.TryGetAttribute(StunAttributeType.ReservationToken, out var token);
        var evenPort = request.TryGetAttribute(StunAttributeType.EvenPort, out var even) && even.Length >= 1;
        var reserveNext = evenPort && (even[0] & 0x80) != 0;
        if (hasToken && (evenPort || request.HasAttribute(StunAttributeType.RequestedAddressFamily) || token.Length != 8))
        {
            return Error(request, response, StunErrorCode.BadRequest, credentials); // §7.2 steps 4-5
        }
        var family = context.Source.LocalAddress.IsIPv4 || !RelayPlan.Supports(AddressFamily.InterNetworkV6)
            ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (request.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var requested))
        {
            // RFC 6156 §4.1 / RFC 8656 §18.8: 0x01 IPv4, 0x02 IPv6.
            if (requested.Length != 4 || requested[0] is not (StunAddressCodec.FamilyIPv4 or StunAddressCodec.FamilyIPv6))
            {
                return Error(request, response, StunErrorCode.AddressFamilyNotSupported, credentials);
            }
            family = requested[0] == StunAddressCodec.FamilyIPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        }
        if (!RelayPlan.Supports(family))
        {
            return Error(request, response, StunErrorCode.AddressFamilyNotSupported, credentials);
        }
        var quota = TryReserveQuota(credentials.Username);
        if (quota != 0)
        {
            return Error(request, response, quota, credentials);
        }
        Socket? socket;
        Socket? reserved = null;
        StunTransportAddress relayed = default;
        if (hasToken)
        {
            // §7.2 step 5: the port reserved by an earlier EVEN-PORT R=1 allocation, or 508.
            socket = Reservations.Take(token, Clock.NowMs);
            if (socket is not null)
            {
                relayed = RelayPlan.Advertise(socket);
            }
        }
        else
        {
            socket = RelayPlan.TryBind(family, evenPort, reserveNext, out relayed, out reserved);
        }
        if (socket is null)
        {
            ReleaseQuota(credentials.Username);
            return Error(request, response, StunErrorCode.InsufficientCapacity, credentials);
        }
        var reservationToken = reserved is null ? null : Reservations.Add(reserved, Clock.NowMs);
        var lifetime = ChooseLifetime(request);
        var connection = context.Source.CreateConnection(context.UdpRemote);
        var allocation = new Allocation(this, connection, credentials.Username, credentials.Key.ToArray(), socket, relayed,
            Clock.NowMs + (lifetime * 1000L), Options.MaxPermissionsPerAllocation, Options.MaxBps)
        {
            AllocateTransactionId = request.TransactionId.ToArray(),
            ReservationToken = reservationToken,
        };
        _allocations[allocation] = 0;
        context.Source.Register(allocation);
        Metrics.AllocationCreated();
        if (Poller is null || !Poller.Add(allocation))
        {
            _ = Task.Run(allocation.RunRelayLoopAsync, CancellationToken.None);
        }
        TurnRelayLog.AllocationCreated(Logger, relayed.ToString(), context.Client.ToString(), connection.Kind.ToString(), lifetime);
        return AllocateSuccess(request, context, response, credentials, allocation);
    }

    private int AllocateSuccess(in StunMessageReader request, in RequestContext context, Span<byte> response, in RequestCredentials credentials, Allocation allocation)
    {
        var builder = new StunMessageBuilder(response, request.Method, StunClass.SuccessResponse, request.TransactionId);
        builder.AddXorAddress(StunAttributeType.XorRelayedAddress, allocation.RelayedAddress);
        var remaining = Math.Max(0, (allocation.ExpiresAtMs - Clock.NowMs + 999) / 1000); // rounded up: a fresh one reads 600, not 599
        builder.AddUInt32(StunAttributeType.Lifetime, (uint)remaining);
        if (allocation.ReservationToken is { } token)
        {
            builder.AddAttribute(StunAttributeType.ReservationToken, token);
        }
        builder.AddXorAddress(StunAttributeType.XorMappedAddress, context.Client);
        return Finish(ref builder, credentials);
    }

    /// <summary>§7.2: the requested LIFETIME capped at the maximum; the default when absent or smaller.</summary>
    private int ChooseLifetime(in StunMessageReader request)
    {
        var lifetime = Options.DefaultAllocateLifetime;
        if (request.TryGetUInt32(StunAttributeType.Lifetime, out var asked))
        {
            lifetime = (int)Math.Clamp(asked, (uint)Options.DefaultAllocateLifetime, (uint)Options.MaxAllocateLifetime);
        }
        return Math.Min(lifetime, Options.MaxAllocateLifetime);
    }

    /// <summary>§7.4: LIFETIME 0 deletes the allocation; otherwise it is extended.</summary>
    private int HandleRefresh(in StunMessageReader request, in RequestContext context, Span<byte> response, in RequestCredentials credentials)
    {
        if (context.Allocation is not { } allocation)
        {
            return Error(request, response, StunErrorCode.AllocationMismatch, credentials);
        }
        if (request.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out var requested) && requested.Length == 4
            && (requested[0] == StunAddressCodec.FamilyIPv4) != (allocation.RelayFamily == AddressFamily.InterNetwork))
        {
            return Error(request, response, StunErrorCode.PeerAddressFamilyMismatch, credentials);
        }
        uint lifetime;
        if (request.TryGetUInt32(StunAttributeType.Lifetime, out var asked) && asked == 0)
        {
            lifetime = 0;
            TurnRelayLog.AllocationClosed(Logger, allocation.RelayedAddress.ToString(), "refresh with lifetime 0");
            allocation.Dispose();
        }
        else
        {
            lifetime = (uint)ChooseLifetime(request);
            allocation.ExpiresAtMs = Clock.NowMs + (lifetime * 1000L);
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.SuccessResponse, request.TransactionId);
        builder.AddUInt32(StunAttributeType.Lifetime, lifetime);
        return Finish(ref builder, credentials);
    }
}
