package dev.nristream.tail;

/**
 * What a {@link TopicTail} run did.
 *
 * @param printed records printed (decoded or not)
 * @param undecodable of those, records whose value did not decode
 * @param skipped records of other scenes (with {@code --scene})
 */
public record TailSummary(long printed, long undecodable, long skipped) {
}
