namespace Stasis.Containers;

/// <summary>Podman-style readable default names (adjective_noun).</summary>
internal static class NameGenerator
{
    private static readonly string[] Adjectives =
    [
        "amber", "brave", "calm", "dreamy", "eager", "frozen", "gentle", "hardy", "icy", "jolly", "keen",
        "lucid", "mellow", "nimble", "patient", "quiet", "restful", "steady", "tidy", "upbeat", "vivid", "wise",
    ];

    private static readonly string[] Nouns =
    [
        "badger", "comet", "delta", "ember", "fjord", "glacier", "harbor", "island", "juniper", "kestrel",
        "lagoon", "meadow", "nebula", "otter", "pebble", "quartz", "river", "summit", "tundra", "walrus",
    ];

    public static string Next() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Nouns[Random.Shared.Next(Nouns.Length)]}";
}
