using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// The options factory that hands out the instance the host built, after the registered configuration and
/// validation (data annotations, at start-up), instead of a new instance filled in by hand.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class GivenOptionsFactory<TOptions>(
    TOptions given,
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations)
    : OptionsFactory<TOptions>(setups, postConfigures, validations)
    where TOptions : class
{
    protected override TOptions CreateInstance(string name) => given;
}
