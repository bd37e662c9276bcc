package dev.nristream.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;

/**
 * The small state file of a resumable replay ({@code ./nri replay ... --state FILE [--resume]}): which replay it
 * is (its id names the Kafka transactional id and the group holding its position), what it plays (so a resume with
 * another feed or topic is refused), the event-time origin of a simulated feed (so resumed frames carry the same
 * times), and the last position committed to Kafka. Written atomically (a temporary file, synced, then renamed
 * over the old one), so a kill leaves the old or the new file, never half of one.
 *
 * <p>The position here is what this process last saw committed; the authoritative one is in Kafka
 * ({@link TransactionalFrameSink#committedPosition()}), committed in the same transaction as the frames.
 *
 * @param replayId random id chosen by the first run
 * @param topic the topic written
 * @param feed the feed and the options that shape its frames, as given on the command line
 * @param originEpochMs event time of time zero for generated feeds
 * @param position frames of the feed delivered (committed) so far
 */
public record ReplayState(@JsonProperty("replay_id") String replayId, @JsonProperty("topic") String topic,
        @JsonProperty("feed") String feed, @JsonProperty("origin_epoch_ms") long originEpochMs,
        @JsonProperty("position") long position) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ReplayState {
        Objects.requireNonNull(replayId, "replay_id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(feed, "feed");
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
    }

    /** The state of a new replay at position 0. */
    public static ReplayState start(String topic, String feed, long originEpochMs) {
        return new ReplayState(UUID.randomUUID().toString(), topic, feed, originEpochMs, 0);
    }

    public ReplayState at(long newPosition) {
        return new ReplayState(replayId, topic, feed, originEpochMs, newPosition);
    }

    /**
     * @throws IllegalArgumentException naming the file when it is not a replay state file
     * @throws IOException when it cannot be read
     */
    public static ReplayState read(Path file) throws IOException {
        try {
            ReplayState s = MAPPER.readValue(file.toFile(), ReplayState.class);
            if (s == null) {
                throw new IllegalArgumentException(file + " is not a replay state file (empty)");
            }
            return s;
        } catch (JsonProcessingException e) {
            // A missing field fails the record's constructor: its message names the field.
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException(file + " is not a replay state file: " + why, e);
        }
    }

    /** Replaces {@code file} with this state in one rename, after syncing the new content to disk. */
    public void write(Path file) {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            byte[] json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(json);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the replay state " + abs + ": " + e.getMessage(), e);
        }
    }
}
