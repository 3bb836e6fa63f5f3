using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>#!prune &lt;model&gt; --amount 0.9 [--criterion l1|l2|ln|random|taylor|apoz|bn] [--scope local|global] [--structured [--dim 0]]
/// [--n 2] [--seed 0] [--data &lt;dataset&gt;] [--layers conv1,fc1]</c>.
/// </summary>
public sealed class PruneCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>Fraction (0.9, 90%) of what remains, or a count (120).</summary>
    public string? Amount { get; set; }

    /// <summary>A registered criterion name (<c>Criteria.Names</c>); default <c>l1</c>.</summary>
    public string? Criterion { get; set; }

    /// <summary><c>local</c> (each layer alone) or <c>global</c> (one threshold).</summary>
    public string? Scope { get; set; }

    /// <summary>Prune whole units (rows / filters) instead of single weights.</summary>
    public bool Structured { get; set; }

    /// <summary>Dimension of the units for structured pruning (0: outputs, 1: inputs).</summary>
    public string? Dim { get; set; }

    /// <summary>Norm order for <c>ln</c>.</summary>
    public string? N { get; set; }

    /// <summary>Seed for <c>random</c>.</summary>
    public string? Seed { get; set; }

    /// <summary>C# variable holding data for criteria that measure on data (taylor, apoz, wanda, sparsegpt).</summary>
    public string? Data { get; set; }

    /// <summary>The same as <see cref="Data"/>, spelled for post-training criteria (wanda, sparsegpt).</summary>
    public string? Calibration { get; set; }

    /// <summary>An N:M pattern (<c>2:4</c>) instead of an amount.</summary>
    public string? NM { get; set; }

    /// <summary>Calibration examples for wanda and sparsegpt.</summary>
    public string? Samples { get; set; }

    /// <summary>Columns per block for sparsegpt.</summary>
    public string? Blocksize { get; set; }

    /// <summary>Dampening for sparsegpt.</summary>
    public string? Damping { get; set; }

    /// <summary>Comma-separated layer names; default every Linear and convolution layer.</summary>
    public string? Layers { get; set; }

    /// <summary><c>--show-recipe</c>: afterwards, print the recipe step this command ran, as one line of YAML.</summary>
    public bool ShowRecipe { get; set; }
}

/// <summary><c>#!sparsity &lt;model&gt; [--layers conv1,fc1]</c>: sparsity maps and kept fraction per layer.</summary>
public sealed class SparsityCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>Comma-separated layer names; default every Linear and convolution layer.</summary>
    public string? Layers { get; set; }
}

/// <summary><c>#!sensitivity &lt;model&gt; --data &lt;variable&gt; [--amounts 0.1,0.3,0.5,0.7,0.9] [--criterion l1] [--n 2] [--seed 0] [--layers ...] [--backend local|slurm --workers N]</c>.</summary>
public sealed class SensitivityCommand : SweepCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>C# variable holding a TensorDataset, or a FashionMnist (its test split is used).</summary>
    public string? Data { get; set; }

    /// <summary>Comma-separated sparsities.</summary>
    public string? Amounts { get; set; }

    /// <summary>A registered criterion that scores weights; default <c>l1</c>.</summary>
    public string? Criterion { get; set; }

    /// <summary>Norm order for <c>ln</c>.</summary>
    public string? N { get; set; }

    /// <summary>Seed for <c>random</c>.</summary>
    public string? Seed { get; set; }

    /// <summary>Comma-separated layer names; default every Linear and convolution layer.</summary>
    public string? Layers { get; set; }

    /// <summary>With a backend and <c>--data fashion-mnist</c>: the first N test images.</summary>
    public string? Limit { get; set; }
}
