using System.Text.Json;

namespace PruneNotebook.Core.Tests;

/// <summary>Reference values written by tests/reference/pytorch_optim_reference.py (PyTorch 1.13's torch.optim).</summary>
internal static class OptimReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "pytorch-optim.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Problem => Root.GetProperty("problem");

    public static JsonElement Schedule(string name) => Named("schedules", name);

    public static JsonElement Optimizer(string name) => Named("optimizers", name);

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static long[] Longs(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt64()).ToArray();

    private static JsonElement Named(string list, string name) =>
        Root.GetProperty(list).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
