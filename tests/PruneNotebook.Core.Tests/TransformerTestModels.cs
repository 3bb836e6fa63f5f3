using PruneNotebook.Core.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>A user's tiny causal character model from the library's blocks: token embedding → positions → 2 blocks → LayerNorm → head.</summary>
public sealed class TinyCharModel : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens = nn.Embedding(20, 16);
    private readonly PositionalEmbedding positions = new(12, 16);
    private readonly TransformerBlock first = new(16, 4, 24, causal: true);
    private readonly TransformerBlock second = new(16, 4, 24, causal: true);
    private readonly LayerNorm norm = nn.LayerNorm(16);
    private readonly Linear head = nn.Linear(16, 20);

    public TinyCharModel() : base(nameof(TinyCharModel)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = second.call(first.call(positions.call(tokens.call(input))));
        return head.call(norm.call(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>A user's model around TorchSharp's native nn.TransformerEncoderLayer, which holds its inner layers' weights without registering them as modules.</summary>
public sealed class NativeEncoderModel : nn.Module<Tensor, Tensor>
{
    private readonly Linear embed = nn.Linear(8, 16);
    private readonly TransformerEncoderLayer encoder = nn.TransformerEncoderLayer(16, 2, 32, 0.0);
    private readonly Linear head = nn.Linear(16, 4);

    public NativeEncoderModel() : base(nameof(NativeEncoderModel)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return head.call(encoder.call(embed.call(input)).mean([1])).MoveToOuterDisposeScope();
    }
}

/// <summary>Attention written with arithmetic in forward, without declaring its heads: the graph cannot see them.</summary>
public sealed class FunctionalAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear query = nn.Linear(8, 8);
    private readonly Linear key = nn.Linear(8, 8);
    private readonly Linear value = nn.Linear(8, 8);
    private readonly Linear output = nn.Linear(8, 8);

    public FunctionalAttention() : base(nameof(FunctionalAttention)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var weights = query.call(input).matmul(key.call(input).transpose(1, 2)).softmax(-1);
        return output.call(weights.matmul(value.call(input))).MoveToOuterDisposeScope();
    }
}

/// <summary>A depthwise-separable CNN: conv → ReLU → depthwise 3×3 → BN → ReLU → pointwise 1×1 → ReLU → pool → flatten → linear, on 1×8×8.</summary>
public sealed class DepthwiseSeparableNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem = nn.Conv2d(1, 8, 3, padding: 1);
    private readonly ReLU relu1 = nn.ReLU();
    private readonly Conv2d depthwise = nn.Conv2d(8, 8, 3, padding: 1, groups: 8);
    private readonly BatchNorm2d bn = nn.BatchNorm2d(8);
    private readonly ReLU relu2 = nn.ReLU();
    private readonly Conv2d pointwise = nn.Conv2d(8, 12, 1);
    private readonly ReLU relu3 = nn.ReLU();
    private readonly AdaptiveAvgPool2d pool = nn.AdaptiveAvgPool2d(1);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(12, 3);

    public DepthwiseSeparableNet(long groups = 8) : base(nameof(DepthwiseSeparableNet))
    {
        depthwise = nn.Conv2d(8, 8, 3, padding: 1, groups: groups);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = relu2.call(bn.call(depthwise.call(relu1.call(stem.call(input)))));
        x = pool.call(relu3.call(pointwise.call(x)));
        return fc.call(flatten.call(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>A user's parameter-free global pooling (N, C, H, W) → (N, C) in one module.</summary>
public sealed class GlobalMeanPool : nn.Module<Tensor, Tensor>
{
    public GlobalMeanPool() : base(nameof(GlobalMeanPool)) { }

    public override Tensor forward(Tensor input) => input.mean([2L, 3L]);
}

/// <summary>conv 1→6 (4×4 map) → ReLU → global mean pool → linear 6→3: the pooled channels are the linear layer's inputs.</summary>
public sealed class PooledConvNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv = nn.Conv2d(1, 6, 3, padding: 1);
    private readonly ReLU relu = nn.ReLU();
    private readonly GlobalMeanPool pool = new();
    private readonly Linear fc = nn.Linear(6, 3);

    public PooledConvNet() : base(nameof(PooledConvNet)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc.call(pool.call(relu.call(conv.call(input)))).MoveToOuterDisposeScope();
    }
}
