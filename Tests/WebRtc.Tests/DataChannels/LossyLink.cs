using Ticker.PushHub.WebRtc.DataChannels;

namespace Ticker.WebRtc.Tests.DataChannels;

/// <summary>
/// Two connections over an in-memory datagram link with seeded loss, duplication and reordering,
/// driven by a fake clock: time jumps to the next delivery or timer, nothing sleeps.
/// </summary>
internal sealed class LossyLink
{
    private readonly Random _random;
    private readonly List<(TimeSpan At, bool ToServer, byte[] Packet)> _wire = [];

    public LossyLink(int seed, double loss = 0, double duplicate = 0, bool reorder = false, DataChannelOptions? options = null)
    {
        _random = new Random(seed);
        Loss = loss;
        Duplicate = duplicate;
        Reorder = reorder;
        var serverOptions = options ?? new DataChannelOptions();
        Server = new DataChannelConnection(serverOptions, Now);
        Client = new DataChannelConnection(serverOptions with { IsDtlsClient = true }, Now);
    }

    public DataChannelConnection Client { get; }

    public DataChannelConnection Server { get; }

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(10);

    public double Loss { get; set; }

    public double Duplicate { get; set; }

    public bool Reorder { get; set; }

    /// <summary>One-way delay of every datagram (plus up to 40 ms more when reordering).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(20);

    public List<DataChannelEvent> ClientEvents { get; } = [];

    public List<DataChannelEvent> ServerEvents { get; } = [];

    public int PacketsEmitted { get; private set; }

    /// <summary>The verification tag the client puts on packets to the server (the server's own tag).</summary>
    public uint TagToServer { get; private set; }

    public byte[] LastToServer { get; private set; } = [];

    public int LargestPacket { get; private set; }

    /// <summary>Optional targeted loss: true drops that packet.</summary>
    public Func<bool, byte[], bool>? Drop { get; set; }

    /// <summary>Optional tap: sees (toServer, packet) for every packet emitted, before loss.</summary>
    public Action<bool, byte[]>? OnEmit { get; set; }

    public IEnumerable<DataChannelEvent.MessageReceived> ServerMessages => ServerEvents.OfType<DataChannelEvent.MessageReceived>();

    public IEnumerable<DataChannelEvent.MessageReceived> ClientMessages => ClientEvents.OfType<DataChannelEvent.MessageReceived>();

    /// <summary>Connects and opens one channel from the client; returns its id once both sides see it open.</summary>
    public ushort ConnectAndOpen(string label, bool ordered, int? maxRetransmits)
    {
        Client.Connect(Now);
        Assert.True(RunUntil(() => Client.IsEstablished && Server.IsEstablished), "association did not come up");
        var id = Client.OpenChannel(label, ordered, maxRetransmits, Now);
        Assert.True(RunUntil(() => ServerEvents.OfType<DataChannelEvent.ChannelOpened>().Any(o => o.Id == id)
            && ClientEvents.OfType<DataChannelEvent.ChannelOpened>().Any(o => o.Id == id)), "channel did not open");
        return id;
    }

    /// <summary>Runs until the condition holds or the simulated budget is spent; false in the latter case.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan? budget = null)
    {
        var end = Now + (budget ?? TimeSpan.FromMinutes(10));
        while (true)
        {
            Flush();
            if (condition())
            {
                return true;
            }

            var next = NextEventTime();
            if (next is null || next > end)
            {
                Now = end > Now && end != TimeSpan.MaxValue ? end : Now; // the clock runs on even when nothing happens
                return condition();
            }

            Now = next.Value > Now ? next.Value : Now;
            Deliver();
            if (Client.NextTimeout <= Now)
            {
                Client.HandleTimeout(Now);
            }

            if (Server.NextTimeout <= Now)
            {
                Server.HandleTimeout(Now);
            }
        }
    }

    public void Flush()
    {
        Emit(Client, toServer: true);
        Emit(Server, toServer: false);
        Drain(Client, ClientEvents);
        Drain(Server, ServerEvents);
    }

    /// <summary>Hands a packet straight to one side, as an attacker or a broken peer would.</summary>
    public void Inject(bool toServer, byte[] packet)
    {
        (toServer ? Server : Client).HandlePacket(packet, Now);
        Flush();
    }

    private void Emit(DataChannelConnection from, bool toServer)
    {
        while (from.TryPollTransmit(out var packet))
        {
            PacketsEmitted++;
            LargestPacket = Math.Max(LargestPacket, packet.Length);
            OnEmit?.Invoke(toServer, packet);
            if (toServer && packet[12] != 1)
            {
                TagToServer = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
                LastToServer = packet;
            }

            if (_random.NextDouble() < Loss || (Drop?.Invoke(toServer, packet) ?? false))
            {
                continue;
            }

            var copies = _random.NextDouble() < Duplicate ? 2 : 1;
            for (var i = 0; i < copies; i++)
            {
                var delay = Delay + TimeSpan.FromMilliseconds(Reorder ? _random.Next(0, 40) : 0);
                _wire.Add((Now + delay, toServer, packet));
            }
        }
    }

    private TimeSpan? NextEventTime()
    {
        TimeSpan? next = null;
        foreach (var (at, _, _) in _wire)
        {
            next = next is null || at < next ? at : next;
        }

        foreach (var timeout in new[] { Client.NextTimeout, Server.NextTimeout })
        {
            if (timeout is { } t && (next is null || t < next))
            {
                next = t;
            }
        }

        return next;
    }

    private void Deliver()
    {
        var due = _wire.Where(w => w.At <= Now).OrderBy(w => w.At).ToList();
        _wire.RemoveAll(w => w.At <= Now);
        foreach (var (_, toServer, packet) in due)
        {
            (toServer ? Server : Client).HandlePacket(packet, Now);
        }
    }

    private static void Drain(DataChannelConnection connection, List<DataChannelEvent> into)
    {
        while (connection.TryPollEvent(out var e))
        {
            into.Add(e);
        }
    }
}
