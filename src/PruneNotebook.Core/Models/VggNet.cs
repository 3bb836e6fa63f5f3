using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// A small VGG-style CNN (Simonyan and Zisserman 2014): blocks of 3×3 convolution (padding 1) → BatchNorm → ReLU,
/// a 2×2 max-pool after each stage, then flatten → Linear → ReLU → Linear. The default configuration
/// (16, 16, M, 32, 32, M, 64, 64, M) on 28×28 grey-scale images ends in 64 × 3 × 3 features.
/// Input (N, channels, size, size); output logits (N, classes).
/// </summary>
public sealed class VggNet : nn.Module<Tensor, Tensor>, IKnowsInputShape
{
    /// <summary>The default configuration: channel counts, with 0 standing for a 2×2 max-pool.</summary>
    public static readonly IReadOnlyList<int> DefaultConfiguration = [16, 16, 0, 32, 32, 0, 64, 64, 0];

    private readonly Sequential features;
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc1;
    private readonly ReLU relu = nn.ReLU();
    private readonly Linear fc2;

    /// <summary>Creates the network with PyTorch's default initialisation, on <paramref name="device"/> (default CPU).</summary>
    /// <param name="configuration">Output channels of each convolution in order, 0 for a max-pool; default <see cref="DefaultConfiguration"/>.</param>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="imageSize">Height and width of the input images.</param>
    /// <param name="hidden">Units of the hidden fully connected layer.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="device">Device for the parameters.</param>
    /// <exception cref="ArgumentException">The configuration has no convolution, a negative entry, or pools the image to nothing.</exception>
    public VggNet(IReadOnlyList<int>? configuration = null, int inputChannels = 1, int imageSize = 28, int hidden = 128, int classes = 10, Device? device = null)
        : base(nameof(VggNet))
    {
        configuration ??= DefaultConfiguration;
        if (!configuration.Any(c => c > 0) || configuration.Any(c => c < 0))
            throw new ArgumentException($"VGG configuration [{string.Join(", ", configuration)}] must list positive channel counts (0 for a max-pool), at least one.", nameof(configuration));
        ExampleShape = [inputChannels, imageSize, imageSize];
        features = nn.Sequential();
        long channels = inputChannels, size = imageSize;
        int convolutions = 0, pools = 0;
        foreach (var entry in configuration)
        {
            if (entry == 0)
            {
                features.append($"pool{++pools}", nn.MaxPool2d(2));
                size /= 2;
                continue;
            }
            var index = (++convolutions).ToString(CultureInfo.InvariantCulture);
            features.append("conv" + index, nn.Conv2d(channels, entry, 3, padding: 1));
            features.append("bn" + index, nn.BatchNorm2d(entry));
            features.append("relu" + index, nn.ReLU());
            channels = entry;
        }
        if (size < 1)
            throw new ArgumentException($"VGG configuration [{string.Join(", ", configuration)}] pools a {imageSize}×{imageSize} image to nothing.", nameof(configuration));
        fc1 = nn.Linear(channels * size * size, hidden);
        fc2 = nn.Linear(hidden, classes);
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
        var x = flatten.call(features.call(input));
        return fc2.call(relu.call(fc1.call(x))).MoveToOuterDisposeScope();
    }
}
