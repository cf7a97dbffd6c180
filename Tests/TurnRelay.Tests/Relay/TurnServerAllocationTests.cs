using System.Net;
using Microsoft.Extensions.Time.Testing;
using Ticker.TurnRelay.Stun;
using Ticker.TurnRelay.Tests.Support;

namespace Ticker.TurnRelay.Tests.Relay;

/// <summary>Allocate, Refresh, authentication and the error codes of RFC 8656 / RFC 8489.</summary>
public sealed class TurnServerAllocationTests
{
    [Fact]
    public async Task Allocate_WithoutCredentials_Returns401WithRealmAndNonce()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Request(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24), authenticate: false);

        Assert.Equal(StunErrorCode.Unauthorized, response.ErrorCode);
        Assert.Equal(TestServer.Realm, response.Realm);
        Assert.False(string.IsNullOrEmpty(response.Nonce));
        Assert.True(response.FingerprintValid);
        Assert.Equal(0, server.Server.AllocationCount);
    }

    [Fact]
    public async Task Allocate_StaticUser_ReturnsSignedRelayedAddress()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Allocate();

        Assert.True(response.IsSuccess, response.ToString());
        Assert.True(response.IntegrityValid);
        Assert.True(response.FingerprintValid);
        var relayed = response.XorAddress(StunAttributeType.XorRelayedAddress);
        Assert.NotNull(relayed);
        Assert.InRange(relayed.Value.Port, 20000, 29999);
        Assert.Equal(600u, response.Lifetime);
        Assert.Equal(client.Socket.LocalEndPoint, response.XorAddress(StunAttributeType.XorMappedAddress)!.Value.ToIPEndPoint());
        Assert.Equal(1, server.Server.AllocationCount);
    }

    [Fact]
    public async Task Allocate_RestCredentials_Succeeds()
    {
        await using var server = await TestServer.StartAsync();
        var (username, password) = TurnRestCredentials.Create(TestServer.Secret, "carol", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        using var client = server.Client(username, password);

        Assert.True(client.Allocate().IsSuccess);
    }

    [Fact]
    public async Task Allocate_ExpiredRestCredentials_Returns401()
    {
        await using var server = await TestServer.StartAsync();
        var (username, password) = TurnRestCredentials.Create(TestServer.Secret, "carol", TimeSpan.FromHours(-1), DateTimeOffset.UtcNow);
        using var client = server.Client(username, password);

        Assert.Equal(StunErrorCode.Unauthorized, client.Allocate().ErrorCode);
        Assert.True(server.Server.Metrics.AuthFailures > 0);
    }

    [Fact]
    public async Task Allocate_WrongPassword_Returns401AndCountsFailure()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client(TestServer.User, "wrong");

        Assert.Equal(StunErrorCode.Unauthorized, client.Allocate().ErrorCode);
        Assert.Equal(0, server.Server.AllocationCount);
        Assert.True(server.Server.Metrics.AuthFailures > 0);
    }

    [Fact]
    public async Task Allocate_SecondAllocateOnSameFiveTuple_Returns437()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        Assert.Equal(StunErrorCode.AllocationMismatch, client.Allocate().ErrorCode);
    }

    [Fact]
    public async Task Allocate_RetransmittedRequest_GetsSameRelayedAddress()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        Assert.Equal(StunErrorCode.AllocationMismatch, client.Refresh(600).ErrorCode); // learns a nonce
        var transactionId = new byte[12];
        Random.Shared.NextBytes(transactionId);
        var request = client.BuildRequest(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24), true, transactionId);

        var first = new TestResponse(client.SendRaw(request)!, []);
        var second = new TestResponse(client.SendRaw(request)!, []);

        Assert.True(first.IsSuccess, first.ToString());
        Assert.True(second.IsSuccess, second.ToString());
        Assert.Equal(1, server.Server.AllocationCount);
        Assert.Equal(first.XorAddress(StunAttributeType.XorRelayedAddress), second.XorAddress(StunAttributeType.XorRelayedAddress));
    }

    [Fact]
    public async Task Allocate_TcpTransportRequested_Returns442()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Request(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 6u << 24));

        Assert.Equal(StunErrorCode.UnsupportedTransportProtocol, response.ErrorCode);
    }

    [Fact]
    public async Task Allocate_MissingRequestedTransport_Returns400()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        Assert.Equal(StunErrorCode.BadRequest, client.Request(StunMethod.Allocate).ErrorCode);
    }

    [Fact]
    public async Task Allocate_UnknownComprehensionRequiredAttribute_Returns420Listing()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Allocate((ref StunMessageBuilder b) => b.AddUInt32(0x7ABC, 1));

        Assert.Equal(StunErrorCode.UnknownAttribute, response.ErrorCode);
        Assert.Equal([(ushort)0x7ABC], response.UnknownAttributes);
    }

    [Fact]
    public async Task Allocate_UnknownComprehensionOptionalAttribute_IsIgnored()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        Assert.True(client.Allocate((ref StunMessageBuilder b) => b.AddUInt32(0xC0DE, 1)).IsSuccess);
    }

    [Fact]
    public async Task Allocate_UserQuotaReached_Returns486AndOtherUserIsServed()
    {
        await using var server = await TestServer.StartAsync(o => o.UserQuota = 2);
        var clients = Enumerable.Range(0, 3).Select(_ => server.Client()).ToList();

        var results = clients.Select(c => c.Allocate().ErrorCode).ToList();
        using var bob = server.Client("bob", "bob-password");

        Assert.Equal([null, null, StunErrorCode.AllocationQuotaReached], results);
        Assert.True(bob.Allocate().IsSuccess);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Allocate_TotalQuotaReached_Returns508()
    {
        await using var server = await TestServer.StartAsync(o => o.TotalQuota = 1);
        using var first = server.Client();
        using var second = server.Client("bob", "bob-password");

        Assert.True(first.Allocate().IsSuccess);
        Assert.Equal(StunErrorCode.InsufficientCapacity, second.Allocate().ErrorCode);
    }

    [Fact]
    public async Task Allocate_Ipv6FamilyOnIpv4OnlyRelay_Returns440()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Allocate((ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedAddressFamily, 0x02u << 24));

        Assert.Equal(StunErrorCode.AddressFamilyNotSupported, response.ErrorCode);
    }

    [Fact]
    public async Task Allocate_EvenPortWithReservation_SecondAllocationTakesNextPort()
    {
        await using var server = await TestServer.StartAsync();
        using var first = server.Client();
        using var second = server.Client();

        var response = first.Allocate((ref StunMessageBuilder b) => b.AddAttribute(StunAttributeType.EvenPort, [0x80]));
        Assert.True(response.IsSuccess, response.ToString());
        var relayed = response.XorAddress(StunAttributeType.XorRelayedAddress)!.Value;
        var token = GetAttribute(response.Raw, StunAttributeType.ReservationToken);

        var next = second.Allocate((ref StunMessageBuilder b) => b.AddAttribute(StunAttributeType.ReservationToken, token));

        Assert.Equal(0, relayed.Port % 2);
        Assert.True(next.IsSuccess, next.ToString());
        Assert.Equal(relayed.Port + 1, next.XorAddress(StunAttributeType.XorRelayedAddress)!.Value.Port);
    }

    [Fact]
    public async Task Allocate_UnknownReservationToken_Returns508()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Allocate((ref StunMessageBuilder b) => b.AddAttribute(StunAttributeType.ReservationToken, new byte[8]));

        Assert.Equal(StunErrorCode.InsufficientCapacity, response.ErrorCode);
    }

    [Fact]
    public async Task Refresh_LifetimeZero_DeletesAllocation()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        var response = client.Refresh(0);

        Assert.True(response.IsSuccess);
        Assert.Equal(0u, response.Lifetime);
        Assert.Equal(0, server.Server.AllocationCount);
        Assert.Equal(StunErrorCode.AllocationMismatch, client.Refresh(600).ErrorCode);
    }

    [Fact]
    public async Task Refresh_LongLifetime_IsCappedAtMaximum()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxAllocateLifetime = 1200);
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        Assert.Equal(1200u, client.Refresh(100_000).Lifetime);
    }

    [Fact]
    public async Task Refresh_WithoutAllocation_Returns437()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        Assert.Equal(StunErrorCode.AllocationMismatch, client.Refresh(600).ErrorCode);
    }

    [Fact]
    public async Task Refresh_OtherUserOnSameFiveTuple_Returns441()
    {
        await using var server = await TestServer.StartAsync();
        using var alice = server.Client();
        Assert.True(alice.Allocate().IsSuccess);
        // Same 5-tuple, other credentials: reuse alice's socket with bob's key.
        using var impostor = new ImpostorClient(alice.Socket, "bob", "bob-password");

        Assert.Equal(StunErrorCode.WrongCredentials, impostor.Refresh());
    }

    [Fact]
    public async Task Refresh_AttributeAppendedAfterIntegrity_IsIgnored()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);
        var signed = client.BuildRequest(StunMethod.Refresh, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.Lifetime, 900), true);
        // Strip the FINGERPRINT, append LIFETIME 0 after MESSAGE-INTEGRITY and fix the header length.
        var tampered = signed[..^8].Concat(new byte[] { 0x00, 0x0D, 0x00, 0x04, 0, 0, 0, 0 }).ToArray();
        tampered[3] = (byte)(tampered.Length - 20);

        var response = new TestResponse(client.SendRaw(tampered)!, []);

        Assert.True(response.IsSuccess, response.ToString());
        Assert.Equal(900u, response.Lifetime);
        Assert.Equal(1, server.Server.AllocationCount);
    }

    [Fact]
    public async Task Allocate_ExpiredNonce_Returns438ThenSucceedsWithFreshNonce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(o => o.StaleNonce = 60, time);
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);
        time.Advance(TimeSpan.FromSeconds(61));

        var stale = client.BuildRequest(StunMethod.Refresh, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.Lifetime, 600), true);
        var response = new TestResponse(client.SendRaw(stale)!, []);

        Assert.Equal(StunErrorCode.StaleNonce, response.ErrorCode);
        Assert.NotNull(response.Nonce);
        Assert.True(client.Refresh(600).IsSuccess);
    }

    [Fact]
    public async Task Allocation_LifetimeElapsed_IsClosedBySweep()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(configure: null, time);
        using var client = server.Client();
        Assert.True(client.Allocate().IsSuccess);

        time.Advance(TimeSpan.FromSeconds(601));
        server.Server.SweepNow();

        Assert.Equal(0, server.Server.AllocationCount);
    }

    [Fact]
    public async Task Binding_Request_ReturnsXorMappedAddress()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();

        var response = client.Request(StunMethod.Binding, authenticate: false);

        Assert.True(response.IsSuccess);
        Assert.Equal(client.Socket.LocalEndPoint, response.XorAddress(StunAttributeType.XorMappedAddress)!.Value.ToIPEndPoint());
    }

    [Fact]
    public async Task Allocate_MessageIntegritySha256_IsVerifiedAndAnsweredInKind()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client();
        var challenge = client.Request(StunMethod.Allocate, (ref StunMessageBuilder b) => b.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24), authenticate: false);
        var key = new byte[16];
        StunIntegrity.ComputeLongTermKey(TestServer.User, TestServer.Realm, TestServer.Password, key);
        var buffer = new byte[512];
        var builder = new StunMessageBuilder(buffer, StunMethod.Allocate, StunClass.Request, new byte[] { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2 });
        builder.AddUInt32(StunAttributeType.RequestedTransport, 17u << 24);
        builder.AddString(StunAttributeType.Username, TestServer.User);
        builder.AddString(StunAttributeType.Realm, TestServer.Realm);
        builder.AddString(StunAttributeType.Nonce, challenge.Nonce!);
        builder.AddMessageIntegritySha256(key);
        builder.AddFingerprint();

        var raw = client.SendRaw(builder.Written)!;

        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(raw, out var response));
        Assert.Equal(StunClass.SuccessResponse, response.Class);
        Assert.True(response.MessageIntegritySha256Offset > 0);
        Assert.True(response.MessageIntegrityOffset < 0);
        Assert.True(StunIntegrity.VerifySha256(response, key));
    }

    internal static byte[] GetAttribute(byte[] raw, ushort type)
    {
        Assert.Equal(StunParseResult.Ok, StunMessageReader.TryParse(raw, out var message));
        Assert.True(message.TryGetAttribute(type, out var value));
        return value.ToArray();
    }

    /// <summary>Sends a Refresh on another client's socket with different credentials.</summary>
    private sealed class ImpostorClient(System.Net.Sockets.Socket socket, string user, string password) : IDisposable
    {
        public int? Refresh()
        {
            var client = new TestTurnClient((IPEndPoint)socket.RemoteEndPoint!, user, password, TestServer.Realm);
            client.Socket.Dispose();
            // Learn a nonce with an unauthenticated request over the shared socket.
            var challenge = new TestResponse(Send(client.BuildRequest(StunMethod.Refresh, null, false)), []);
            var key = new byte[16];
            StunIntegrity.ComputeLongTermKey(user, TestServer.Realm, password, key);
            var buffer = new byte[512];
            var builder = new StunMessageBuilder(buffer, StunMethod.Refresh, StunClass.Request, new byte[12]);
            builder.AddUInt32(StunAttributeType.Lifetime, 600);
            builder.AddString(StunAttributeType.Username, user);
            builder.AddString(StunAttributeType.Realm, TestServer.Realm);
            builder.AddString(StunAttributeType.Nonce, challenge.Nonce!);
            builder.AddMessageIntegrity(key);
            return new TestResponse(Send(builder.Written.ToArray()), []).ErrorCode;
        }

        private byte[] Send(byte[] request)
        {
            socket.Send(request);
            var buffer = new byte[2048];
            socket.ReceiveTimeout = 5000;
            return buffer[..socket.Receive(buffer)];
        }

        public void Dispose()
        {
        }
    }
}
