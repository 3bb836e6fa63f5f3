using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>#!tradeoff &lt;model&gt; --data &lt;data&gt; --sparsities 0.5,0.75,0.9 [--criteria l2] [--seeds 3] [--scope local|global] [--channels]
/// [--fine-tune-epochs 1] [--backend local|slurm] [--workers N] [--result v]</c>.
/// </summary>
public sealed class TradeoffCommand : SweepCommand
{
    /// <summary>C# variable holding the trained dense model (a built-in architecture), or a built-in name to train one first.</summary>
    public string Model { get; set; } = "";

    /// <summary>A FashionMnist variable or a dataset name (fashion-mnist).</summary>
    public string? Data { get; set; }

    /// <summary>With a dataset name: use only the first N training and test images.</summary>
    public string? Limit { get; set; }

    /// <summary>Target sparsities, or fractions of units removed with <see cref="Channels"/>.</summary>
    public string? Sparsities { get; set; }

    /// <summary>Criteria besides the baselines.</summary>
    public string? Criteria { get; set; }

    /// <summary>Leave out the random and magnitude baselines.</summary>
    public bool NoBaselines { get; set; }

    /// <summary>Seeds per criterion and target.</summary>
    public string? Seeds { get; set; }

    /// <summary><c>local</c> or <c>global</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>Remove units by surgery instead of masking weights.</summary>
    public bool Channels { get; set; }

    /// <summary>Fine-tuning epochs of every pruned model.</summary>
    public string? FineTuneEpochs { get; set; }

    /// <summary>Epochs of the dense model when the model is given by name.</summary>
    public string? DenseEpochs { get; set; }

    /// <summary>Learning rate of (fine-)tuning.</summary>
    public string? Lr { get; set; }

    /// <summary>Mini-batch size.</summary>
    public string? BatchSize { get; set; }

    /// <summary>C# variable to store the TradeoffResult in.</summary>
    public string? Result { get; set; }
}
