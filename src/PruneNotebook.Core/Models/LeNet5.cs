using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// LeNet-5 (LeCun et al. 1998) in its modern form: conv 1→6 5×5 (padding 2), ReLU, max-pool 2,
/// conv 6→16 5×5, ReLU, max-pool 2, then fully connected 400 → 120 → 84 → 10 with ReLU.
/// Input (N, 1, 28, 28); output logits (N, 10).
/// </summary>
public sealed class LeNet5 : nn.Module<Tensor, Tensor>, IKnowsInputShape
{
    private readonly Conv2d conv1;
    private readonly ReLU relu1 = nn.ReLU();
    private readonly MaxPool2d pool1 = nn.MaxPool2d(2);
    private readonly Conv2d conv2;
    private readonly ReLU relu2 = nn.ReLU();
    private readonly MaxPool2d pool2 = nn.MaxPool2d(2);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc1;
    private readonly ReLU relu3 = nn.ReLU();
    private readonly Linear fc2;
    private readonly ReLU relu4 = nn.ReLU();
    private readonly Linear fc3;

    /// <summary>Creates the network with PyTorch's default initialisation, on <paramref name="device"/> (default CPU).</summary>
    /// <param name="inputChannels">Channels of the input images (1 for grey-scale).</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="device">Device for the parameters.</param>
    public LeNet5(int inputChannels = 1, int classes = 10, Device? device = null) : base(nameof(LeNet5))
    {
        ExampleShape = [inputChannels, 28, 28];
        conv1 = nn.Conv2d(inputChannels, 6, 5, padding: 2);
        conv2 = nn.Conv2d(6, 16, 5);
        fc1 = nn.Linear(16 * 5 * 5, 120);
        fc2 = nn.Linear(120, 84);
        fc3 = nn.Linear(84, classes);
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
        var x = pool1.call(relu1.call(conv1.call(input)));
        x = pool2.call(relu2.call(conv2.call(x)));
        x = flatten.call(x);
        x = relu3.call(fc1.call(x));
        x = relu4.call(fc2.call(x));
        return fc3.call(x).MoveToOuterDisposeScope();
    }
}
