using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PruneNotebook.Core.Tests;

/// <summary>Reference values written by tests/reference/pytorch_pruning_reference.py (PyTorch 1.13).</summary>
internal static class PyTorchReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "pytorch-pruning.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Case(string name) =>
        Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToArray();

    /// <summary>The two-layer model of the reference script (fc: Linear 12→10, conv: Conv2d 3→6 3×3) with the case's weights.</summary>
    public static FcConv Model(JsonElement testCase)
    {
        var model = new FcConv();
        foreach (var weight in testCase.GetProperty("weights").EnumerateObject())
        {
            var shape = Longs(weight.Value.GetProperty("shape"));
            using var values = tensor(Floats(weight.Value.GetProperty("values")), shape);
            var parameter = model.named_parameters().Single(p => p.name == weight.Name).parameter;
            using (no_grad())
                parameter.copy_(values);
        }
        return model;
    }

    public static long[] MaskOf(Tensor mask) => mask.to_type(ScalarType.Int64).flatten().data<long>().ToArray();

    public sealed class FcConv : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc = nn.Linear(12, 10);
        private readonly Conv2d conv = nn.Conv2d(3, 6, 3);

        public FcConv() : base(nameof(FcConv)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc.call(input);
    }
}
