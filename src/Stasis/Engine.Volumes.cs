using Stasis.Containers;
using Stasis.Util;
using Stasis.Volumes;

namespace Stasis;

public sealed partial class Engine
{
    public async Task<VolumeInfo> CreateVolumeAsync(string name, CancellationToken ct = default)
    {
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
            return Volumes.Create(name, existingOk: false);
    }

    public IReadOnlyList<VolumeInfo> ListVolumes()
    {
        var users = VolumeUsers();
        return Volumes.List().Select(v => v with { UsedBy = users.GetValueOrDefault(v.Name) ?? [] }).ToList();
    }

    public VolumeInfo InspectVolume(string name) =>
        Volumes.Get(name) with { UsedBy = VolumeUsers().GetValueOrDefault(name) ?? [] };

    /// <summary>Removes a named volume and its data; refused while a container mounts it.</summary>
    public async Task RemoveVolumeAsync(string name, CancellationToken ct = default)
    {
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
        {
            Volumes.Get(name);
            if (VolumeUsers().GetValueOrDefault(name) is { Count: > 0 } users)
                throw StasisException.Conflict($"volume {name} is used by container(s) {string.Join(", ", users)}: remove them first");
            Volumes.Remove(name);
        }
    }

    private Dictionary<string, List<string>> VolumeUsers() =>
        _containers.List()
            .SelectMany(c => c.Mounts.Where(m => m.Type == VolumeMount.Volume).Select(m => (Volume: m.Source, c.Name)))
            .GroupBy(x => x.Volume)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Name).Distinct().ToList());
}
