namespace PruneNotebook.Core.Experiments;

/// <summary>What a tradeoff study's targets mean and how it prunes.</summary>
public enum TradeoffMode
{
    /// <summary>Targets are sparsities of the prunable weights, reached by masks (unstructured, PyTorch's semantics).</summary>
    Weights,

    /// <summary>Targets are fractions of channels/neurons removed by surgery (structured): MACs and measured latency shrink.</summary>
    Channels,
}
