using ModelZoo.Imaging;

namespace ModelZoo.Tests.Quantization;

/// <summary>
/// Real images for quantization tests: a calibration set (Tux Paint stamps from several folders and a few
/// scikit-image photos) and a disjoint held-out set of photos the calibration never sees.
/// </summary>
internal static class QuantizationImages
{
    private static readonly string[] StampFolders =
    [
        "tuxpaint/animals/birds", "tuxpaint/plants/flowers", "tuxpaint/food/fruit", "tuxpaint/town/houses/cartoon",
        "tuxpaint/town/roadsigns", "tuxpaint/household",
    ];

    /// <summary>The real photos of the calibration set (besides the stamps).</summary>
    public static readonly string[] CalibrationPhotos =
        ["skimage/astronaut.png", "skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png", "skimage/hubble_deep_field.jpg"];

    /// <summary>Held-out real photos, none of which is in the calibration set.</summary>
    public static readonly string[] HeldOutPhotos =
    [
        "darknet/dog.jpg", "darknet/eagle.jpg", "darknet/giraffe.jpg", "darknet/horses.jpg", "darknet/kite.jpg",
        "darknet/person.jpg", "darknet/scream.jpg", "skimage/chelsea.png", "skimage/motorcycle_right.png",
    ];

    /// <summary>Photos of scenes, for calibrating the detector and pose models (the benchmark's calibration set).</summary>
    public static readonly string[] ScenePhotos = ScenePhotoSets.Calibration;

    /// <summary>Photos held out from <see cref="ScenePhotos"/>, for detectors.</summary>
    public static readonly string[] SceneHeldOut = ScenePhotoSets.HeldOut;

    /// <summary>Pictures of people held out from <see cref="ScenePhotos"/>, for pose models: photos and Tux Paint stamps.</summary>
    public static readonly string[] PeopleHeldOut = ScenePhotoSets.PeopleHeldOut;

    /// <summary>Copies the calibration files (stamps per folder, by name, then the photos) into <paramref name="folder"/>.</summary>
    public static string CreateCalibrationFolder(string folder, int stampsPerFolder = 5)
    {
        Directory.CreateDirectory(folder);
        foreach (var stampFolder in StampFolders)
        {
            var source = TestAssets.ImageFolder(stampFolder);
            var files = Directory.GetFiles(source, "*.png").Order(StringComparer.Ordinal).Take(stampsPerFolder).ToList();
            Assert.True(files.Count == stampsPerFolder, $"{source} has only {files.Count} stamps; run scripts/fetch-test-assets.sh again.");
            foreach (var file in files)
            {
                File.Copy(file, Path.Combine(folder, stampFolder.Replace('/', '_') + "_" + Path.GetFileName(file)), overwrite: true);
            }
        }
        foreach (var photo in CalibrationPhotos)
        {
            File.Copy(TestAssets.Image(photo), Path.Combine(folder, photo.Replace('/', '_')), overwrite: true);
        }
        return folder;
    }

    public static List<RgbImage> Decode(IEnumerable<string> paths) => paths.Select(p => ImageDecoder.Decode(p)).ToList();
}
