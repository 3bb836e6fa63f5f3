using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PruneNotebook.Core.Pruning;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// Reads an amount as Python reads it, from the JSON text: a number with a decimal point or exponent (<c>0.9</c>,
/// <c>1.0</c>) or a string such as <c>"90%"</c> is a fraction, a whole number (<c>120</c>) a count. Writes fractions
/// with a decimal point, so a file round-trips.
/// </summary>
internal sealed class PruningAmountJsonConverter : JsonConverter<PruningAmount>
{
    public override PruningAmount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.Number => reader.HasValueSequence ? Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence)) : Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String => reader.GetString()!,
            _ => throw new JsonException("amount must be a number (0.9 is a fraction of what remains, 120 a count) or a string such as \"90%\"."),
        };
        try
        {
            return PruningAmount.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new JsonException(e.Message.Split(" (Parameter '", 2)[0].Split('\n', 2)[0], e);
        }
    }

    public override void Write(Utf8JsonWriter writer, PruningAmount value, JsonSerializerOptions options)
    {
        if (value.Count is { } count)
        {
            writer.WriteNumberValue(count);
            return;
        }
        var fraction = value.Fraction ?? 0;
        var text = fraction.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.') && !text.Contains('E', StringComparison.OrdinalIgnoreCase))
            text += ".0";
        writer.WriteRawValue(text);
    }
}
