using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary><c>#!select-features &lt;data&gt; --method rfe|rfecv|lasso|permutation|model [--k 10] [--estimator logistic] [--params "C=0.1"]</c>.</summary>
public sealed class SelectFeaturesCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding a TabularDataset, or a shipped dataset's name.</summary>
    public string Data { get; set; } = "";

    /// <summary>The selection method.</summary>
    public string? Method { get; set; }

    /// <summary>Features to keep.</summary>
    public string? K { get; set; }

    /// <summary>Estimator recipe name.</summary>
    public string? Estimator { get; set; }

    /// <summary>Estimator parameters, <c>name=value;…</c>.</summary>
    public string? Params { get; set; }

    /// <summary>Seed for permutation importance.</summary>
    public string? Seed { get; set; }

    /// <summary>C# variable to store the FeatureSelection in.</summary>
    public string? Result { get; set; }
}

/// <summary><c>#!cv &lt;estimators&gt; --data &lt;data&gt; [--folds 5] [--shuffle] [--seed 0] [--params "alpha=0.1"] [--parallel 1]</c>.</summary>
public sealed class CvCommand : KernelDirectiveCommand
{
    /// <summary>Comma-separated estimators: C# variables holding IEstimators, or recipe names.</summary>
    public string Estimator { get; set; } = "";

    /// <summary>C# variable holding a TabularDataset, or a shipped dataset's name.</summary>
    public string? Data { get; set; }

    /// <summary>Folds.</summary>
    public string? Folds { get; set; }

    /// <summary>Shuffle rows before splitting.</summary>
    public bool Shuffle { get; set; }

    /// <summary>Shuffle seed.</summary>
    public string? Seed { get; set; }

    /// <summary>Parameters for recipe names, <c>name=value;…</c>.</summary>
    public string? Params { get; set; }

    /// <summary>Folds fitted at once.</summary>
    public string? Parallel { get; set; }

    /// <summary>C# variable to store the CandidateComparison in.</summary>
    public string? Result { get; set; }
}

/// <summary><c>#!search &lt;recipe&gt; --data &lt;data&gt; --grid "lr=1e-3,1e-2;wd=0,1e-4" | --random 20 --space "…" [--halving epochs --min-resource 2]</c>.</summary>
public sealed class SearchCommand : SweepCommand
{
    /// <summary>A recipe name, or a C# variable holding a Func&lt;IReadOnlyDictionary&lt;string, object&gt;, IEstimator&gt;.</summary>
    public string Recipe { get; set; } = "";

    /// <summary>C# variable holding a TabularDataset, or a shipped dataset's name.</summary>
    public string? Data { get; set; }

    /// <summary>Grid: <c>name=v1,v2;name=v1,v2</c>.</summary>
    public string? Grid { get; set; }

    /// <summary>Random-search trials.</summary>
    public string? Random { get; set; }

    /// <summary>Random-search space: <c>name=loguniform(a,b);name=choice(x,y)</c>.</summary>
    public string? Space { get; set; }

    /// <summary>Successive halving over this resource parameter (e.g. epochs).</summary>
    public string? Halving { get; set; }

    /// <summary>The first round's budget for halving.</summary>
    public string? MinResource { get; set; }

    /// <summary>The halving factor.</summary>
    public string? Factor { get; set; }

    /// <summary>Folds.</summary>
    public string? Folds { get; set; }

    /// <summary>Seed for random draws and shuffling.</summary>
    public string? Seed { get; set; }

    /// <summary>Trials evaluated at once.</summary>
    public string? Parallel { get; set; }

    /// <summary>C# variable to store the SearchOutcome in.</summary>
    public string? Result { get; set; }
}
