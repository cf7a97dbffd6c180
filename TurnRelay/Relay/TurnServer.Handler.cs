using System.Net;
using Ticker.TurnRelay.Stun;

namespace Ticker.TurnRelay.Relay;

/// <summary>Message dispatch, authentication (RFC 8489 §9.2.4) and response helpers.</summary>
internal sealed partial class TurnServer
{
    private const int MaxResponseLength = 1024;

    /// <summary>What the handlers need to know about where a request came from.</summary>
    private readonly ref struct RequestContext(IRequestSource source, SocketAddress? udpRemote, StunTransportAddress client, Allocation? allocation)
    {
        public IRequestSource Source { get; } = source;

        public SocketAddress? UdpRemote { get; } = udpRemote;

        public StunTransportAddress Client { get; } = client;

        public Allocation? Allocation { get; } = allocation;
    }

    /// <summary>The authenticated user of a request and the key its integrity was checked with.</summary>
    private ref struct RequestCredentials
    {
        public string Username;
        public Span<byte> Key;
        public bool Sha256;
        public bool Fingerprint;
    }

    /// <summary>Handles one STUN message from a client. Malformed input is dropped silently (RFC 8489 §6.3).</summary>
    internal void HandleStun(ReadOnlySpan<byte> data, IRequestSource source, SocketAddress? udpRemote, StunTransportAddress client, Allocation? allocation)
    {
        if (StunMessageReader.TryParse(data, out var message) != StunParseResult.Ok)
        {
            return;
        }
        if (message.FingerprintOffset >= 0 && !StunFingerprint.Verify(message))
        {
            return;
        }
        if (allocation is { IsDisposed: true })
        {
            allocation = null;
        }
        switch (message.Class)
        {
            case StunClass.Indication when message.Method == StunMethod.Send && allocation is not null:
                HandleSendIndication(message, allocation);
                return;
            case StunClass.Request:
                break;
            default:
                return;
        }
        Span<byte> response = stackalloc byte[MaxResponseLength];
        var context = new RequestContext(source, udpRemote, client, allocation);
        var length = HandleRequest(message, context, response);
        if (length > 0)
        {
            source.Respond(response[..length], udpRemote);
        }
    }

    private int HandleRequest(in StunMessageReader request, in RequestContext context, Span<byte> response)
    {
        var fingerprint = request.FingerprintOffset >= 0 || Options.Fingerprint;
        if (request.Method == StunMethod.Binding)
        {
            return HandleBinding(request, context, response, fingerprint);
        }
        if (request.Method is not (StunMethod.Allocate or StunMethod.Refresh or StunMethod.CreatePermission or StunMethod.ChannelBind))
        {
            return Error(request, response, StunErrorCode.BadRequest, fingerprint);
        }
        Span<byte> key = stackalloc byte[StunIntegrity.LongTermKeyLength];
        var credentials = new RequestCredentials { Key = key, Fingerprint = fingerprint };
        var refusal = Authenticate(request, context, response, ref credentials);
        if (refusal >= 0)
        {
            return refusal;
        }
        if (HasUnknownAttributes(request, response, credentials, out var unknownLength))
        {
            return unknownLength;
        }
        if (context.Allocation is { } existing && request.Method != StunMethod.Allocate
            && !string.Equals(existing.Username, credentials.Username, StringComparison.Ordinal))
        {
            return Error(request, response, StunErrorCode.WrongCredentials, credentials);
        }
        return request.Method switch
        {
            StunMethod.Allocate => HandleAllocate(request, context, response, credentials),
            StunMethod.Refresh => HandleRefresh(request, context, response, credentials),
            StunMethod.CreatePermission => HandleCreatePermission(request, context, response, credentials),
            _ => HandleChannelBind(request, context, response, credentials),
        };
    }

    /// <summary>
    /// RFC 8489 §9.2.4: no integrity → 401 with REALM and NONCE; missing USERNAME/REALM/NONCE → 400;
    /// a bad or old nonce → 438; unknown user or wrong integrity → 401. Returns -1 when authenticated,
    /// else the length of the response to send (0: send nothing, rate limited).
    /// </summary>
    private int Authenticate(in StunMessageReader request, in RequestContext context, Span<byte> response, ref RequestCredentials credentials)
    {
        if (!request.HasMessageIntegrity)
        {
            return Challenge(request, context, response, StunErrorCode.Unauthorized, credentials.Fingerprint);
        }
        if (!request.TryGetAttribute(StunAttributeType.Username, out var rawUsername)
            || !request.TryGetAttribute(StunAttributeType.Realm, out _)
            || !request.TryGetAttribute(StunAttributeType.Nonce, out var nonce))
        {
            return Error(request, response, StunErrorCode.BadRequest, credentials.Fingerprint);
        }
        if (Nonces.Validate(nonce, context.Client.AddressKey) != NonceService.Check.Valid)
        {
            return Challenge(request, context, response, StunErrorCode.StaleNonce, credentials.Fingerprint);
        }
        if (!CredentialStore.TryDecodeUsername(rawUsername, out var username)
            || !Credentials.TryGetKey(username, credentials.Key)
            || !StunIntegrity.Verify(request, credentials.Key))
        {
            Metrics.AuthFailed();
            return Challenge(request, context, response, StunErrorCode.Unauthorized, credentials.Fingerprint);
        }
        credentials.Username = username;
        credentials.Sha256 = request.MessageIntegrityOffset < 0;
        return -1;
    }

