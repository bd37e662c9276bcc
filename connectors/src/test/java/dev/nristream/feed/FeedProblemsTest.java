package dev.nristream.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedProblemsTest {

    @Test
    void printsTheFirstFewOfEachKindThenOnlyCounts() {
        List<String> printed = new ArrayList<>();
        FeedProblems p = FeedProblems.printingTo(printed::add, 2);
        for (int i = 0; i < 5; i++) {
            p.report(ProblemKind.NON_FINITE_COORDINATE, "g.json", "event " + i, "x=NaN");
        }
        p.report(ProblemKind.MALFORMED_RECORD, "g.json", "line 9", "bad");

        assertThat(printed).containsExactly(
                "NON_FINITE_COORDINATE in g.json at event 0: x=NaN",
                "NON_FINITE_COORDINATE in g.json at event 1: x=NaN",
                "further NON_FINITE_COORDINATE problems are only counted (see the summary)",
                "MALFORMED_RECORD in g.json at line 9: bad");
        assertThat(p.count(ProblemKind.NON_FINITE_COORDINATE)).isEqualTo(5);
        assertThat(p.problemCount()).isEqualTo(6);
        assertThat(p.summary()).contains("NON_FINITE_COORDINATE: 5").contains("MALFORMED_RECORD: 1");
    }

    @Test
    void notesAreCountedButNeverPrinted() {
        List<String> printed = new ArrayList<>();
        FeedProblems p = FeedProblems.printingTo(printed::add);
        p.report(ProblemKind.EVENT_WITHOUT_MOMENTS, "g.json", "event 3", "no moments");
        p.report(ProblemKind.AGENT_MISSING, "t.csv", "line 4", "p0 empty");

        assertThat(printed).isEmpty();
        assertThat(p.problemCount()).isZero();
        assertThat(p.counts()).containsEntry(ProblemKind.EVENT_WITHOUT_MOMENTS, 1L)
                .containsEntry(ProblemKind.AGENT_MISSING, 1L);
        assertThat(p.first(ProblemKind.AGENT_MISSING)).contains("t.csv").contains("line 4");
    }

    @Test
    void emptySummarySaysSo() {
        assertThat(FeedProblems.silent().summary()).isEqualTo("no problems");
    }
}
