using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Decisions;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// Turns the decision on a token's read of rows (or aggregate over them) into the stream or plan that carries out its obligations, or into the answer
/// that refuses it: a deny, an agreement changed since the token was issued, a dataset with no imported version, or
/// rules that cannot be carried out on the dataset.
/// </summary>
internal sealed class EgressPlanner(GatewayWorkspace workspace, GatewayJournal journal, DecisionService decisions, IRegistryStore store, DatasetStore datasets, ILogger<EgressPlanner> logger)
{
    /// <summary>
    /// Refuses a token issued for another action than the route's: a token is scoped to the action its decision
    /// permitted, so a read-rows token cannot spend a privacy budget, and an aggregate-query token cannot read rows,
    /// even where the agreement grants the recipient both.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="caller">The caller; its token is valid now and scoped to the dataset.</param>
    /// <param name="action">The route's action.</param>
    /// <returns>The logged refusal (GW6554), or null when the token was issued for <paramref name="action"/>.</returns>
    public async Task<ProblemHttpResult?> RefuseOtherActionAsync(HttpContext context, Caller caller, DataAction action)
    {
        var issued = caller.Token!.IssuedFor;
        if (issued == action)
        {
            return null;
        }

        // Security: checked before any decision, so the wrong token neither reads a row nor spends budget.
        var detail = $"the token was issued for `{ApiNames.Name(issued)}`, not `{ApiNames.Name(action)}`: ask for a token with `\"action\": \"{ApiNames.Name(action)}\"`";
        return await journal.RefuseAsync(context, ProblemCode.WrongTokenAction, detail, caller).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides the token's request for <paramref name="action"/> again now (the window may have closed, the agreement
    /// may have changed), chooses the dataset version it will use, and logs the decision naming that version.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="token">The caller's token, valid now and scoped to the dataset.</param>
    /// <param name="action">What the request does with the rows: read them, or aggregate them.</param>
    /// <returns>The decision, the newest version (null when none is imported), and the 503 answer when the log pushed back.</returns>
    public async Task<(DecisionEvent Decision, DatasetManifest? Manifest, ProblemHttpResult? Busy)> DecideAsync(HttpContext context, TokenRecord token, DataAction action)
    {
        var identity = await store.FindIdentityAsync(token.ClientId, context.RequestAborted).ConfigureAwait(false);
        var decision = decisions.DecideAccess(new DecisionRequest(token.Recipient, action, token.Dataset, token.Purpose, token.Jurisdiction, token.Subprocessor, journal.Now, identity?.Role));

        // Invariant: the version chosen here is the one used, and the decision entry names it.
        var manifest = datasets.GetLatest(token.Dataset);
        var served = manifest is null ? ((int, string)?)null : (manifest.Version.Number, manifest.ComputeDigest().ToString());

        // Invariant: nothing leaves before the decision entry is durable.
        var busy = await journal.AppendAsync(context, decision.ToEntry(token.ClientId, served), decision.Id).ConfigureAwait(false);
        return (decision, manifest, busy);
    }

    /// <summary>Plans the egress of <paramref name="decision"/> for the caller's token.</summary>
    /// <param name="context">The request.</param>
    /// <param name="caller">The caller; its token is valid now and scoped to the dataset read.</param>
    /// <param name="decision">The decision, whose entry MUST already be durable: refusals here are logged after it and name it.</param>
    /// <param name="format">The negotiated format.</param>
    /// <param name="manifest">The dataset version the decision entry named, or null when the dataset has none.</param>
    /// <returns>The stream, which owns the plan; or the problem, logged as a refusal unless the decision was a deny.</returns>
    public async Task<Results<EgressResult, ProblemHttpResult>> PlanAsync(HttpContext context, Caller caller, DecisionEvent decision, RowFormat format, DatasetManifest? manifest)
    {
        var (plan, problem) = await CompileAsync(context, caller, decision, manifest).ConfigureAwait(false);
        return plan is null ? problem! : new EgressResult(plan, manifest!, format, caller.Token!, decision.Id, DecisionNames.ToEgressNames(decision.Decision.Obligations));
    }

    /// <summary>
    /// Compiles the egress plan of <paramref name="decision"/>: what the grant's field and row rules let any use of the
    /// rows see, for a stream of rows or an aggregate over them alike.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="caller">The caller; its token is valid now and scoped to the dataset read.</param>
    /// <param name="decision">The decision, whose entry MUST already be durable: refusals here are logged after it and name it.</param>
    /// <param name="manifest">The dataset version the decision entry named, or null when the dataset has none.</param>
    /// <returns>The plan, which the caller disposes; or the problem, logged as a refusal unless the decision was a deny.</returns>
    public async Task<(EgressPlan? Plan, ProblemHttpResult? Problem)> CompileAsync(HttpContext context, Caller caller, DecisionEvent decision, DatasetManifest? manifest)
    {
        var token = caller.Token!;
        if (!decision.IsPermit)
        {
            // The decision entry records the deny; no refusal entry repeats it.
            var reasons = decision.ReasonsFor(token.Recipient);
            return (null, Problem.Of(ProblemCode.Denied, string.Join("; ", reasons), decision.Id.Value, new Dictionary<string, object?> { ["reasons"] = reasons }));
        }

        if (decision.Agreement!.Digest != token.AgreementDigest)
        {
            return (null, await journal.RefuseAsync(context, ProblemCode.AgreementChanged, "the agreement in force is not the one the token was issued under: ask for a new token", caller, decision.Id).ConfigureAwait(false));
        }

        if (manifest is null)
        {
            return (null, await journal.RefuseAsync(context, ProblemCode.NotFound, $"dataset `{token.Dataset.Value}` has no imported version yet", caller, decision.Id).ConfigureAwait(false));
        }

        var definition = decision.Agreement.Agreement.Datasets.FirstOrDefault(d => d.Id == token.Dataset);
        if (definition is not null && !manifest.MatchesSchemaOf(definition))
        {
            // Fail closed, and say so: rows stored under another schema cannot be carried through this agreement's rules.
            var version = manifest.Version.ToString();
            LogMessages.StaleDatasetVersion(logger, token.Dataset.Value, version);
            return (null, await journal.RefuseAsync(context, ProblemCode.StaleDatasetVersion, $"dataset `{token.Dataset.Value}` version {version} was imported under another schema than agreement `{decision.Agreement.Agreement.Id}` declares: the operator imports a new version", caller, decision.Id).ConfigureAwait(false));
        }

        if (!EgressPlan.TryCompile(decision.Agreement.Agreement, token.Dataset, token.Recipient, token.Purpose, decision.Decision.Obligations, workspace.PseudonymKey, out var plan, out var problems))
        {
            // Security: fail closed; rules the gateway cannot carry out never let rows leave.
            var details = new Dictionary<string, object?> { ["diagnostics"] = problems.Select(d => d.ToString()).ToList() };
            return (null, await journal.RefuseAsync(context, ProblemCode.Denied, "the agreement's rules cannot be carried out on this dataset", caller, decision.Id, details).ConfigureAwait(false));
        }

        return (plan, null);
    }
}
