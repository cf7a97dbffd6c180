using System.Net;
using Microsoft.Extensions.Logging;

namespace Ticker.TurnRelay.Relay;

/// <summary>Log messages of the relay. Event ids: 1xx lifecycle, 2xx allocations, 3xx auth and policy, 4xx transport.</summary>
internal static partial class TurnRelayLog
{
    [LoggerMessage(100, LogLevel.Information, "TURN relay listening on {Transport} {EndPoint}")]
    public static partial void Listening(ILogger logger, string transport, EndPoint endPoint);

    [LoggerMessage(101, LogLevel.Information, "TURN relay stopped; {Active} allocations closed, {Datagrams} datagrams relayed, {AllocatedBytes} bytes allocated by the process")]
    public static partial void Stopped(ILogger logger, long active, long datagrams, long allocatedBytes);

    [LoggerMessage(102, LogLevel.Warning, "TURN relay: no TLS listener ({Reason})")]
    public static partial void NoTls(ILogger logger, string reason);

    [LoggerMessage(200, LogLevel.Information, "Allocation {Relayed} for {Client} ({Transport}), lifetime {Lifetime}s")]
    public static partial void AllocationCreated(ILogger logger, string relayed, string client, string transport, int lifetime);

    [LoggerMessage(201, LogLevel.Information, "Allocation {Relayed} closed ({Reason})")]
    public static partial void AllocationClosed(ILogger logger, string relayed, string reason);

    [LoggerMessage(300, LogLevel.Debug, "Refused {Method} from {Client}: {Code}")]
    public static partial void Refused(ILogger logger, ushort method, string client, int code);

    [LoggerMessage(301, LogLevel.Debug, "Peer {Peer} refused by policy for {Client}")]
    public static partial void PeerRefused(ILogger logger, string peer, string client);

    [LoggerMessage(400, LogLevel.Warning, "Receive loop on {EndPoint} failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, EndPoint? endPoint);

    [LoggerMessage(401, LogLevel.Debug, "Connection from {Client} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string client, string reason);

    [LoggerMessage(402, LogLevel.Error, "Unexpected error handling a message from {Client}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string client);
}
