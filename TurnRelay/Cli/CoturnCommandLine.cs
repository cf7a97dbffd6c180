namespace Ticker.TurnRelay.Cli;

/// <summary>
/// Reads coturn-style options: <c>--name=value</c>, <c>--name value</c>, bare flags, one-letter
/// aliases (<c>-p 3478</c>), and a config file (<c>-c FILE</c>) with one <c>name=value</c> or bare
/// flag per line (# comments). The command line wins over the file. Unknown names are errors.
/// </summary>
internal sealed class CoturnCommandLine
{
    private CoturnCommandLine()
    {
    }

    public CoturnSettings Settings { get; } = new();

    public List<string> Warnings { get; } = [];

    public string? Error { get; private set; }

    public bool Help { get; private set; }

    public static CoturnCommandLine Parse(IReadOnlyList<string> args, Func<string, IEnumerable<string>>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        readFile ??= File.ReadLines;
        var result = new CoturnCommandLine();
        var commandLine = new List<(string Name, string? Value)>();
        string? configFile = null;
        for (var i = 0; i < args.Count && result.Error is null; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                result.Help = true;
                return result;
            }
            if (arg is "-c" or "--c")
            {
                if (i + 1 >= args.Count)
                {
                    result.Error = "option -c needs a file name";
                    return result;
                }
                configFile = args[++i];
                continue;
            }
            if (arg is "-n")
            {
                continue; // coturn: do not read the default config file; we never do
            }
            if (!arg.StartsWith('-') || arg == "-" || arg == "--")
            {
                result.Error = $"unexpected argument '{arg}'";
                return result;
            }
            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            var value = equals < 0 ? null : body[(equals + 1)..];
            var option = CoturnOptionTable.Find(name);
            if (option is null)
            {
                result.Error = $"unknown option '{arg}'";
                return result;
            }
            if (option.Argument == 1 && value is null)
            {
                if (i + 1 >= args.Count)
                {
                    result.Error = $"option '{name}' needs a value";
                    return result;
                }
                value = args[++i];
            }
            commandLine.Add((option.Name, value));
        }
        if (configFile is not null)
        {
            IEnumerable<string> lines;
            try
            {
                lines = readFile(configFile).ToList();
            }
            catch (IOException e)
            {
                result.Error = $"cannot read config file '{configFile}': {e.Message}";
                return result;
            }
            catch (UnauthorizedAccessException e)
            {
                result.Error = $"cannot read config file '{configFile}': {e.Message}";
                return result;
            }
            var number = 0;
            foreach (var raw in lines)
            {
                number++;
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                var name = (equals < 0 ? line : line[..equals]).Trim().TrimStart('-');
                var value = equals < 0 ? null : line[(equals + 1)..].Trim().Trim('"');
                var option = CoturnOptionTable.Find(name);
                if (option is null || name.Length == 1)
                {
                    result.Error = $"unknown option '{name}' in {configFile} line {number}";
                    return result;
                }
                if (option.Argument == 1 && value is null)
                {
                    result.Error = $"option '{name}' in {configFile} line {number} needs a value";
                    return result;
                }
                result.Apply(option, value);
                if (result.Error is not null)
                {
                    return result;
                }
            }
        }
        foreach (var (name, value) in commandLine)
        {
            result.Apply(CoturnOptionTable.Find(name)!, value);
            if (result.Error is not null)
            {
                return result;
            }
        }
        return result;
    }

    private void Apply(CoturnOption option, string? value)
    {
        switch (option.Kind)
        {
            case CoturnOptionKind.Warned:
                Warnings.Add($"coturn option '{option.Name}' is not implemented by this relay and is ignored");
                return;
            case CoturnOptionKind.NoOp:
                return;
            default:
                try
                {
                    option.Apply!(Settings, value);
                }
                catch (FormatException e)
                {
                    Error = $"option '{option.Name}': {e.Message}";
                }
                return;
        }
    }

    public static string Usage =>
        """
        usage: Ticker.TurnRelay [options]    (coturn's option names; see docs/turn.md)
          -c FILE                      read options from FILE (name=value per line)
          -p, --listening-port=PORT    UDP and TCP port (3478)
          -L, --listening-ip=IP        listen on IP (repeatable; default all)
          -E, --relay-ip=IP            bind relay sockets to IP
          -X, --external-ip=PUB[/PRIV] public address behind 1:1 NAT
          --min-port, --max-port       relay port range (49152-65535)
          -r, --realm=REALM            authentication realm
          -u, --user=NAME:PASSWORD     static long-term user (repeatable)
          --use-auth-secret --static-auth-secret=SECRET   TURN REST-API credentials
          --allowed-peer-ip, --denied-peer-ip=IP|A-B|CIDR  peer policy (repeatable)
          --allow-loopback-peers       allow relaying to loopback (tests only)
          --user-quota, --total-quota, --max-bps, --stale-nonce[=SEC], --max-allocate-lifetime
          --cert=PEM --pkey=PEM [--tls-listening-port=5349]   TLS listener
          --no-udp --no-tcp --no-tls --fingerprint --log-file=FILE --pidfile=FILE -v
        """;
}
