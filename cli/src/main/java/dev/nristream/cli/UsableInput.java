package dev.nristream.cli;

import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import java.util.Locale;

/**
 * Decides whether a replay or conversion produced something usable: nothing at all is an error (a SportVU file
 * that is {@code {}}, an empty AMC, an ASF whose joints match none of the AMC's), and a truncated input that
 * gave only part of its frames is an error unless {@code --allow-partial} accepts it. Either way one line, exit 2.
 */
final class UsableInput {

    private UsableInput() {
    }

    /**
     * @param what the input as the user named it, for the message
     * @param frames frames produced
     * @param truncated {@link ProblemKind#TRUNCATED_FILE} problems reported
     * @param problems all problems reported, for the message (null: none known)
     * @throws UserError when nothing usable came out, or the input was truncated and partial input not allowed
     */
    static void require(String what, long frames, long truncated, long problems, boolean allowPartial) {
        if (frames == 0) {
            throw new UserError(what + " yielded no frames" + (problems > 0 ? " (" + problems
                    + " problem(s), see above)" : "") + ": nothing usable was read");
        }
        if (truncated > 0 && !allowPartial) {
            throw new UserError(String.format(Locale.ROOT, "%s is truncated: only the %,d frame(s) before the cut "
                    + "were read; pass --allow-partial to accept partial input", what, frames));
        }
    }

    /** {@link #require} with the counts of {@code problems}. */
    static void require(String what, long frames, FeedProblems problems, boolean allowPartial) {
        require(what, frames, problems.count(ProblemKind.TRUNCATED_FILE), problems.problemCount(), allowPartial);
    }
}
