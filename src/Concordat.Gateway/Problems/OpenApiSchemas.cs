using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Concordat.Gateway.Problems;

/// <summary>
/// Makes the schemas of the OpenAPI document say what the gateway writes: a member left out when null is not
/// required, and a problem carries Concordat's extensions (<c>OpenApiResponsesTests</c> validates real answers).
/// </summary>
internal static class OpenApiSchemas
{
    /// <summary>The schema transformer.</summary>
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);

        // Invariant: the JSON options leave out null members (JsonIgnoreCondition.WhenWritingNull), so a member of an
        // answer that can be null can be absent. Request schemas (those of a parameter) keep what the handler requires.
        if (context.ParameterDescription is null && schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                {
                    required.Remove(name);
                }
            }

            // A nullable value type (such as DateTimeOffset?) or reference can be null even where its schema is a reference.
            foreach (var member in context.JsonTypeInfo.Properties)
            {
                if (member.IsGetNullable || Nullable.GetUnderlyingType(member.PropertyType) is not null)
                {
                    required.Remove(member.Name);
                }
            }
        }

        if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["code"] = Text("the stable error code, such as `GW6001` (docs/errors.md)");
            schema.Properties["traceId"] = Text("the trace id under which the server's log has the request");
            schema.Properties["decisionId"] = Text("the decision id (`dec_…`), when a decision was made");
            schema.Properties["reasons"] = Texts("for a deny (`GW6006`): the reasons about the caller's own agreements");
            schema.Properties["diagnostics"] = Texts("for a rejected agreement or import (`GW6015`, `GW6016`): every problem found");
            schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
            schema.Required.Add("code");
            schema.Required.Add("traceId");
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Texts(string description) => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String }, Description = description };
}
