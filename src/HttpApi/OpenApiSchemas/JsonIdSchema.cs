using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MovieRecommender.Contracts;

namespace MovieRecommender.HttpApi.OpenApiSchemas;

/// <summary>
/// The OpenAPI schema of an id read by <see cref="JsonIdConverter"/>: a positive integer, as a JSON integer or a
/// string of digits. Without this the document would say nothing of it (a custom converter's schema is empty:
/// anything goes).
/// </summary>
public static class JsonIdSchema
{
    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellation)
    {
        if (context.JsonPropertyInfo?.CustomConverter is not JsonIdConverter) return Task.CompletedTask;
        // JSON Schema applies the pattern to strings only and the minimum to numbers only: one schema says both.
        schema.Type = JsonSchemaType.Integer | JsonSchemaType.String;
        schema.Pattern = "^[1-9][0-9]*$";
        schema.Minimum = "1";
        schema.Description = "A positive integer, as a JSON number (50) or string (\"50\"); both are the same id.";
        return Task.CompletedTask;
    }
}
