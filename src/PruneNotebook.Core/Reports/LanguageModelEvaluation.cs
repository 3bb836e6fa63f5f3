namespace PruneNotebook.Core.Reports;

/// <summary>How well a language model predicts held-out text, per token (character).</summary>
/// <param name="Loss">Mean cross-entropy in nats per token.</param>
/// <param name="Tokens">Tokens scored.</param>
public sealed record LanguageModelEvaluation(double Loss, long Tokens)
{
    /// <summary>exp(loss): the effective number of equally likely next tokens.</summary>
    public double Perplexity => Math.Exp(Loss);

    /// <summary>Loss in bits per character (loss / ln 2).</summary>
    public double BitsPerCharacter => Loss / Math.Log(2);

    /// <summary>One line, the same in every host: <c>perplexity 5.1234, 2.3571 bits per character on 128,000 characters</c>.</summary>
    public string Line => string.Format(System.Globalization.CultureInfo.InvariantCulture,
        "perplexity {0:F4}, {1:F4} bits per character on {2:N0} characters", Perplexity, BitsPerCharacter, Tokens);
}
