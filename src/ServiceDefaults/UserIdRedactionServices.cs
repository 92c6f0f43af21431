using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MovieRecommender.ServiceDefaults;

/// <summary>Registers the <see cref="UserIdRedaction"/> grains and routes take for their log lines.</summary>
public static class UserIdRedactionServices
{
    /// <summary>Once per container: the silo host and the grains both ask for it, from the same configuration.</summary>
    public static IServiceCollection AddUserIdRedaction(this IServiceCollection services, TelemetryOptions options)
    {
        services.TryAddSingleton(UserIdRedaction.From(options));
        return services;
    }
}
