using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MovieRecommender.ServiceDefaults;

/// <summary>
/// The one way a configuration section becomes options: bound once onto its options class, then checked by that
/// class's <see cref="IValidateOptions{TOptions}"/> (Microsoft.Extensions.Options' validators, which ASP.NET Core and
/// Orleans' hosting both run). A fault is an <see cref="OptionsValidationException"/> whose message names the key
/// and what it expects, which every program prints as one line. A value the binder cannot convert
/// (<c>Cluster:SiloPort=eleven</c>) is told the same way.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Registers <typeparamref name="TOptions"/> bound from <paramref name="section"/> and checked by
    /// <typeparamref name="TValidator"/> when the host starts (<c>ValidateOnStart</c>), before anything serves.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Configure(options => BindInto(configuration.GetSection(section), options)).ValidateOnStart();
    }

    /// <summary>
    /// Binds and checks <paramref name="section"/> now: for the settings that decide how a host is built (the
    /// cluster's mode, where HTTP listens, which exporters telemetry has), which cannot wait for the host to start.
    /// </summary>
    /// <exception cref="OptionsValidationException">The first fault, by its key.</exception>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section, IValidateOptions<TOptions> validator)
        where TOptions : class, new()
    {
        var options = new TOptions();
        BindInto(configuration.GetSection(section), options);
        return Checked(options, validator);
    }

    /// <summary><paramref name="options"/> if <paramref name="validator"/> accepts them.</summary>
    /// <exception cref="OptionsValidationException">The validator's faults, by their keys.</exception>
    public static TOptions Checked<TOptions>(TOptions options, IValidateOptions<TOptions> validator) where TOptions : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        return options;
    }

    /// <summary>
    /// One fault in words (<see cref="OptionsValidationException.Message"/> joins several with "; "), or a startup
    /// validation's <see cref="AggregateException"/> of them; null for any other exception.
    /// </summary>
    public static string? FaultOf(Exception e) => e switch
    {
        OptionsValidationException options => options.Message,
        AggregateException aggregate when aggregate.InnerExceptions.All(i => i is OptionsValidationException) =>
            string.Join("; ", aggregate.InnerExceptions.Select(i => i.Message)),
        _ => null,
    };

    private static void BindInto<TOptions>(IConfigurationSection section, TOptions options) where TOptions : class
    {
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type it expected: "... at 'Cluster:SiloPort' to type 'System.Int32'";
            // a converter's own words (what an index kind may be) follow it.
            var why = e.InnerException is FormatException format ? $" {format.Message}" : "";
            throw new OptionsValidationException(section.Path, typeof(TOptions), [e.Message + why]);
        }
    }
}
