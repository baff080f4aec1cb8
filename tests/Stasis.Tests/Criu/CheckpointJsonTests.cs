using System.Text.Json;
using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class CheckpointJsonTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_full_inspection_round_trips_to_an_equal_model()
    {
        using var cp = SampleCheckpoint.Create();
        var r = CheckpointInspector.Inspect(cp.Open(), InspectOptions.All, Ct);

        var json = JsonSerializer.Serialize(r, InspectionJsonContext.Default.CheckpointInspection);
        var back = JsonSerializer.Deserialize(json, InspectionJsonContext.Default.CheckpointInspection);

        back.ShouldBe(r);
        json.ShouldContain("\"cmdline\"");
        json.ShouldContain("\"localPort\": 8080");
        json.ShouldContain("\"residentPages\"");
    }

    [Fact]
    public void Only_the_parts_asked_for_are_written()
    {
        using var cp = SampleCheckpoint.Create();
        var json = JsonSerializer.Serialize(CheckpointInspector.Inspect(cp.Open(), InspectOptions.ProcessTreeOnly, Ct),
            InspectionJsonContext.Default.CheckpointInspection);
        json.ShouldNotContain("\"sockets\"");
        json.ShouldNotContain("\"files\"");
        json.ShouldContain("\"command\": \"worker\"");
    }

    [Fact]
    public void Search_results_diffs_and_summaries_round_trip()
    {
        using var a = SampleCheckpoint.Create();
        using var b = SampleCheckpoint.Create(variant: 1);
        var search = MemorySearch.Search(a.Open(), new MemorySearchQuery { Text = SampleCheckpoint.Secret }, Ct);
        var diff = CheckpointDiffer.Diff(a.Open(), b.Open(), Ct);
        var summary = CheckpointSummarizer.Summarize(a.Open());

        JsonSerializer.Deserialize(JsonSerializer.Serialize(search, InspectionJsonContext.Default.MemorySearchResult),
            InspectionJsonContext.Default.MemorySearchResult).ShouldBe(search);
        JsonSerializer.Deserialize(JsonSerializer.Serialize(diff, InspectionJsonContext.Default.CheckpointDiff),
            InspectionJsonContext.Default.CheckpointDiff).ShouldBe(diff);
        JsonSerializer.Deserialize(JsonSerializer.Serialize(summary, InspectionJsonContext.Default.CheckpointSummary),
            InspectionJsonContext.Default.CheckpointSummary).ShouldBe(summary);
        search.Matches.Count.ShouldBe(1);
    }

    [Fact]
    public void Value_lists_compare_by_content()
    {
        ValueList<int> a = new[] { 1, 2 };
        ValueList<int> b = new List<int> { 1, 2 };
        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.Equals(new ValueList<int>([2, 1])).ShouldBeFalse();
    }
}
