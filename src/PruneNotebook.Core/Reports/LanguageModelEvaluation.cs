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
}
