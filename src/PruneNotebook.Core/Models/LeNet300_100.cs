using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// LeNet-300-100 (LeCun et al. 1998; the MLP Han et al. 2015 prune): 784 → 300 → 100 → 10 with ReLU.
/// Input (N, 1, 28, 28) or (N, 784); output logits (N, 10).
/// </summary>
public sealed class LeNet300_100 : nn.Module<Tensor, Tensor>, IKnowsInputShape
{
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc1;
    private readonly ReLU relu1 = nn.ReLU();
    private readonly Linear fc2;
    private readonly ReLU relu2 = nn.ReLU();
    private readonly Linear fc3;

    /// <summary>Creates the network with PyTorch's default initialisation, on <paramref name="device"/> (default CPU).</summary>
    /// <param name="inputFeatures">Input features (784 for 28×28 images).</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="device">Device for the parameters.</param>
    public LeNet300_100(int inputFeatures = 784, int classes = 10, Device? device = null) : base(nameof(LeNet300_100))
    {
        ExampleShape = inputFeatures == 28 * 28 ? [1, 28, 28] : [inputFeatures];
        fc1 = nn.Linear(inputFeatures, 300);
        fc2 = nn.Linear(300, 100);
        fc3 = nn.Linear(100, classes);
        RegisterComponents();
        if (device is not null)
            this.to(device);
    }

    /// <inheritdoc />
    public IReadOnlyList<long> ExampleShape { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = flatten.call(input);
        x = relu1.call(fc1.call(x));
        x = relu2.call(fc2.call(x));
        return fc3.call(x).MoveToOuterDisposeScope();
    }
}
