using System.Globalization;
using System.Text;

namespace Ticker.PushHub.Identity;

/// <summary>
/// <c>token --sub alice --symbols AAPL,MSFT --scopes subscribe,history --ttl 1h</c>: prints a development
/// token signed with the configured <c>Auth:Jwt:Secret</c> (appsettings.json, environment, or <c>--Auth:Jwt:Secret</c>).
/// </summary>
internal static class TokenCommand
{
    public const string Name = "token";

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var jwt = configuration.GetSection("Auth:Jwt").Get<JwtSettings>() ?? new JwtSettings();
        var problem = string.IsNullOrEmpty(jwt.Secret) || Encoding.UTF8.GetByteCount(jwt.Secret) < JwtSettings.MinSecretBytes
            ? $"Auth:Jwt:Secret must be set to at least {JwtSettings.MinSecretBytes} bytes (environment Auth__Jwt__Secret)"
            : string.IsNullOrEmpty(jwt.Issuer) || string.IsNullOrEmpty(jwt.Audience) ? "Auth:Jwt:Issuer and Auth:Jwt:Audience must be set"
            : string.IsNullOrWhiteSpace(configuration["sub"]) ? "--sub is required"
            : !TryParseTtl(configuration["ttl"] ?? "1h", out _) ? "--ttl must be a number followed by s, m, h or d (e.g. 1h)"
            : null;
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"token: {problem}");
            return 2;
        }

        TryParseTtl(configuration["ttl"] ?? "1h", out var ttl);
        var token = DevelopmentTokens.Mint(jwt, configuration["sub"]!, Split(configuration["symbols"] ?? "*"),
            Split(configuration["scopes"] ?? "subscribe,history,turn"), ttl, DateTimeOffset.UtcNow);
        await Console.Out.WriteLineAsync(token);
        return 0;
    }

    private static string[] Split(string list) => list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static bool TryParseTtl(string text, out TimeSpan ttl)
    {
        ttl = TimeSpan.Zero;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        ttl = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return ttl > TimeSpan.Zero;
    }
}
