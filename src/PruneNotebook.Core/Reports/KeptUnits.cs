namespace PruneNotebook.Core.Reports;

/// <summary>Units of one group that a surgery was asked to remove but kept, and why (see <see cref="RemovalSummary"/>).</summary>
/// <param name="Group">The group's name (its producers, e.g. <c>conv1</c> or <c>stem + stage1.0.conv2</c>), or the layer's.</param>
/// <param name="Size">The group's units (1 for a layer).</param>
/// <param name="Units">How many of the requested units it kept.</param>
/// <param name="Reason">
/// Why, e.g. <c>fixed: the network output</c>, <c>fixed: 'fc' expects 400 input features, but its input carries 16 units of 1</c>,
/// <c>max fraction 0.5 reached</c>, <c>no bn score</c>.
/// </param>
public sealed record KeptUnits(string Group, long Size, long Units, string Reason);
