using Stasis.Util;

namespace Stasis.Volumes;

/// <summary>Named volumes under volumes/&lt;name&gt;/ (volume.json beside the _data folder containers mount).</summary>
internal sealed class VolumeStore(StorePaths paths)
{
    public static void ValidateName(string name) => Containers.ContainerStore.ValidateName(name, "volume name");

    public string Folder(string name) => Path.Combine(paths.Volumes, name);
    public string Data(string name) => Path.Combine(Folder(name), "_data");

    public VolumeInfo? TryGet(string name)
    {
        ValidateName(name);
        var file = Path.Combine(Folder(name), "volume.json");
        if (!File.Exists(file)) return null;
        return VolumeInfoJson.Parse(File.ReadAllBytes(file));
    }

    public VolumeInfo Get(string name) => TryGet(name) ?? throw StasisException.NotFound($"no such volume: {name}");

    public IReadOnlyList<VolumeInfo> List()
    {
        if (!Directory.Exists(paths.Volumes)) return [];
        return Directory.EnumerateDirectories(paths.Volumes).Select(Path.GetFileName).OfType<string>()
            .Where(Containers.ContainerStore.IsValidName).Select(TryGet).OfType<VolumeInfo>().OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Creates the volume; an existing one is returned as it is when <paramref name="existingOk"/>.</summary>
    public VolumeInfo Create(string name, bool existingOk)
    {
        if (TryGet(name) is { } existing)
            return existingOk ? existing : throw StasisException.Conflict($"volume {name} already exists");
        Directory.CreateDirectory(Data(name));
        var info = new VolumeInfo { Name = name, Created = DateTimeOffset.UtcNow, Mountpoint = Data(name) };
        AtomicFile.WriteAllBytes(Path.Combine(Folder(name), "volume.json"), VolumeInfoJson.ToUtf8Bytes(info));
        return info;
    }

    public void Remove(string name)
    {
        Get(name);
        Directory.Delete(Folder(name), recursive: true);
    }
}
