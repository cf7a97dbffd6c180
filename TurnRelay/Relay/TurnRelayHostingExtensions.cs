using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ticker.TurnRelay.Relay;

namespace Ticker.TurnRelay;

public static class TurnRelayHostingExtensions
{
    /// <summary>
    /// Binds <see cref="TurnRelayOptions"/> from <paramref name="sectionName"/> (validated at start) and,
    /// when its Enabled is true, runs the STUN/TURN server as a hosted service.
    /// </summary>
    public static IHostApplicationBuilder AddTurnRelay(this IHostApplicationBuilder builder, string sectionName = "Turn")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TurnRelayOptions>().BindConfiguration(sectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TurnRelayOptions>, TurnRelayOptionsValidator>());
        if (builder.Configuration.GetSection(sectionName).GetValue<bool>(nameof(TurnRelayOptions.Enabled)))
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.TryAddSingleton<TurnServer>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TurnServer>());
        }
        return builder;
    }
}
