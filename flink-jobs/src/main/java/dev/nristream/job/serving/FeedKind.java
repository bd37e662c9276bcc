package dev.nristream.job.serving;

import java.util.Locale;

/**
 * What a scene's frame says it is, as far as choosing a model goes: its source kind, the system it names (or the
 * one its source kind implies), its spatial dimensions and its agent count.
 *
 * <pre>{@code
 * FeedKind k = FeedKind.of("MOCAP", null, 3, 31);   // system "mocap", implied by the source kind
 * k.describe();                                       // "MOCAP mocap 3D 31 agents"
 * }</pre>
 *
 * @param sourceKind the frame's {@code source_kind} (SPORTVU, MOCAP, SIMULATION, CSV, UNKNOWN)
 * @param system the system the frame names (its {@code system} field, lower case) or its source kind implies;
 *     null when neither says
 * @param dims spatial dimensions, 2 or 3
 * @param agents agents in the frame
 */
public record FeedKind(String sourceKind, String system, int dims, int agents) {

    /** The system a source kind implies when the frame names none: SPORTVU is basketball, MOCAP is mocap. */
    public static String impliedSystem(String sourceKind) {
        if (sourceKind == null) {
            return null;
        }
        return switch (sourceKind) {
            case "SPORTVU" -> "nba";
            case "MOCAP" -> "mocap";
            default -> null;
        };
    }

    /** The kind of a frame, the system defaulted from the source kind. */
    public static FeedKind of(String sourceKind, String system, int dims, int agents) {
        String kind = sourceKind == null ? "UNKNOWN" : sourceKind;
        String sys = system == null || system.isBlank() ? impliedSystem(kind) : system.trim().toLowerCase(Locale.ROOT);
        return new FeedKind(kind, sys, dims, agents);
    }

    /** E.g. {@code SIMULATION springs 2D 5 agents}, {@code CSV 2D 11 agents}. */
    public String describe() {
        return sourceKind + (system == null ? "" : " " + system) + " " + dims + "D " + agents + " agent"
                + (agents == 1 ? "" : "s");
    }
}
