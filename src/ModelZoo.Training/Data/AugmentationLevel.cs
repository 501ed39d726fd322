namespace ModelZoo.Training.Data;

/// <summary>How strongly training images are varied (see <see cref="AugmentationView.Plan"/>).</summary>
public enum AugmentationLevel
{
    /// <summary>No augmentation: one identity view per image.</summary>
    None,

    /// <summary>Horizontal flips and random resized crops (area 60–100 %, aspect 3/4–4/3).</summary>
    Light,

    /// <summary><see cref="Light"/> plus rotation up to ±15° and colour jitter (brightness, contrast, saturation ±20 %).</summary>
    Strong,
}
