using System.Net;
using Ticker.TurnRelay.Stun;

namespace Ticker.PushHub.WebRtc.Ice;

/// <summary>Binding responses (RFC 8489 §6.3, RFC 8445 §7.3.1), written into the caller's span.</summary>
public sealed partial class IceLiteAgent
{
    /// <summary>RFC 8445 §7.3.1.1 / §20.3: ERROR-CODE 487.</summary>
    internal const int RoleConflict = 487;

    /// <summary>At most this many types are listed in UNKNOWN-ATTRIBUTES, to bound the response.</summary>
    private const int MaxUnknownListed = 8;

    /// <summary>Attributes of a check this agent understands (RFC 8489 §18.3, RFC 8445 §16.1).</summary>
    private static bool IsKnown(ushort type) => type is StunAttributeType.Username or StunAttributeType.MessageIntegrity
        or StunAttributeType.MessageIntegritySha256 or StunAttributeType.Priority or StunAttributeType.UseCandidate;

    /// <summary>
    /// Success: XOR-MAPPED-ADDRESS of the source (RFC 8445 §7.3.1.2), MESSAGE-INTEGRITY with the local
    /// password, FINGERPRINT (§7.2.2). A source in IPv4-mapped form (dual-stack socket) is reported as IPv4.
    /// </summary>
    private int WriteSuccess(in StunMessageReader request, IPEndPoint source, Span<byte> response)
    {
        var address = source.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(source.Address.MapToIPv4(), source.Port) : source;
        var builder = new StunMessageBuilder(response, StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
        builder.AddXorAddress(StunAttributeType.XorMappedAddress, StunTransportAddress.FromEndPoint(address));
        builder.AddMessageIntegrity(_key);
        builder.AddFingerprint();
        return builder.Length;
    }

    /// <summary>
    /// Error response. RFC 8489 §9.1.4: 400/401 to an unauthenticated request carry no
    /// MESSAGE-INTEGRITY (the key is not shared yet); after authentication they do.
    /// </summary>
    private int WriteError(in StunMessageReader request, Span<byte> response, int code, bool authenticated)
    {
        var builder = new StunMessageBuilder(response, request.Method, StunClass.ErrorResponse, request.TransactionId);
        builder.AddErrorCode(code, code == RoleConflict ? "Role Conflict" : null);
        return Finish(ref builder, authenticated);
    }

    /// <summary>420 with UNKNOWN-ATTRIBUTES (RFC 8489 §14.9) when the request has any; else 0.</summary>
    private int WriteUnknownAttributesError(in StunMessageReader request, Span<byte> response)
    {
        Span<ushort> unknown = stackalloc ushort[MaxUnknownListed];
        var count = 0;
        foreach (var attribute in request.Attributes)
        {
            if (StunAttributeType.IsComprehensionRequired(attribute.Type) && !IsKnown(attribute.Type)
                && count < MaxUnknownListed && !unknown[..count].Contains(attribute.Type))
            {
                unknown[count++] = attribute.Type;
            }
        }
        if (count == 0)
        {
            return 0;
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.ErrorResponse, request.TransactionId);
        builder.AddErrorCode(StunErrorCode.UnknownAttribute);
        builder.AddUnknownAttributes(unknown[..count]);
        return Finish(ref builder, authenticated: true);
    }

    private int Finish(ref StunMessageBuilder builder, bool authenticated)
    {
        if (authenticated)
        {
            builder.AddMessageIntegrity(_key);
        }
        builder.AddFingerprint();
        return builder.Length;
    }
}
