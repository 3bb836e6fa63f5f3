namespace PruneNotebook.Tests.Shared;

/// <summary>Recipe files each broken in one way, for the bad-input matrices of the kernel and the command line (linked into both test projects).</summary>
internal static class BrokenRecipes
{
    /// <summary>File name and text of each recipe; lenet.yaml is the one valid recipe, for rows that break something else.</summary>
    public static readonly (string Name, string Text)[] All =
    [
        ("empty.yaml", ""),
        ("malformed.yaml", "steps:\n  - model: lenet5\n  - prune: {amount: 0.9\n"),
        ("unknownstep.yaml", "steps:\n  - model: lenet5\n  - prun: {amount: 0.9}\n"),
        ("unknownkey.yaml", "steps:\n  - model: lenet5\n  - prune: {amount: 0.9, bogus: 1}\n"),
        ("badvalue.yaml", "steps:\n  - model: lenet5\n  - prune: {amount: lots}\n"),
        ("badcriterion.yaml", "steps:\n  - model: lenet5\n  - prune: {amount: 0.5, criterion: magic}\n"),
        ("nomodel.yaml", "steps:\n  - prune: {amount: 0.5}\n"),
        ("savenowhere.yaml", "steps:\n  - model: lenet5\n  - save: no/such/folder/out.bin\n"),
        ("textimages.yaml", "steps:\n  - model: chargpt\n  - data: {name: fashion-mnist, directory: .}\n"),
        ("imagestext.yaml", "steps:\n  - model: lenet5\n  - data: {name: fortunes, directory: .}\n"),
        ("droplayerstext.yaml", "steps:\n  - model: chargpt\n  - drop-layers\n"),
        ("taylortext.yaml", "steps:\n  - model: chargpt\n  - data: {name: fortunes, directory: .}\n  - prune: {amount: 0.5, criterion: taylor}\n"),
        ("lenet.yaml", "steps:\n  - model: lenet5\n"),
    ];
}
