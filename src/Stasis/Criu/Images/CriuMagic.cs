using System.Collections.Frozen;

namespace Stasis.Criu.Images;

/// <summary>Magic numbers at the head of CRIU image files (values from CRIU's magic.h). Since image format v1.1 every
/// file except inventory starts with a common or service magic followed by its own; raw files (pages-N.img) have none.</summary>
internal static class CriuMagic
{
    public const uint Common = 0x54564319;
    public const uint Service = 0x55105940;

    public const uint Inventory = 0x58313116;
    public const uint Pstree = 0x50273030;
    public const uint Fdinfo = 0x56213732;
    public const uint Pagemap = 0x56084025;
    public const uint Core = 0x55053847;
    public const uint Ids = 0x54432030;
    public const uint Mm = 0x57492820;
    public const uint Pipes = 0x56513555;
    public const uint UnixSk = 0x54373943;
    public const uint InetSk = 0x56443851;
    public const uint RegFiles = 0x50363636;
    public const uint Fs = 0x51403912;
    public const uint Mnts = 0x55563928;
    public const uint Files = 0x56303138;
    public const uint Stats = 0x57093306;

    /// <summary>Every known magic by name, so an error can say what a file is (or that it is nothing CRIU writes).</summary>
    public static readonly FrozenDictionary<uint, string> Names = new Dictionary<uint, string>
    {
        [0x58313116] = "INVENTORY",
        [0x50273030] = "PSTREE",
        [0x56213732] = "FDINFO",
        [0x56084025] = "PAGEMAP",
        [0x55053847] = "CORE",
        [0x54432030] = "IDS",
        [0x54123737] = "VMAS",
        [0x56513555] = "PIPES",
        [0x56453709] = "PIPES_DATA",
        [0x58364939] = "FIFO",
        [0x59333054] = "FIFO_DATA",
        [0x55344201] = "SIGACT",
        [0x54373943] = "UNIXSK",
        [0x56443851] = "INETSK",
        [0x60454618] = "PACKETSK",
        [0x57464056] = "ITIMERS",
        [0x52603957] = "POSIX_TIMERS",
        [0x56264026] = "SK_QUEUES",
        [0x54473203] = "UTSNS",
        [0x54023547] = "CREDS",
        [0x53115007] = "IPC_VAR",
        [0x46283044] = "IPCNS_SHM",
        [0x55453737] = "IPCNS_MSG",
        [0x59573019] = "IPCNS_SEM",
        [0x50363636] = "REG_FILES",
        [0x59255641] = "EXT_FILES",
        [0x51403912] = "FS",
        [0x57492820] = "MM",
        [0x59133954] = "REMAP_FPATH",
        [0x52583605] = "GHOST_FILE",
        [0x51465506] = "TCP_STREAM",
        [0x44523722] = "EVENTFD_FILE",
        [0x45023858] = "EVENTPOLL_FILE",
        [0x44433746] = "EVENTPOLL_TFD",
        [0x57323820] = "SIGNALFD",
        [0x48424431] = "INOTIFY_FILE",
        [0x54562009] = "INOTIFY_WD",
        [0x55563928] = "MNTS",
        [0x57373951] = "NETDEV",
        [0x55933752] = "NETNS",
        [0x59433025] = "TTY_FILES",
        [0x59453036] = "TTY_INFO",
        [0x59413026] = "TTY_DATA",
        [0x54323616] = "FILE_LOCKS",
        [0x57113925] = "RLIMIT",
        [0x55096122] = "FANOTIFY_FILE",
        [0x56506035] = "FANOTIFY_MARK",
        [0x59255647] = "SIGNAL",
        [0x58005614] = "NETLINK_SK",
        [0x61394011] = "NS_FILES",
        [0x57143751] = "TUNFILE",
        [0x59383330] = "CGROUP",
        [0x50493712] = "TIMERFD",
        [0x61404013] = "CPUINFO",
        [0x55474906] = "USERNS",
        [0x64413049] = "SECCOMP",
        [0x67343323] = "BINFMT_MISC",
        [0x49353943] = "AUTOFS",
        [0x56303138] = "FILES",
        [0x48453499] = "MEMFD_INODE",
        [0x43114433] = "TIMENS",
        [0x61157326] = "PIDNS",
        [0x57506142] = "BPFMAP_FILE",
        [0x64324033] = "BPFMAP_DATA",
        [0x59423047] = "APPARMOR",
        [0x57093306] = "STATS",
        [0x57004059] = "IRMAP_CACHE",
        [0x57023458] = "KDAT",
    }.ToFrozenDictionary();

    public static string Describe(uint magic) => Names.TryGetValue(magic, out var n) ? $"{n} (0x{magic:X8})" : $"0x{magic:X8}";
}
