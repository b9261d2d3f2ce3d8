using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Security;

/// <summary>
/// Endpoint filter of the administrative API: only the operator key passes; every other caller is refused, and the
/// refusal is logged.
/// </summary>
internal sealed class OperatorOnly : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = context.HttpContext.Caller();
        if (caller.IsOperator)
        {
            return await next(context).ConfigureAwait(false);
        }

        var journal = context.HttpContext.RequestServices.GetRequiredService<GatewayJournal>();
        var code = caller.Recipient is not null ? ProblemCode.OperatorRequired : ProblemCode.Unauthenticated;
        return await journal.RefuseAsync(context.HttpContext, code, "this is an operator act: send `Authorization: Bearer <admin key>` from the workspace's admin.key", caller).ConfigureAwait(false);
    }
}
