using Microsoft.DotNet.Interactive.Commands;

namespace PruneNotebook.Interactive;

/// <summary>
/// <c>#!train &lt;model&gt; --data &lt;train&gt; [--validation &lt;data&gt;] [--optimizer adam] [--lr 1e-3] [--epochs 5] [--batch-size 128]
/// [--schedule cosine] [--l1 1e-5] [--l2 1e-4] [--early-stopping 3] [--checkpoint path] [--resume]</c>.
/// </summary>
public sealed class TrainCommand : KernelDirectiveCommand
{
    /// <summary>C# variable holding the model.</summary>
    public string Model { get; set; } = "";

    /// <summary>C# variable holding the training data (a TensorDataset, or a FashionMnist whose train split is used).</summary>
    public string? Data { get; set; }

    /// <summary>C# variable holding the validation data; default: a FashionMnist's test split, else none.</summary>
    public string? Validation { get; set; }

    /// <summary>Fraction of the training data held out for validation when there is no validation set.</summary>
    public string? ValidationFraction { get; set; }

    /// <summary>Optimizer name.</summary>
    public string? Optimizer { get; set; }

    /// <summary>Initial learning rate.</summary>
    public string? Lr { get; set; }

    /// <summary>Epochs to train.</summary>
    public string? Epochs { get; set; }

    /// <summary>Mini-batch size.</summary>
    public string? BatchSize { get; set; }

    /// <summary>Momentum for sgd and rmsprop.</summary>
    public string? Momentum { get; set; }

    /// <summary>Nesterov momentum for sgd.</summary>
    public bool Nesterov { get; set; }

    /// <summary>Optimizer weight decay (decoupled for adamw).</summary>
    public string? WeightDecay { get; set; }

    /// <summary>Learning-rate schedule specification.</summary>
    public string? Schedule { get; set; }

    /// <summary>L1 penalty strength.</summary>
    public string? L1 { get; set; }

    /// <summary>L2 penalty strength.</summary>
    public string? L2 { get; set; }

    /// <summary>Group-lasso penalty strength (over output units).</summary>
    public string? GroupLasso { get; set; }

    /// <summary>Early-stopping patience in epochs.</summary>
    public string? EarlyStopping { get; set; }

    /// <summary>Checkpoint file written after every epoch.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>Resume from <see cref="Checkpoint"/> when it exists.</summary>
    public bool Resume { get; set; }

    /// <summary>Seed for shuffling, the validation split and dropout.</summary>
    public string? Seed { get; set; }

    /// <summary>C# variable to store the resulting TrainingHistory in.</summary>
    public string? History { get; set; }

    /// <summary><c>--show-recipe</c>: afterwards, print the recipe step this command ran, as one line of YAML.</summary>
    public bool ShowRecipe { get; set; }
}