    /// <summary>401 or 438 with REALM and a fresh NONCE; rate limited per source, since it answers anyone.</summary>
    private int Challenge(in StunMessageReader request, in RequestContext context, Span<byte> response, int code, bool fingerprint)
    {
        if (code == StunErrorCode.Unauthorized && request.HasMessageIntegrity)
        {
            Metrics.AuthFailed();
        }
        if (!RateLimiter.TryAcquire(context.Client.AddressKey))
        {
            return 0;
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.ErrorResponse, request.TransactionId);
        builder.AddErrorCode(code);
        builder.AddString(StunAttributeType.Realm, Credentials.Realm);
        builder.AddString(StunAttributeType.Nonce, Nonces.Create(context.Client.AddressKey));
        AddSoftware(ref builder);
        if (fingerprint)
        {
            builder.AddFingerprint();
        }
        TurnRelayLog.Refused(Logger, request.Method, context.Client.ToString(), code);
        return builder.Length;
    }

    private static bool IsKnownAttribute(ushort type) => type switch
    {
        StunAttributeType.MappedAddress or StunAttributeType.Username or StunAttributeType.MessageIntegrity
            or StunAttributeType.ErrorCode or StunAttributeType.UnknownAttributes or StunAttributeType.ChannelNumber
            or StunAttributeType.Lifetime or StunAttributeType.XorPeerAddress or StunAttributeType.Data
            or StunAttributeType.Realm or StunAttributeType.Nonce or StunAttributeType.XorRelayedAddress
            or StunAttributeType.RequestedAddressFamily or StunAttributeType.EvenPort or StunAttributeType.RequestedTransport
            or StunAttributeType.DontFragment or StunAttributeType.MessageIntegritySha256 or StunAttributeType.PasswordAlgorithm
            or StunAttributeType.XorMappedAddress or StunAttributeType.ReservationToken or StunAttributeType.Priority
            or StunAttributeType.UseCandidate => true,
        _ => !StunAttributeType.IsComprehensionRequired(type),
    };

    /// <summary>RFC 8489 §6.3.1.1: unknown comprehension-required attributes → 420 listing them.</summary>
    private bool HasUnknownAttributes(in StunMessageReader request, Span<byte> response, in RequestCredentials credentials, out int length)
    {
        Span<ushort> unknown = stackalloc ushort[16];
        var count = 0;
        foreach (var attribute in request.Attributes)
        {
            if (!IsKnownAttribute(attribute.Type) && count < unknown.Length && !unknown[..count].Contains(attribute.Type))
            {
                unknown[count++] = attribute.Type;
            }
        }
        length = 0;
        if (count == 0)
        {
            return false;
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.ErrorResponse, request.TransactionId);
        builder.AddErrorCode(StunErrorCode.UnknownAttribute);
        builder.AddUnknownAttributes(unknown[..count]);
        length = Finish(ref builder, credentials);
        return true;
    }

    private int Error(in StunMessageReader request, Span<byte> response, int code, in RequestCredentials credentials)
    {
        if (Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            TurnRelayLog.Refused(Logger, request.Method, credentials.Username ?? "?", code);
        }
        var builder = new StunMessageBuilder(response, request.Method, StunClass.ErrorResponse, request.TransactionId);
        builder.AddErrorCode(code);
        return Finish(ref builder, credentials);
    }

    private int Error(in StunMessageReader request, Span<byte> response, int code, bool fingerprint)
    {
        var credentials = new RequestCredentials { Key = default, Fingerprint = fingerprint };
        return Error(request, response, code, credentials);
    }

    /// <summary>SOFTWARE, then MESSAGE-INTEGRITY(-SHA256) with the request's key, then FINGERPRINT.</summary>
    private int Finish(ref StunMessageBuilder builder, in RequestCredentials credentials)
    {
        AddSoftware(ref builder);
        if (!credentials.Key.IsEmpty && credentials.Username is not null)
        {
            if (credentials.Sha256)
            {
                builder.AddMessageIntegritySha256(credentials.Key);
            }
            else
            {
                builder.AddMessageIntegrity(credentials.Key);
            }
        }
        if (credentials.Fingerprint)
        {
            builder.AddFingerprint();
        }
        return builder.Length;
    }

    private void AddSoftware(ref StunMessageBuilder builder)
    {
        if (!string.IsNullOrEmpty(Options.Software))
        {
            builder.AddString(StunAttributeType.Software, Options.Software);
        }
    }
}
