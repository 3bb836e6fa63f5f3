namespace PruneNotebook.Core.Reports;

/// <summary>How network surgery changed one layer.</summary>
/// <param name="Name">Qualified module name.</param>
/// <param name="Type">Module type name.</param>
/// <param name="OutputsBefore">Output units (channels, features) before.</param>
/// <param name="OutputsAfter">Output units after.</param>
/// <param name="InputsBefore">Input features before (equal to the outputs for BatchNorm).</param>
/// <param name="InputsAfter">Input features after.</param>
public sealed record LayerChange(string Name, string Type, long OutputsBefore, long OutputsAfter, long InputsBefore, long InputsAfter);
