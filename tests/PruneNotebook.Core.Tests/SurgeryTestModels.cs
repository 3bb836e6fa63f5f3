using PruneNotebook.Core.Surgery;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>A per-channel learnable scale: a layer type the library has never seen.</summary>
public sealed class ChannelScale : nn.Module<Tensor, Tensor>
{
    public ChannelScale(long channels) : base(nameof(ChannelScale))
    {
        scale = nn.Parameter(linspace(0.5, 1.5, channels));
        RegisterComponents();
    }

    public Parameter scale;

    public override Tensor forward(Tensor input) => input * scale.reshape(1, -1, 1, 1);
}

/// <summary>The surgeon a user would write for <see cref="ChannelScale"/>: it carries each channel through.</summary>
public sealed class ChannelScaleSurgeon : LayerSurgeon<ChannelScale>
{
    public override bool IsPassthrough => true;
    protected override long OutputUnits(ChannelScale module) => module.scale.shape[0];
    protected override long InputFeatures(ChannelScale module) => module.scale.shape[0];
    protected override IReadOnlyList<(string Name, int Dim)> OutputSlices(ChannelScale module) => [("scale", 0)];
    protected override IReadOnlyList<(string Name, int Dim)> InputSlices(ChannelScale module) => [];

    protected override ChannelScale Shrink(ChannelScale module, Tensor? keptOutputs, Tensor? keptInputs)
    {
        var result = new ChannelScale(keptOutputs?.shape[0] ?? module.scale.shape[0]);
        CopyInto(result.scale, Select(module.scale, 0, keptOutputs));
        return result;
    }
}

/// <summary>conv → custom scale → ReLU → conv → ReLU → flatten → linear, on 1×8×8 inputs.</summary>
public sealed class ScaledNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 8, 3, padding: 1);
    private readonly ChannelScale scale = new(8);
    private readonly ReLU relu1 = nn.ReLU();
    private readonly Conv2d conv2 = nn.Conv2d(8, 6, 3, padding: 1);
    private readonly ReLU relu2 = nn.ReLU();
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(6 * 8 * 8, 4);

    public ScaledNet() : base(nameof(ScaledNet)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = relu1.call(scale.call(conv1.call(input)));
        x = relu2.call(conv2.call(x));
        return fc.call(flatten.call(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>A layer with parameters and no surgeon.</summary>
public sealed class Mystery : nn.Module<Tensor, Tensor>
{
    public Mystery(long channels) : base(nameof(Mystery))
    {
        shift = nn.Parameter(zeros(1, channels, 1, 1));
        RegisterComponents();
    }

    public Parameter shift;

    public override Tensor forward(Tensor input) => input + shift;
}

/// <summary>conv → Mystery → conv, or conv → functional ReLU → conv (untraceable).</summary>
public sealed class TwoConvNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 4, 3, padding: 1);
    private readonly Mystery? mystery;
    private readonly Conv2d conv2 = nn.Conv2d(4, 2, 3, padding: 1);

    public TwoConvNet(bool withMystery) : base(nameof(TwoConvNet))
    {
        mystery = withMystery ? new Mystery(4) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv1.call(input);
        x = mystery is null ? nn.functional.relu(x) : mystery.call(x);
        return conv2.call(x).MoveToOuterDisposeScope();
    }
}

/// <summary>Snapshots of a model's state and layers, to show that a refusal changed nothing.</summary>
public static class ModelState
{
    public static Dictionary<string, float[]> Values(nn.Module model) =>
        model.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32)
            .ToDictionary(kv => kv.Key, kv => kv.Value.detach().flatten().data<float>().ToArray());

    public static List<nn.Module> Layers(nn.Module model) => model.named_modules().Select(m => m.module).ToList();

    public static void AssertUnchanged(nn.Module model, Dictionary<string, float[]> values, List<nn.Module> layers)
    {
        var now = Values(model);
        Assert.Equal(values.Keys, now.Keys);
        foreach (var (name, value) in values)
            Assert.Equal(value, now[name]);
        Assert.Equal(layers, Layers(model));
    }
}
