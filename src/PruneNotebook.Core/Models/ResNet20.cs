using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// A ResNet-20-style network (He et al. 2016, the CIFAR variant) for 28×28 grey-scale images: a 3×3 stem convolution
/// with BN and ReLU, three stages of <c>blocksPerStage</c> <see cref="BasicBlock"/>s with 16, 32 and 64 channels
/// (the second and third stage start with stride 2 and a 1×1 convolution shortcut), global average pooling and a
/// linear classifier. 3 blocks per stage give 19 convolutions + 1 linear layer = 20 weight layers (about 41 M MACs per
/// 28×28 image; a stem stride of 2 runs the stages at 14, 7 and 4 pixels for about a quarter of that).
/// Input (N, 1, 28, 28); output logits (N, 10).
/// </summary>
public sealed class ResNet20 : nn.Module<Tensor, Tensor>, IKnowsInputShape
{
    private readonly Conv2d stem;
    private readonly nn.Module<Tensor, Tensor> bn; // not BatchNorm2d: NetworkSurgery.FoldBatchNorm puts an identity here
    private readonly ReLU relu = nn.ReLU();
    private readonly Sequential stage1;
    private readonly Sequential stage2;
    private readonly Sequential stage3;
    private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc;

    /// <summary>Creates the network with PyTorch's default initialisation, on <paramref name="device"/> (default CPU).</summary>
    /// <param name="inputChannels">Channels of the input images (1 for grey-scale).</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="blocksPerStage">Basic blocks per stage (3 for ResNet-20, 5 for ResNet-32).</param>
    /// <param name="stemStride">Stride of the stem convolution: 1 (the CIFAR design) or 2 (a quarter of the compute).</param>
    /// <param name="device">Device for the parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blocksPerStage"/> is less than 1 or <paramref name="stemStride"/> is not 1 or 2.</exception>
    public ResNet20(int inputChannels = 1, int classes = 10, int blocksPerStage = 3, int stemStride = 1, Device? device = null) : base(nameof(ResNet20))
    {
        if (blocksPerStage < 1)
            throw new ArgumentOutOfRangeException(nameof(blocksPerStage), blocksPerStage, "A stage needs at least one block.");
        if (stemStride is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(stemStride), stemStride, "The stem stride must be 1 or 2.");
        ExampleShape = [inputChannels, 28, 28];
        stem = nn.Conv2d(inputChannels, 16, 3, stride: stemStride, padding: 1, bias: false);
        bn = nn.BatchNorm2d(16);
        stage1 = Stage(16, 16, 1, blocksPerStage);
        stage2 = Stage(16, 32, 2, blocksPerStage);
        stage3 = Stage(32, 64, 2, blocksPerStage);
        fc = nn.Linear(64, classes);
        RegisterComponents();
        if (device is not null)
            this.to(device);
    }

    /// <inheritdoc />
    public IReadOnlyList<long> ExampleShape { get; }

    private static Sequential Stage(long input, long output, long stride, int blocks)
    {
        var stage = nn.Sequential();
        for (var i = 0; i < blocks; i++)
            stage.append(i.ToString(System.Globalization.CultureInfo.InvariantCulture), new BasicBlock(i == 0 ? input : output, output, i == 0 ? stride : 1));
        return stage;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = relu.call(bn.call(stem.call(input)));
        x = stage3.call(stage2.call(stage1.call(x)));
        return fc.call(flatten.call(pool.call(x))).MoveToOuterDisposeScope();
    }
}
