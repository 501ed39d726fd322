using System.Runtime.InteropServices;

namespace ModelZoo.Store;

/// <summary>
/// Places a blob at a model file path atomically: a hard link (no extra disk space) created under a temp
/// name and renamed over the target; where the file system or platform cannot link, a copy instead.
/// </summary>
internal static partial class HardLink
{
    public static void Place(string blobPath, string targetPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(targetPath)!);
        var temp = targetPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            if (!TryLink(blobPath, temp))
            {
                File.Copy(blobPath, temp, overwrite: true);
            }
            File.Move(temp, targetPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static bool TryLink(string existing, string newPath)
    {
        try
        {
            return OperatingSystem.IsWindows()
                ? CreateHardLinkW(newPath, existing, IntPtr.Zero)
                : UnixLink(existing, newPath) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnixLink(string existing, string newPath);

    [LibraryImport("kernel32.dll", EntryPoint = "CreateHardLinkW", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string newPath, string existing, IntPtr securityAttributes);
}
