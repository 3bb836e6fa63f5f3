using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>Helpers shared by the regularizers: argument checks and a device-side sum of per-parameter terms.</summary>
internal static class Penalties
{
    public static double Strength(double value, string name, string what) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{what} must be zero or positive, got {value}.", name);

    /// <summary>scale · Σ_p term(p) as a scalar tensor on the parameters' device, carrying gradients; temporaries are disposed.</summary>
    /// <exception cref="ArgumentException">No parameters.</exception>
    public static Tensor Sum(IReadOnlyList<Tensor> parameters, Func<Tensor, Tensor> term, double scale)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
            throw new ArgumentException("A penalty needs at least one parameter: expected e.g. Regularizers.Select(model).", nameof(parameters));
        using var scope = NewDisposeScope();
        var total = term(parameters[0]);
        for (var i = 1; i < parameters.Count; i++)
            total = total.add(term(parameters[i]));
        return total.mul(scale).MoveToOuterDisposeScope();
    }

    /// <summary>Σ|w|, a reduction without a full-size temporary.</summary>
    public static Tensor AbsoluteSum(Tensor parameter) => linalg.vector_norm(parameter, 1);

    /// <summary>Σw², a reduction without a full-size temporary.</summary>
    public static Tensor SquaredSum(Tensor parameter) => linalg.vector_norm(parameter, 2).square();

    public static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).ToLowerInvariant();
}
