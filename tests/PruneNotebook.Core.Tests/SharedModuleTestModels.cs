using PruneNotebook.Core.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>
/// Networks written the way PyTorch users write them, with one stateless module called in several places. Each comes
/// in two forms, <c>shared: true</c> (one instance called everywhere) and <c>shared: false</c> (a separate instance for
/// every call): the same function and the same weights (copy with <see cref="SharedModules.CopyWeights"/>), so the
/// separate form is the reference for what surgery on the shared form must do.
/// </summary>
public static class SharedModules
{
    /// <summary>Copies every parameter and buffer of <paramref name="source"/> into the same-named one of <paramref name="target"/>.</summary>
    public static void CopyWeights(nn.Module source, nn.Module target)
    {
        using var noGrad = no_grad();
        var targets = target.state_dict();
        foreach (var (name, value) in source.state_dict())
            targets[name].copy_(value);
    }

    /// <summary>The number of parameters.</summary>
    public static long Parameters(nn.Module model) => model.parameters().Sum(p => p.numel());

    /// <summary>A module's layer by qualified name.</summary>
    public static T Layer<T>(nn.Module model, string name) where T : nn.Module =>
        (T)model.named_modules().Single(m => m.name == name).module;
}

/// <summary>
/// The CNN: 3→16→32→32 convolutions, each followed by ReLU, global average pooling, a 32→10 classifier
/// (14,666 parameters) on 3×16×16 images. Shared: <c>relu(c3(relu(c2(relu(c1(x))))))</c> with one <c>nn.ReLU()</c>.
/// </summary>
public sealed class SharedReluCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d c1 = nn.Conv2d(3, 16, 3, padding: 1);
    private readonly Conv2d c2 = nn.Conv2d(16, 32, 3, padding: 1);
    private readonly Conv2d c3 = nn.Conv2d(32, 32, 3, padding: 1);
    private readonly ReLU relu = nn.ReLU();
    private readonly ReLU? relu2;
    private readonly ReLU? relu3;
    private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(32, 10);

    public SharedReluCnn(bool shared) : base(nameof(SharedReluCnn))
    {
        if (!shared)
            (relu2, relu3) = (nn.ReLU(), nn.ReLU());
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = (relu3 ?? relu).call(c3.call((relu2 ?? relu).call(c2.call(relu.call(c1.call(input))))));
        return fc.call(flatten.call(pool.call(x))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// conv 1→8, ReLU, max-pool 2, conv 8→16, ReLU, max-pool 2, flatten, linear 16·4·4→10 on 1×16×16 images; shared: one
/// <c>nn.MaxPool2d(2)</c> and one <c>nn.ReLU()</c> for both stages, held in a Sequential twice as users often write it.
/// </summary>
public sealed class SharedPoolNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(16 * 4 * 4, 10);

    public SharedPoolNet(bool shared) : base(nameof(SharedPoolNet))
    {
        var (relu, pool) = (nn.ReLU(), nn.MaxPool2d(2));
        features = nn.Sequential(
            ("conv1", nn.Conv2d(1, 8, 3, padding: 1)), ("relu1", relu), ("pool1", pool),
            ("conv2", nn.Conv2d(8, 16, 3, padding: 1)), ("relu2", shared ? relu : nn.ReLU()), ("pool2", shared ? pool : nn.MaxPool2d(2)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc.call(flatten.call(features.call(input))).MoveToOuterDisposeScope();
    }
}

/// <summary>conv → BatchNorm → ReLU, a block the network below applies twice.</summary>
public sealed class ConvBnRelu : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly ReLU relu = nn.ReLU();

    public ConvBnRelu(long channels) : base(nameof(ConvBnRelu))
    {
        conv = nn.Conv2d(channels, channels, 3, padding: 1);
        bn = nn.BatchNorm2d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return relu.call(bn.call(conv.call(input))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// stem conv 1→8 and ReLU, one <see cref="ConvBnRelu"/> block applied twice (<c>block(block(x))</c>, the same weights
/// both times), global average pooling, linear 8→4, on 1×8×8 images.
/// </summary>
public sealed class TwiceAppliedBlockNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem = nn.Conv2d(1, 8, 3, padding: 1);
    private readonly ReLU relu = nn.ReLU();
    private readonly ConvBnRelu block = new(8);
    private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear head = nn.Linear(8, 4);

    public TwiceAppliedBlockNet() : base(nameof(TwiceAppliedBlockNet)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = block.call(block.call(relu.call(stem.call(input))));
        return head.call(flatten.call(pool.call(x))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// torchvision's BasicBlock as written there: <c>out = relu(bn1(conv1(x))); out = bn2(conv2(out)); out += x;
/// return relu(out)</c>, one <c>nn.ReLU(inplace: true)</c> called twice (shared), or two ReLUs.
/// </summary>
public sealed class TorchvisionStyleBlock : nn.Module<Tensor, Tensor>, IDeclaresCoupling
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly ReLU relu = nn.ReLU(inplace: true);
    private readonly ReLU? relu2;

    public TorchvisionStyleBlock(long channels, bool shared) : base(nameof(TorchvisionStyleBlock))
    {
        conv1 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(channels);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(channels);
        if (!shared)
            relu2 = nn.ReLU(inplace: true);
        RegisterComponents();
    }

    public IReadOnlyList<string> AddedBranches => ["bn2", ""];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = relu.call(bn1.call(conv1.call(input)));
        output = bn2.call(conv2.call(output));
        output.add_(input);
        return (relu2 ?? relu).call(output).MoveToOuterDisposeScope();
    }
}

/// <summary>stem conv 1→16 with BN and ReLU, two <see cref="TorchvisionStyleBlock"/>s, average pooling, linear 16→10, on 1×8×8 images.</summary>
public sealed class TorchvisionStyleResNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem = nn.Conv2d(1, 16, 3, padding: 1, bias: false);
    private readonly BatchNorm2d bn = nn.BatchNorm2d(16);
    private readonly ReLU relu = nn.ReLU(inplace: true);
    private readonly TorchvisionStyleBlock layer1;
    private readonly TorchvisionStyleBlock layer2;
    private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(16, 10);

    public TorchvisionStyleResNet(bool shared) : base(nameof(TorchvisionStyleResNet))
    {
        layer1 = new TorchvisionStyleBlock(16, shared);
        layer2 = new TorchvisionStyleBlock(16, shared);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = layer2.call(layer1.call(relu.call(bn.call(stem.call(input)))));
        return fc.call(flatten.call(pool.call(x))).MoveToOuterDisposeScope();
    }
}

/// <summary>A residual block <c>conv(x) + x</c> whose convolution is held as a plain module, so layer pruning may bypass it.</summary>
public sealed class ResidualConv : nn.Module<Tensor, Tensor>, IDeclaresCoupling
{
    private readonly nn.Module<Tensor, Tensor> conv;

    public ResidualConv(long channels) : base(nameof(ResidualConv))
    {
        conv = nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public IReadOnlyList<string> AddedBranches => ["conv", ""];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return conv.call(input).add(input).MoveToOuterDisposeScope();
    }
}

/// <summary>stem conv 1→4 and ReLU, then one <see cref="ResidualConv"/> registered twice in a Sequential (applied twice), pooling, linear 4→3, on 1×8×8 images.</summary>
public sealed class RepeatedResidualNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem = nn.Conv2d(1, 4, 3, padding: 1);
    private readonly ReLU relu = nn.ReLU();
    private readonly Sequential blocks;
    private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(4, 3);

    public RepeatedResidualNet() : base(nameof(RepeatedResidualNet))
    {
        var block = new ResidualConv(4);
        blocks = nn.Sequential(("0", block), ("1", block));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc.call(flatten.call(pool.call(blocks.call(relu.call(stem.call(input)))))).MoveToOuterDisposeScope();
    }
}
