using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>A surgery on a whole model: <c>&lt;model&gt; [--data &lt;dataset&gt;] [--input-shape 1,1,28,28] [--channels-last]</c>.</summary>
public abstract class ModelSurgeryCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>C# variable holding evaluation data for the accuracy before and after (optional).</summary>
    public string? Data { get; set; }

    /// <summary>Input shape with batch size, when the model does not know it.</summary>
    public string? InputShape { get; set; }

    /// <summary>Serve the network channels-last afterwards (<c>MemoryLayout.UseChannelsLast</c>).</summary>
    public bool ChannelsLast { get; set; }

    /// <summary><c>--show-recipe</c>: afterwards, print the recipe step this command ran, as one line of YAML.</summary>
    public bool ShowRecipe { get; set; }
}

/// <summary><c>#!trim &lt;model&gt; [--data &lt;dataset&gt;] [--input-shape 1,1,28,28] [--channels-last]</c>: removes the units pruning zeroed.</summary>
public sealed class TrimCommand : ModelSurgeryCommand;

/// <summary><c>#!fold-bn &lt;model&gt; [--data &lt;dataset&gt;] [--input-shape 1,1,28,28] [--channels-last]</c>: BatchNorm folded into the layer before it.</summary>
public sealed class FoldBatchNormCommand : ModelSurgeryCommand;

/// <summary>
/// <c>#!compress &lt;model&gt; --amount 0.5 [--heads 0.5] [--criterion l1|l2|ln|random|taylor|apoz|bn] [--n 2] [--seed 0] [--scope local|global] [--round-to 8]
/// [--ignore fc3] [--max-fraction 0.8] [--normalized-groups] [--data &lt;dataset&gt;] [--input-shape 1,1,28,28] [--channels-last]</c>.
/// </summary>
public sealed class CompressCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>Fraction of the units present (0.5, 50%) or a count of units (16).</summary>
    public string? Amount { get; set; }

    /// <summary>A registered criterion name (<c>Criteria.Names</c>); default <c>l1</c>.</summary>
    public string? Criterion { get; set; }

    /// <summary>Norm order for <c>ln</c>.</summary>
    public string? N { get; set; }

    /// <summary>Seed for <c>random</c>.</summary>
    public string? Seed { get; set; }

    /// <summary>local or global.</summary>
    public string? Scope { get; set; }

    /// <summary>Round kept counts to a multiple of this.</summary>
    public string? RoundTo { get; set; }

    /// <summary>Comma-separated layers to keep whole.</summary>
    public string? Ignore { get; set; }

    /// <summary>The most any one layer may lose.</summary>
    public string? MaxFraction { get; set; }

    /// <summary>Attention heads to remove: a fraction (0.5) or a count (1) of each attention layer's heads.</summary>
    public string? Heads { get; set; }

    /// <summary>Also cut groups a LayerNorm normalises (a transformer's residual stream).</summary>
    public bool NormalizedGroups { get; set; }

    /// <summary>C# variable holding data: needed by taylor and apoz, and gives the accuracy before and after.</summary>
    public string? Data { get; set; }

    /// <summary>Input shape with batch size, when the model does not know it.</summary>
    public string? InputShape { get; set; }

    /// <summary>Serve the network channels-last afterwards (<c>MemoryLayout.UseChannelsLast</c>).</summary>
    public bool ChannelsLast { get; set; }

    /// <summary><c>--show-recipe</c>: afterwards, print the recipe step this command ran, as one line of YAML.</summary>
    public bool ShowRecipe { get; set; }
}

/// <summary><c>#!drop-layers &lt;model&gt; --count 2 --data &lt;dataset&gt; [--input-shape 1,1,28,28] [--channels-last]</c>: layer pruning.</summary>
public sealed class DropLayersCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>How many residual blocks or layers to remove.</summary>
    public string? Count { get; set; }

    /// <summary>C# variable holding the data the ranking is measured on.</summary>
    public string? Data { get; set; }

    /// <summary>Input shape with batch size, when the model does not know it.</summary>
    public string? InputShape { get; set; }

    /// <summary>Serve the network channels-last afterwards (<c>MemoryLayout.UseChannelsLast</c>).</summary>
    public bool ChannelsLast { get; set; }

    /// <summary><c>--show-recipe</c>: afterwards, print the recipe step this command ran, as one line of YAML.</summary>
    public bool ShowRecipe { get; set; }
}
