namespace ModelZoo.Tests.Quantization;

/// <summary>
/// The photo sets the detector and pose models are quantized and judged on, relative to the fetched test data: the
/// tests and the <c>quantize-tasks</c> benchmark compile this one file, so their figures come from the same pictures.
/// </summary>
internal static class ScenePhotoSets
{
    /// <summary>Photos of scenes, for calibrating the detector and pose models.</summary>
    public static readonly string[] Calibration =
    [
        "skimage/astronaut.png", "skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png", "skimage/hubble_deep_field.jpg",
        "darknet/dog.jpg", "darknet/horses.jpg", "darknet/person.jpg",
    ];

    /// <summary>Photos held out from <see cref="Calibration"/>, for detectors.</summary>
    public static readonly string[] HeldOut =
    [
        "darknet/eagle.jpg", "darknet/giraffe.jpg", "darknet/kite.jpg", "darknet/scream.jpg", "skimage/chelsea.png", "skimage/motorcycle_right.png",
    ];

    /// <summary>Pictures of people held out from <see cref="Calibration"/>, for pose models (a keypoint on a cat says
    /// nothing): photos and Tux Paint stamps.</summary>
    public static readonly string[] PeopleHeldOut =
    [
        "darknet/kite.jpg", "darknet/scream.jpg", "skimage/camera.png", "tuxpaint/people/fireman200b.png", "tuxpaint/people/fireman240a.png",
        "tuxpaint/military/paratrooper.png", "tuxpaint/people/cartoon/mermaid.png",
    ];
}
