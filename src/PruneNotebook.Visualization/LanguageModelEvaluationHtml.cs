using System.Globalization;
using System.Text;
using PruneNotebook.Core.Reports;

namespace PruneNotebook.Visualization;

/// <summary>A <see cref="LanguageModelEvaluation"/> as a one-row table: perplexity, bits per character, loss and characters scored.</summary>
public static class LanguageModelEvaluationHtml
{
    /// <summary>The table for <paramref name="evaluation"/>.</summary>
    public static string ToHtml(LanguageModelEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        Html.TableStart(sb, "validation perplexity", "bits per character", "loss (nats per character)", "characters");
        sb.Append("<tr>");
        Html.Cell(sb, evaluation.Perplexity.ToString("F4", c), right: true);
        Html.Cell(sb, evaluation.BitsPerCharacter.ToString("F4", c), right: true);
        Html.Cell(sb, evaluation.Loss.ToString("F4", c), right: true);
        Html.Cell(sb, Html.Count(evaluation.Tokens), right: true);
        sb.Append("</tr></tbody></table>");
        return sb.ToString();
    }
}
