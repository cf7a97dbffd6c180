using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ticker.PushHub.Grpc;

internal static class GrpcExtensions
{
    /// <summary>
    /// gRPC needs HTTP/2, and without TLS Kestrel speaks HTTP/2 only on an endpoint that speaks
    /// nothing else (prior knowledge). So the endpoint on <c>Hub:GrpcPort</c> (default 8081, one of
    /// the <c>--urls</c>) is HTTP/2-only for gRPC; the others serve HTTP/1.1 for browsers and scripts.
    /// </summary>
    public static WebApplicationBuilder AddTickerGrpc(this WebApplicationBuilder builder)
    {
        var grpcPort = builder.Configuration.GetValue("Hub:GrpcPort", 8081);
        var pingDelay = builder.Configuration.GetValue("Hub:Http2KeepAlivePingDelay", TimeSpan.FromSeconds(30));
        var pingTimeout = builder.Configuration.GetValue("Hub:Http2KeepAlivePingTimeout", TimeSpan.FromSeconds(20));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(listen =>
                listen.Protocols = listen.IPEndPoint?.Port == grpcPort ? HttpProtocols.Http2 : HttpProtocols.Http1);

            // A peer that vanished without a FIN (a half-open connection) answers no ping: Kestrel
            // then closes the connection, and the streams on it end with their call's cancellation.
            kestrel.Limits.Http2.KeepAlivePingDelay = pingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = pingTimeout;
        });
        builder.Services.AddSingleton<GrpcStreamLimiter>();
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024);
        builder.Services.AddGrpcReflection();
        return builder;
    }

    /// <summary>ticker.v1 and server reflection, so grpcurl and friends can explore it.</summary>
    public static WebApplication MapTickerGrpc(this WebApplication app)
    {
        app.MapGrpcService<TickerGrpcService>();
        app.MapGrpcReflectionService();
        return app;
    }
}
