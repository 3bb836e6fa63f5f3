namespace PruneNotebook.Core.Surgery;

/// <summary>How a layer takes part in a <see cref="ChannelGroup"/>.</summary>
public enum MemberRole
{
    /// <summary>Produces the group's units: output channels of a Conv2d, output features of a Linear.</summary>
    Producer,

    /// <summary>Carries each unit through with its own parameters (BatchNorm): its units are removed with the group's.</summary>
    Passthrough,

    /// <summary>A parameter-free layer the units flow through (ReLU, pooling, dropout, flatten).</summary>
    Activation,

    /// <summary>Takes the group's units as inputs: input channels of a Conv2d, blocks of input features of a Linear.</summary>
    Consumer,
}
