namespace Concordat.Gateway.Security;

/// <summary>Reads the caller the <see cref="CallerResolver"/> put on the request.</summary>
internal static class CallerExtensions
{
    public static Caller Caller(this HttpContext context) => context.Features.Get<Caller>() ?? Security.Caller.Anonymous;
}
