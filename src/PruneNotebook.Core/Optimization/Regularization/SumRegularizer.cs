using static TorchSharp.torch;

namespace PruneNotebook.Core.Optimization.Regularization;

/// <summary>The sum of several penalties on the same parameters, e.g. group lasso plus L2.</summary>
public sealed record SumRegularizer : IRegularizer
{
    /// <summary>Creates the sum.</summary>
    /// <param name="terms">The penalties added together (at least one).</param>
    /// <exception cref="ArgumentException">No terms.</exception>
    public SumRegularizer(IEnumerable<IRegularizer> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        Terms = terms.ToArray();
        if (Terms.Count == 0)
            throw new ArgumentException("A sum of penalties needs at least one term.", nameof(terms));
    }

    /// <summary>The penalties added together.</summary>
    public IReadOnlyList<IRegularizer> Terms { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No parameters.</exception>
    public Tensor Penalty(IReadOnlyList<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        var total = Terms[0].Penalty(parameters);
        for (var i = 1; i < Terms.Count; i++)
            total = total.add(Terms[i].Penalty(parameters));
        return total.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string Describe() => string.Join("+", Terms.Select(t => t.Describe()));

    /// <summary>Equal when the terms are equal, in order.</summary>
    public bool Equals(SumRegularizer? other) => other is not null && Terms.SequenceEqual(other.Terms);

    /// <inheritdoc />
    public override int GetHashCode() => Terms.Aggregate(Terms.Count, (h, t) => HashCode.Combine(h, t));
}
