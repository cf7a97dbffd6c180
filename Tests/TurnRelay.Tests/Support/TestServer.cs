using System.Net;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay.Relay;

namespace Ticker.TurnRelay.Tests.Support;

/// <summary>An in-process relay on loopback with a free port, torn down with the test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Realm = "ticker.test";
    public const string User = "alice";
    public const string Password = "alice-password";
    public const string Secret = "rest-secret";

    private TestServer(TurnServer server, TurnRelayOptions options)
    {
        Server = server;
        Options = options;
    }

    public TurnServer Server { get; }

    public TurnRelayOptions Options { get; }

    public IPEndPoint UdpEndPoint => Server.UdpEndPoints[0];

    public IPEndPoint TcpEndPoint => Server.TcpEndPoints[0];

    public int Port => UdpEndPoint.Port;

    public static async Task<TestServer> StartAsync(Action<TurnRelayOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new TurnRelayOptions
        {
            Enabled = true,
            Port = 0,
            ListeningIp = "127.0.0.1",
            Realm = Realm,
            StaticAuthSecret = Secret,
            AllowLoopbackPeers = true,
            MinPort = 20000,
            MaxPort = 29999,
            NoTls = true,
        };
        options.Users[User] = Password;
        options.Users["bob"] = "bob-password";
        configure?.Invoke(options);
        var validation = new TurnRelayOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        var server = new TurnServer(Microsoft.Extensions.Options.Options.Create(options), null, time);
        await server.StartAsync(CancellationToken.None);
        return new TestServer(server, options);
    }

    public TestTurnClient Client(string user = User, string password = Password) =>
        new(UdpEndPoint, user, password, Realm);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
