using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TensorDataset = PruneNotebook.Core.Data.TensorDataset;

namespace PruneNotebook.Core.Tests;

/// <summary>Reference values written by tests/reference/pytorch_posttraining_reference.py (PyTorch 1.13).</summary>
internal static class PostTrainingReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "pytorch-posttraining.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    /// <summary>The reference network (fc1 Linear 16→32, ReLU, fc2 Linear 32→8) with the script's weights.</summary>
    public static TwoLayers Network()
    {
        var model = new TwoLayers();
        foreach (var parameter in Root.GetProperty("parameters").EnumerateObject())
        {
            using var values = tensor(PyTorchReference.Floats(parameter.Value.GetProperty("values")), PyTorchReference.Longs(parameter.Value.GetProperty("shape")));
            using (no_grad())
                model.named_parameters().Single(p => p.name == parameter.Name).parameter.copy_(values);
        }
        return model;
    }

    /// <summary>The 24 calibration inputs (24, 16), with dummy labels.</summary>
    public static TensorDataset Calibration()
    {
        var x = Root.GetProperty("calibration");
        return new TensorDataset(tensor(PyTorchReference.Floats(x.GetProperty("values")), PyTorchReference.Longs(x.GetProperty("shape"))), zeros(24, ScalarType.Int64));
    }

    public static float[] Values(Tensor t) => t.detach().to_type(ScalarType.Float32).flatten().data<float>().ToArray();

    public sealed class TwoLayers : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1 = nn.Linear(16, 32);
        private readonly ReLU relu = nn.ReLU();
        private readonly Linear fc2 = nn.Linear(32, 8);

        public TwoLayers() : base(nameof(TwoLayers)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc2.call(relu.call(fc1.call(input)));
    }
}
