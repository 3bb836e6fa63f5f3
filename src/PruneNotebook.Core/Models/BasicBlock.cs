using PruneNotebook.Core.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Models;

/// <summary>
/// The residual basic block of He et al. 2016: conv 3×3 → BN → ReLU → conv 3×3 → BN, plus a shortcut, then ReLU.
/// The shortcut is the identity when the shape is kept, else a 1×1 convolution with stride and BN.
/// Input (N, in, H, W); output (N, out, H / stride, W / stride).
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>, IDeclaresCoupling
{
    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn1; // not BatchNorm2d: NetworkSurgery.FoldBatchNorm puts an identity here
    private readonly ReLU relu1 = nn.ReLU();
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly Sequential? shortcut;
    private readonly ReLU relu2 = nn.ReLU();

    /// <summary>Creates a block from <paramref name="inputChannels"/> to <paramref name="outputChannels"/>.</summary>
    /// <param name="inputChannels">Channels of the input.</param>
    /// <param name="outputChannels">Channels of both convolutions and of the output.</param>
    /// <param name="stride">Stride of the first convolution (and of the shortcut): 2 halves the image size.</param>
    public BasicBlock(long inputChannels, long outputChannels, long stride = 1) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inputChannels, outputChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outputChannels);
        conv2 = nn.Conv2d(outputChannels, outputChannels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outputChannels);
        if (stride != 1 || inputChannels != outputChannels)
            shortcut = nn.Sequential(
                ("conv", nn.Conv2d(inputChannels, outputChannels, 1, stride: stride, bias: false)),
                ("bn", nn.BatchNorm2d(outputChannels)));
        RegisterComponents();
    }

    /// <summary>Whether the shortcut is the identity (so the block can be bypassed without changing shapes).</summary>
    public bool HasIdentityShortcut => shortcut is null;

    /// <inheritdoc />
    public IReadOnlyList<string> AddedBranches => shortcut is null ? ["bn2", ""] : ["bn2", "shortcut"];

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = relu1.call(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        var identity = shortcut is null ? input : shortcut.call(input);
        return relu2.call(x.add_(identity)).MoveToOuterDisposeScope();
    }
}
