namespace ModelZoo.Training.Transfer;

/// <summary>The stages of a transfer-learning run, in order.</summary>
public enum TransferStage
{
    /// <summary>Loading the dataset and opening the base model (pulling it if needed).</summary>
    Preparing,

    /// <summary>Backbone features of every image (the image itself).</summary>
    Features,

    /// <summary>Backbone features of the augmented views of training images.</summary>
    Augmenting,

    /// <summary>Training the head, one event per epoch.</summary>
    Training,

    /// <summary>Writing the model, card, plots and report, and registering the model.</summary>
    Artifacts,

    /// <summary>Finished.</summary>
    Done,
}
