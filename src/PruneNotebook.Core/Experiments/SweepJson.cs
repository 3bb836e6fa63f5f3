using System.Text.Json;
using System.Text.Json.Serialization;

namespace PruneNotebook.Core.Experiments;

/// <summary>How sweep specs and results are written: indented camelCase JSON, enums as lower-case words, no nulls; strict on reading.</summary>
internal static class SweepJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>One line for a JSON error: where it is and what is wrong.</summary>
    public static string Describe(JsonException e) =>
        (e.Path is { Length: > 0 } path ? $"at {path}: " : "") + e.Message.Split('\n', 2)[0].Split(" Path: ", 2)[0].Trim();
}
