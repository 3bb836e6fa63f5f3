using System.Text.Json;
using System.Text.Json.Serialization;

namespace PruneNotebook.Core.Experiments;

/// <summary>
/// A configuration as JSON: numbers read as <see cref="double"/> (as the searches parse grids), strings as text,
/// <c>true</c>/<c>false</c> as <see cref="bool"/>; written back the same way.
/// </summary>
internal sealed class ParameterValuesJsonConverter : JsonConverter<IReadOnlyDictionary<string, object>>
{
    public override IReadOnlyDictionary<string, object> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("parameters must be an object of names to numbers, text or true/false, e.g. { \"lr\": 0.01 }.");
        var values = new Dictionary<string, object>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            values[name] = reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetDouble(),
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw new JsonException($"parameter '{name}' must be a number, text or true/false."),
            };
        }
        return values;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, item) in value)
        {
            writer.WritePropertyName(name);
            switch (item)
            {
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case IConvertible c:
                    writer.WriteNumberValue(c.ToDouble(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteStringValue(item?.ToString());
                    break;
            }
        }
        writer.WriteEndObject();
    }
}
